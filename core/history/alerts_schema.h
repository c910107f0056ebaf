/*
 * alerts_schema.h - schema version 2 of the history store: the alert
 * lifecycle's tables (history_alerts.h). schema.c lists it among the
 * migrations; docs/alerts.md describes the tables.
 */
#ifndef NBAQ_HISTORY_ALERTS_SCHEMA_H
#define NBAQ_HISTORY_ALERTS_SCHEMA_H

extern const char history_alerts_schema_v2_sqlite[];
extern const char history_alerts_schema_v2_pg[];

#endif
