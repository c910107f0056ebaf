/*
 * since.h - "since when" for a recommendation, from the three sources
 * the run has: the open alert (started_ms, failing runs), the metric's
 * history points (how long it has been moving one way), and, for an age
 * metric, the time the data last changed (run time minus the age).
 * Internal to lib/reportview.
 */
#ifndef NBAQ_SINCE_H
#define NBAQ_SINCE_H

#include "nbaq.h"
#include "textbuf.h"

/* Seconds per unit of an age metric ("s", "ms", "min", "h", "d", and the
 * long names); 0 when the unit is not a time. */
double since_unit_seconds(const char *unit);

/* Appends "; "-separated clauses; appends nothing when no source tells. */
void since_alert(textbuf *b, const nbaq_alert *alert);
void since_age(textbuf *b, const nbaq_check_result *check,
               const nbaq_metric *m);
void since_streak(textbuf *b, const nbaq_metric *m);

#endif /* NBAQ_SINCE_H */
