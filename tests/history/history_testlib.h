/*
 * history_testlib.h - helpers shared by the store tests: building runs,
 * counting rows through the store's own connection, temporary directories
 * and per-test PostgreSQL databases.
 */
#ifndef NBAQ_HISTORY_TESTLIB_H
#define NBAQ_HISTORY_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

#define TL_HOUR 3600000LL
#define TL_DAY (24 * TL_HOUR)
/* 2024-05-01T10:30:00Z, a Wednesday. */
#define TL_WED_1030 1714559400000LL

#define TL_MAX_CHECKS 4
#define TL_MAX_METRICS 2048

/* A run under construction; every string it points to is static or kept
 * in the builder. */
typedef struct tl_run {
    nbaq_run run;
    char run_id[64];
    nbaq_check_result checks[TL_MAX_CHECKS];
    const nbaq_check_result *check_ptrs[TL_MAX_CHECKS];
    nbaq_metric *metrics[TL_MAX_CHECKS];
    const nbaq_metric **metric_ptrs[TL_MAX_CHECKS];
    char (*names)[32];
    size_t name_count;
} tl_run;

/* A run of monitor "shop" started at ts; run_id "<prefix>-<ts>". */
tl_run *tl_run_new(const char *prefix, int64_t ts_ms);
/* Adds a metric to check (created on first use); returns it. */
nbaq_metric *tl_metric(tl_run *r, const char *check, const char *name,
                       double value);
void tl_run_free(tl_run *r);

/* Saves a run with one metric; fails the test on error. */
void tl_save_value(history_store *store, const char *check, const char *metric,
                   int64_t ts_ms, double value, int anomalous);

/* SELECT COUNT(*) ... or another single integer, through the store. */
int64_t tl_query_int(history_store *store, const char *sql);
/* Runs SQL on the store's connection; fails the test on error. */
void tl_exec(history_store *store, const char *sql);

/* A fresh temporary directory (mode 0755); removed by tl_rmtree. */
char *tl_temp_dir(void);
void tl_rmtree(const char *dir);

/* PostgreSQL: a fresh database on the fixture's server; its URL. */
char *tl_pg_create_database(void);
void tl_pg_drop_database(const char *url);

#endif
