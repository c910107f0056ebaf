/*
 * dbq.h - the db_quality checker's pieces, shared by its source files and
 * its tests (nothing here is exported from the plugin):
 *
 *   dbq_options.c  option schema; host options -> dbq_config
 *   dbq_sql.c      SQL text for one table, from quoted identifiers
 *   dbq_measure.c  one table, one read-only transaction -> dbq_table_result
 *   dbq_pool.c     every table, up to `concurrency` connections at once
 *   dbq_schema.c   expected columns, schema state and drift
 *   dbq_report.c   results -> metrics, status and message
 *
 * Ownership: a dbq_config borrows every string from the host's options (and
 * from state_get), which live until the check callback returns; it owns only
 * the arrays it allocates (dbq_config_free). A dbq_table_result owns all of
 * its memory (dbq_table_result_free).
 */
#ifndef NBAQ_DBQ_H
#define NBAQ_DBQ_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"
#include "pgconn.h"
#include "textbuf.h"

enum {
    DBQ_ERROR_MAX = 512,
    /* Limits of the host's state store (core/records.h): keys per check,
     * bytes per key and per value. */
    DBQ_MAX_TABLES = 64,
    DBQ_STATE_KEY_MAX = 128,
    DBQ_STATE_VALUE_MAX = 65536
};

typedef struct dbq_expected_column {
    const char *name;
    const char *type; /* NULL: any type                                   */
    int nullable;     /* -1: not declared; 0: NOT NULL; 1: nullable       */
} dbq_expected_column;

typedef struct dbq_table_spec {
    const char *name; /* "schema.table" or "table"; also the metric prefix  */
    const char **critical_columns;
    size_t critical_count;
    dbq_expected_column *expected_columns;
    size_t expected_count;
    int strict_schema;
    const char **key_columns;
    size_t key_count;
    int has_min_rows;
    int64_t min_rows;
    const char *filter;           /* trusted SQL boolean expression; NULL  */
    double sample_percent;        /* 0: the whole table                     */
    int sample_bernoulli;         /* 0: TABLESAMPLE SYSTEM                 */
    const char *freshness_column; /* NULL: no freshness rule               */
    int64_t max_age_ms;           /* 0: no maximum                         */
    const char *previous_schema;  /* state of the last run; NULL: none     */
    const char *backfill_column;  /* rows_per_day from it; NULL: none     */
    int backfill_days;            /* past days handed over on a first run */
} dbq_table_spec;

typedef struct dbq_config {
    const char *dsn;
    int64_t connect_timeout_ms;
    int64_t statement_timeout_ms;
    int concurrency;
    dbq_table_spec *tables;
    size_t table_count;
} dbq_config;

void dbq_config_free(dbq_config *config);

/* ---- options (dbq_options.c) ------------------------------------------ */

extern const nbaq_option_spec dbq_option_specs[];

/* Reads the validated options; previous schemas come from state_get.
 * Returns 0, or -1 with err (out of memory). */
int dbq_config_read(const nbaq_host_api *api, nbaq_ctx *ctx, dbq_config *config,
                    char *err, size_t err_size);

/* "schema:<table>" (a hash for very long names): the state key of a
 * table's schema; at most DBQ_STATE_KEY_MAX bytes. */
void dbq_state_key(const char *table, char *out, size_t size);

/* ---- results ------------------------------------------------------------ */

typedef struct dbq_column {
    char *name;
    char *type;      /* format_type with modifier: "character varying(20)" */
    char *base_type; /* without modifier: "character varying"              */
    int nullable;
    int composite; /* composite or domain: NULL tests need num_nulls()    */
} dbq_column;

typedef struct dbq_table_result {
    int failed;                /* the table could not be measured fully    */
    char error[DBQ_ERROR_MAX]; /* failed: "<step>: <reason>"               */

    int has_schema;
    dbq_column *columns; /* in attnum order                                */
    size_t column_count;
    char **expected_base_types; /* per expected column: canonical base type,
                                   NULL when none declared or unknown      */
    size_t expected_type_count; /* entries of expected_base_types          */

    int has_counts;
    int64_t rows;          /* rows scanned (the sample when sampling)     */
    int64_t *null_counts;  /* per critical column                         */
    int64_t complete_rows; /* rows with every critical column non-NULL   */

    int has_duplicates;
    int64_t duplicate_rows; /* rows beyond the first of each repeated key  */
    int64_t duplicate_keys; /* distinct key values that repeat             */

    int has_freshness;
    int freshness_known; /* a non-NULL max() exists                     */
    double freshness_age_s;
} dbq_table_result;

void dbq_table_result_free(dbq_table_result *result);

/* ---- SQL (dbq_sql.c) ---------------------------------------------------- */

/* Identifiers of one table, each quoted by PQescapeIdentifier. */
typedef struct dbq_quoted {
    char *table; /* "schema"."table" or "table"                           */
    char **critical;
    int *critical_composite; /* per critical column; NULL: none is       */
    char **keys;
    char *freshness; /* NULL: none                                          */
} dbq_quoted;

