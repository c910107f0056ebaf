/*
 * alerts_schema.c - the DDL of schema version 2: nbaq_alerts (one row per
 * tracked fingerprint), nbaq_alert_silences and nbaq_alert_outbox.
 * Shipped migrations are never edited: append a new version instead.
 */
#include "alerts_schema.h"

/* The same tables in both dialects; only the id column differs. */
#define ALERTS_TABLE(BIGINT)                                                   \
    "CREATE TABLE nbaq_alerts ("                                               \
    " monitor TEXT NOT NULL,"                                                  \
    " fingerprint TEXT NOT NULL,"                                              \
    " check_name TEXT NOT NULL,"                                               \
    " metric TEXT NOT NULL,"                                                   \
    " is_open INTEGER NOT NULL,"                                               \
    " episode " BIGINT " NOT NULL,"                                            \
    " severity TEXT NOT NULL,"                                                 \
    " escalated INTEGER NOT NULL,"                                             \
    " state TEXT NOT NULL,"                                                    \
    " summary TEXT NOT NULL,"                                                  \
    " started_ms " BIGINT " NOT NULL,"                                         \
    " ended_ms " BIGINT " NOT NULL,"                                           \
    " fail_since_ms " BIGINT " NOT NULL,"                                      \
    " pass_since_ms " BIGINT " NOT NULL,"                                      \
    " failing_runs " BIGINT " NOT NULL,"                                       \
    " passing_runs " BIGINT " NOT NULL,"                                       \
    " results " BIGINT " NOT NULL,"                                            \
    " result_count INTEGER NOT NULL,"                                          \
    " flapping INTEGER NOT NULL,"                                              \
    " notified TEXT NOT NULL,"                                                 \
    " updated_ms " BIGINT " NOT NULL,"                                         \
    " PRIMARY KEY (monitor, fingerprint));"

#define SILENCES_TABLE(ID, BIGINT)                                             \
    "CREATE TABLE nbaq_alert_silences ("                                       \
    " id " ID ","                                                              \
    " monitor TEXT NOT NULL,"                                                  \
    " fingerprint TEXT NOT NULL,"                                              \
    " check_name TEXT NOT NULL,"                                               \
    " until_ms " BIGINT " NOT NULL,"                                           \
    " created_ms " BIGINT " NOT NULL,"                                         \
    " comment TEXT NOT NULL);"                                                 \
    "CREATE INDEX nbaq_alert_silences_monitor_until"                           \
    " ON nbaq_alert_silences (monitor, until_ms);"

/* delivered_ms and superseded_ms are NULL while a row waits; the partial
 * index holds only waiting rows, so it stays small however long the
 * table grows. */
#define OUTBOX_TABLE(ID, BIGINT)                                               \
    "CREATE TABLE nbaq_alert_outbox ("                                         \
    " id " ID ","                                                              \
    " monitor TEXT NOT NULL,"                                                  \
    " channel TEXT NOT NULL,"                                                  \
    " run_id TEXT NOT NULL,"                                                   \
    " created_ms " BIGINT " NOT NULL,"                                         \
    " attempts " BIGINT " NOT NULL,"                                           \
    " last_error TEXT NOT NULL,"                                               \
    " delivered_ms " BIGINT ","                                                \
    " superseded_ms " BIGINT ","                                               \
    " episode " BIGINT " NOT NULL,"                                            \
    " fingerprint TEXT NOT NULL,"                                              \
    " check_name TEXT NOT NULL,"                                               \
    " metric TEXT NOT NULL,"                                                   \
    " summary TEXT NOT NULL,"                                                  \
    " severity TEXT NOT NULL,"                                                 \
    " state TEXT NOT NULL,"                                                    \
    " started_ms " BIGINT " NOT NULL,"                                         \
    " ended_ms " BIGINT " NOT NULL,"                                           \
    " failing_runs " BIGINT " NOT NULL);"                                      \
    "CREATE INDEX nbaq_alert_outbox_waiting"                                   \
    " ON nbaq_alert_outbox (monitor, channel, fingerprint)"                    \
    " WHERE delivered_ms IS NULL AND superseded_ms IS NULL;"                   \
    "CREATE INDEX nbaq_alert_outbox_created"                                   \
    " ON nbaq_alert_outbox (monitor, created_ms);"

const char history_alerts_schema_v2_sqlite[] =
    ALERTS_TABLE("INTEGER") SILENCES_TABLE("INTEGER PRIMARY KEY", "INTEGER")
        OUTBOX_TABLE("INTEGER PRIMARY KEY", "INTEGER");

const char history_alerts_schema_v2_pg[] = ALERTS_TABLE("BIGINT")
    SILENCES_TABLE("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                   "BIGINT")
        OUTBOX_TABLE("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                     "BIGINT");