/* Column catalog of the relation named by $1 (quoted, as regclass input):
 * attname, type with modifier, base type, nullable and composite-or-domain
 * ('t'/'f'). */
extern const char dbq_sql_columns[];

/* One row, one column per type name $1..$count: its canonical base name
 * (format_type of to_regtype), NULL when unknown. */
void dbq_sql_types(textbuf *sql, size_t count);

/* The one scan: count(*), then the NULLs of each critical column, then (if
 * any critical) the rows with some critical column NULL, then
 * (with_freshness) the age in seconds of max(freshness column). */
void dbq_sql_scan(textbuf *sql, const dbq_table_spec *spec, const dbq_quoted *q,
                  int with_freshness);

/* Rows beyond the first of each repeated key, and the repeated keys. */
void dbq_sql_duplicates(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q);

/* Age in seconds of max(freshness column), never sampled. */
void dbq_sql_freshness(textbuf *sql, const dbq_table_spec *spec,
                       const dbq_quoted *q);

/* ---- measuring (dbq_measure.c, dbq_pool.c) ------------------------------ */

/* Measures one table in its own read-only transaction on conn. Fills out
 * (zeroed by the caller); a failure sets out->failed and out->error and
 * keeps what was measured before it. */
void dbq_measure_table(pgconn *conn, const dbq_table_spec *spec,
                       int64_t statement_timeout_ms, dbq_table_result *out);

/*
 * Measures every table of config, up to config->concurrency at once, each
 * worker on its own connection. deadline_ms (CLOCK_MONOTONIC milliseconds,
 * 0: none) caps the statement timeout so that a statement ends before the
 * host stops the check. results has config->table_count zeroed entries.
 * Returns 0, or -1 with err when not even one connection could be opened
 * (then no table was measured).
 */
int dbq_measure_all(const dbq_config *config, int64_t deadline_ms,
                    dbq_table_result *results, char *err, size_t err_size);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t dbq_now_ms(void);

/* ---- schema (dbq_schema.c) ---------------------------------------------- */

typedef struct dbq_schema_findings {
    int64_t missing;
    int64_t type_mismatches;
    int64_t nullability_mismatches;
    int64_t unexpected; /* counted only with strict_schema                */
    textbuf detail;     /* "missing a, b; c is integer, expected text"    */
} dbq_schema_findings;

/* Compares the columns read against spec->expected_columns. The caller
 * frees findings->detail (textbuf_free). */
void dbq_schema_check(const dbq_table_spec *spec,
                      const dbq_table_result *result,
                      dbq_schema_findings *findings);

/* The schema as state text: one line per column, "name\ttype\tnullable",
 * with \\, \t and \n escaped in names. Appended to out. */
void dbq_schema_serialize(const dbq_table_result *result, textbuf *out);

/* Columns added, dropped or changed (type or nullability) since previous
 * (state text); details appended to detail. -1 when previous is not
 * state text this plugin wrote. */
int64_t dbq_schema_drift(const char *previous, const dbq_table_result *result,
                         textbuf *detail);

/* ---- rows per day and backfill (dbq_backfill.c) ------------------------ */

/* The fields of a table's `backfill:` option. */
extern const nbaq_option_spec dbq_backfill_fields[];
#define DBQ_BACKFILL_OPTION_SPEC                                               \
    {                                                                          \
        .name = "backfill", .type = NBAQ_OPT_OBJECT,                           \
        .fields = dbq_backfill_fields,                                         \
        .description = "{column, days}: metric <table>.rows_per_day, and on "  \
                       "the first run its past days from the column"           \
    }

/* Reads the table's backfill option into t. */
void dbq_backfill_read(const nbaq_host_api *api, const nbaq_options *table,
                       dbq_table_spec *t);

/* rows_per_day of every table with a backfill column (and its past, on the
 * table's first run); a table whose query fails gets failed and error set
 * in results, for dbq_report to say. */
void dbq_backfill_all(const nbaq_host_api *api, nbaq_ctx *ctx,
                      const dbq_config *config, dbq_table_result *results);

/* A connection as the workers open them (dbq_pool.c). */
pgconn *dbq_connect(const dbq_config *config, char *err, size_t err_size);

/* "schema"."table" quoted as the scan quotes it (dbq_measure.c), malloc'd;
 * NULL with r->error set. */
char *dbq_quote_table(pgconn *conn, const char *name, dbq_table_result *r);

/* ---- report (dbq_report.c) ---------------------------------------------- */

/* Records every metric, the state of each table's schema, the status and
 * the message. connect_error: non-NULL when no connection could be opened. */
void dbq_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                const dbq_config *config, const dbq_table_result *results,
                const char *connect_error);

#endif /* NBAQ_DBQ_H */
