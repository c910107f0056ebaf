/*
 * dbq.h - the db_quality checker's pieces, shared by its source files and
 * its tests (nothing here is exported from the plugin):
 *
 *   dbq_options.c  option schema; host options -> dbq_config
 *   dbq_sql.c      SQL text for one table, from quoted identifiers
 *   dbq_rules.c    column rules: which types take which rule, and the SQL
 *                  condition of each (dialect expressions: sqlengine_dialect.h)
 *   dbq_validity.c rule checks, failed-row samples and orphans of a table
 *   dbq_measure.c  one table, one read-only transaction -> dbq_table_result
 *   dbq_catalog.c  the columns of a table and the expected types, per engine
 *   dbq_engine.c   what an engine cannot run, refused by name
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
#include "sqlengine.h"
#include "sqlengine_dialect.h"
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

/* Row rules of a column: a non-NULL value breaking one is invalid. */
typedef enum dbq_rule_kind {
    DBQ_RULE_MIN = 0,    /* value < $n (numbers, dates, timestamps)         */
    DBQ_RULE_MAX,        /* value > $n                                      */
    DBQ_RULE_VALUES,     /* value not in $n (an array literal)              */
    DBQ_RULE_REGEX,      /* value does not match $n (POSIX regex)           */
    DBQ_RULE_MIN_LENGTH, /* fewer characters than $n                        */
    DBQ_RULE_MAX_LENGTH, /* more characters than $n                         */
    DBQ_RULE_NOT_FUTURE, /* later than now() + $n (an interval)             */
    DBQ_RULE_KINDS
} dbq_rule_kind;

typedef struct dbq_rule {
    dbq_rule_kind kind;
    char *param; /* the literal, as text, passed as a parameter; owned      */
    /* values: each value, for engines without arrays; owned array of
     * strings borrowed from the host's options. */
    const char **values;
    size_t value_count;
} dbq_rule;

typedef enum dbq_profile {
    DBQ_PROFILE_OFF = 0,
    DBQ_PROFILE_ON,       /* min, max, mean, stddev, distinct              */
    DBQ_PROFILE_QUANTILES /* and p50, p95 (percentile_cont: a sort)        */
} dbq_profile;

/* A reference from columns of this table to columns of another: rows
 * whose (non-NULL) value has no match there are orphans. */
typedef struct dbq_reference {
    const char **columns; /* in this table; owned array                    */
    const char **ref_columns; /* in `table`, same count; owned array        */
    size_t count;
    const char *table;  /* "schema.table" or "table"                       */
    const char *filter; /* trusted SQL on this table's rows; NULL          */
    char *label;        /* metric part, the columns joined by ","; owned   */
} dbq_reference;

/* What the `columns:` entry of one column asks for. */
typedef struct dbq_column_spec {
    const char *name;
    const char *location; /* "file:line:col" of the entry, for messages   */
    dbq_rule *rules;      /* owned                                         */
    size_t rule_count;
    int unique;
    dbq_profile profile;
    int secret; /* its values never appear in a message                  */
} dbq_column_spec;

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
    dbq_column_spec *columns;     /* `columns:` rules; owned array         */
    size_t column_count;
    dbq_reference *references; /* table and column `references`; owned   */
    size_t reference_count;
    int samples; /* failed-row examples per rule; 0: none                 */
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

/* Reads a table's `columns`, `references` and `samples` (dbq_column_options.c).
 * Returns 0, or -1 (out of memory); dbq_column_rules_free releases what
 * was read either way. */
int dbq_read_column_rules(const nbaq_host_api *api, const nbaq_options *o,
                          dbq_table_spec *t);
void dbq_column_rules_free(dbq_table_spec *t);

/* "schema:<table>" (a hash for very long names): the state key of a
 * table's schema; at most DBQ_STATE_KEY_MAX bytes. */
void dbq_state_key(const char *table, char *out, size_t size);

/* ---- results ------------------------------------------------------------ */

typedef struct dbq_column {
    char *name;
    /* PostgreSQL: format_type with modifier, "character varying(20)", and
     * without, "character varying"; other engines: the engine's name,
     * "varchar(20)", and the normalised one, "text" (sqlengine_normal_type). */
    char *type;
    char *base_type;
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

    /* Per entry of spec->columns, valid when has_counts. */
    struct dbq_column_result *column_results;
    size_t column_result_count;

    char *duplicate_samples; /* repeated key values shown; NULL: none    */
    int has_orphans;         /* every reference counted                  */
    int64_t *orphans;        /* per spec->references                     */
    char **orphan_samples;   /* per spec->references; NULL: none         */
    size_t reference_result_count;
} dbq_table_result;

enum {
    DBQ_STAT_MIN,
    DBQ_STAT_MAX,
    DBQ_STAT_MEAN,
    DBQ_STAT_STDDEV,
    DBQ_STAT_P50,
    DBQ_STAT_P95,
    DBQ_STATS
};

typedef struct dbq_column_result {
    int64_t values;   /* non-NULL values                               */
    int64_t invalid;  /* values breaking a row rule                    */
    int64_t repeated; /* unique: values beyond the first of each       */
    int64_t distinct; /* unique or profile                             */
    double stats[DBQ_STATS];
    int stat_known[DBQ_STATS]; /* computed and not NULL                   */
    char *samples;             /* offending rows shown; NULL: none            */
    char *repeated_samples;    /* unique: repeated values shown; NULL: none   */
} dbq_column_result;

void dbq_table_result_free(dbq_table_result *result);

/* ---- column rules (dbq_rules.c) ----------------------------------------- */

typedef enum dbq_type_class {
    DBQ_TYPE_OTHER = 0,
    DBQ_TYPE_NUMBER, /* integers, numeric, floating point                  */
    DBQ_TYPE_TIME,   /* date, timestamp, timestamptz                       */
    DBQ_TYPE_TEXT,   /* text, varchar, char, name, citext                  */
    DBQ_TYPE_JSON    /* json, jsonb                                        */
} dbq_type_class;

/* "min", "values", ...: the rule's key in the config. */
const char *dbq_rule_name(dbq_rule_kind kind);

/* The class of a catalog base type (format_type without modifier). */
dbq_type_class dbq_type_class_of(const char *base_type);

/* NULL when the rule applies to a column of this class, else why not. */
const char *dbq_rule_type_mismatch(dbq_rule_kind kind, dbq_type_class type);

/* Parameters of a statement, $1..$count, borrowed from the spec. */
typedef struct dbq_params {
    const char **values; /* room for dbq_params_needed() of the table     */
    int count;
} dbq_params;

/* Appends value; its 1-based index. */
int dbq_params_push(dbq_params *params, const char *value);
/* The parameters c's rules take (a `values` rule takes one per value on
 * engines without arrays), and those of every column of spec. */
size_t dbq_column_params_needed(const dbq_column_spec *c);
size_t dbq_params_needed(const dbq_table_spec *spec);

/* What a rule's literal must be for its column (dbq_literals.c). */
typedef enum dbq_literal_kind {
    DBQ_LITERAL_ANY = 0, /* text, uuid...: left to the server             */
    DBQ_LITERAL_INTEGER,
    DBQ_LITERAL_NUMBER, /* decimal, float                                  */
    DBQ_LITERAL_BOOLEAN,
    DBQ_LITERAL_FLAG, /* MySQL TINYINT (its BOOLEAN): integer or boolean */
    DBQ_LITERAL_DATE,
    DBQ_LITERAL_TIMESTAMP,
    DBQ_LITERAL_TIMESTAMP_ZONED /* PostgreSQL: a zone may follow the time */
} dbq_literal_kind;

/* The literal kind of a column in dialect (from its catalog type). */
dbq_literal_kind dbq_literal_kind_of(const dbq_column *col,
                                     sqlengine_dialect dialect);

/* 1 for true, 0 for false, -1 for no boolean spelling. */
int dbq_boolean_of(const char *text);

/* Why text is no literal of kind ("is not an integer"), or NULL. */
const char *dbq_literal_problem(const char *text, dbq_literal_kind kind);

/* Why a literal of a rule on a column of that kind is wrong (*bad set to
 * it), or NULL: checked before any statement, on every engine. */
const char *dbq_rule_literal_problem(const dbq_rule *rule,
                                     dbq_literal_kind kind, const char **bad);

/* The condition under which a value of column (quoted, of class type,
 * literals of kind literal) breaks the rule in dialect d, its literal(s)
 * pushed to params; boolean literals are pushed as 1 and 0 on MySQL. NULL
 * values make it NULL, so that they are never counted as invalid. Fails
 * sql where the dialect cannot (dbq_engine_refusal refuses first). */
void dbq_sql_rule_condition(textbuf *sql, sqlengine_syntax d,
                            const dbq_rule *rule, const char *column,
                            dbq_type_class type, dbq_literal_kind literal,
                            dbq_params *params);

/* Turns JIT off for the transaction (one row; PostgreSQL). */
extern const char dbq_sql_jit_off[];

/* values as a PostgreSQL array literal: {"a","b \"c\""}. */
void dbq_array_literal(textbuf *out, const char *const *values, size_t count);

/* ---- SQL (dbq_sql.c) ---------------------------------------------------- */

/* Identifiers of one table, each quoted for the engine, and its dialect. */
typedef struct dbq_quoted {
    sqlengine_syntax syntax;
    sqlengine_percentiles percentiles;
    char *table; /* "schema"."table" or "table"                           */
    char **critical;
    int *critical_composite; /* per critical column; NULL: none is       */
    char **keys;
    char *freshness; /* NULL: none                                          */
    char **columns;  /* per spec->columns                                   */
    dbq_type_class *column_types; /* per spec->columns                      */
    dbq_literal_kind *literal_kinds; /* per spec->columns; NULL: all ANY    */
} dbq_quoted;

/* Column catalog of the relation named by $1 (quoted, as regclass input):
 * attname, type with modifier, base type, nullable and composite-or-domain
 * ('t'/'f'). */
void dbq_sql_columns(textbuf *sql, sqlengine_syntax d);

/* One row, one column per type name $1..$count: its canonical base name
 * (format_type of to_regtype), NULL when unknown. */
void dbq_sql_types(textbuf *sql, sqlengine_syntax d, size_t count);

/* The one scan: count(*), then the NULLs of each critical column, then (if
 * any critical) the rows with some critical column NULL, then
 * (with_freshness) the age in seconds of max(freshness column). */
void dbq_sql_scan(textbuf *sql, const dbq_table_spec *spec, const dbq_quoted *q,
                  int with_freshness, dbq_params *params);

/* Whether the scan counts c's non-NULL values: not for a critical column,
 * whose NULLs the scan counts already. */
int dbq_counts_values(const dbq_table_spec *spec, const dbq_column_spec *c);

/* Appended to the scan, per entry of spec->columns, in this order: with
 * count_values (dbq_counts_values), count(c); with rules, the rows breaking one
 * (their literals added to params). dbq_validity.c reads them in the same
 * order. */
void dbq_sql_column_aggregates(textbuf *sql, const dbq_quoted *q,
                               const dbq_column_spec *c, size_t i,
                               int count_values, dbq_params *params);

/* Whether c needs the distinct statement (unique or a profile). */
int dbq_needs_distinct(const dbq_column_spec *c);

/* The statement of the parallel-unsafe aggregates, run after the scan in
 * the same snapshot: a first column NULL, then per column that needs it
 * (dbq_needs_distinct) count(c), count(DISTINCT c) and, with a profile,
 * DBQ_STATS expressions (NULL where the type has no such statistic). */
void dbq_sql_distinct(textbuf *sql, const dbq_table_spec *spec,
                      const dbq_quoted *q);

/* Whether the profile's quantiles of column i come from
 * dbq_sql_window_quantiles rather than from dbq_sql_distinct. */
int dbq_window_quantiles(const dbq_quoted *q, const dbq_column_spec *c,
                         size_t i);

/* p50 and p95 of column i in one row (MariaDB: PERCENTILE_CONT, for dates
 * PERCENTILE_DISC, as window functions over the non-NULL values); no row
 * when there is none. */
void dbq_sql_window_quantiles(textbuf *sql, const dbq_table_spec *spec,
                              const dbq_quoted *q, size_t i);

/* The condition under which a value of column i breaks one of its rules:
 * "(cond) OR (cond)", literals added to params. */
void dbq_sql_invalid_condition(textbuf *sql, const dbq_quoted *q,
                               const dbq_column_spec *c, size_t i,
                               dbq_params *params);

/* FROM and the table's filter, for a statement over the whole table (not
 * the sample): " FROM t WHERE (filter)" or " FROM t WHERE TRUE". */
void dbq_sql_from_filtered(textbuf *sql, const dbq_table_spec *spec,
                           const dbq_quoted *q);

/* Up to spec->samples rows of the (filtered, whole) table where condition
 * holds: the shown columns (quoted) as text. */
void dbq_sql_sample_rows(textbuf *sql, const dbq_table_spec *spec,
                         const dbq_quoted *q, char *const *shown,
                         size_t shown_count, const char *condition);

/* Up to spec->samples values of columns (quoted) that repeat, as text;
 * exact: compared byte for byte (a unique text column). */
void dbq_sql_repeated_values(textbuf *sql, const dbq_table_spec *spec,
                             const dbq_quoted *q, char *const *columns,
                             size_t count, int exact);

/* The anti-join of a reference: rows with every referencing column
 * non-NULL, in the table's filter and the reference's, whose values have
 * no match in ref_table. shown NULL: their count; else up to spec->samples
 * of them, the shown columns as text. Names arrive quoted. */
void dbq_sql_orphans(textbuf *sql, const dbq_table_spec *spec,
                     const dbq_quoted *q, const dbq_reference *ref,
                     char *const *columns, char *const *ref_columns,
                     const char *ref_table, char *const *shown,
                     size_t shown_count);

/* Rows beyond the first of each repeated key, and the repeated keys. */
void dbq_sql_duplicates(textbuf *sql, const dbq_table_spec *spec,
                        const dbq_quoted *q);

/* Age in seconds of max(freshness column), never sampled. */
void dbq_sql_freshness(textbuf *sql, const dbq_table_spec *spec,
                       const dbq_quoted *q);

/* ---- measuring (dbq_measure.c, dbq_pool.c) ------------------------------ */

/* Helpers of the measuring steps (dbq_measure.c). */
void dbq_fail(dbq_table_result *r, const char *fmt, ...) NBAQ_PRINTF(2, 3);
/* A count as PostgreSQL prints it; 0, or -1 when not one. */
int dbq_parse_count(const char *text, int64_t *out);
/* name quoted for the engine (free); NULL with r failed. */
char *dbq_quote(sqlengine *conn, const char *name, dbq_table_result *r);
/* "schema.table" -> "schema"."table" (free); NULL with r failed. */
char *dbq_quote_table_name(sqlengine *conn, const char *name,
                           dbq_table_result *r);
/* Runs sql (caller frees the result); NULL with r failed as
 * "<engine>: <step>: <reason>". one_row: exactly one row is expected. */
sqlengine_result *dbq_query(sqlengine *conn, const textbuf *sql, int nparams,
                            const char *const *params, const char *step,
                            int one_row, dbq_table_result *r);
/* Cell (0, col) of res as a count into *out; 0 or -1. */
int dbq_read_count(const sqlengine_result *res, size_t col, int64_t *out);
/* The catalog column named name; NULL when none. */
const dbq_column *dbq_find_column(const dbq_table_result *r, const char *name);

/* Column rules (dbq_validity.c), in the table's transaction: checks each
 * rule against its column's type and quotes the columns (before the
 * scan); then the literals the server must accept. 0, or -1 with r
 * failed naming the column and the rule. */
int dbq_columns_prepare(sqlengine *conn, const dbq_table_spec *spec,
                        dbq_quoted *q, dbq_table_result *r);
int dbq_columns_validate(sqlengine *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, dbq_table_result *r);
/* Reads the scan's column aggregates from column `col` on. 0 or -1. */
int dbq_columns_read(const sqlengine_result *res, size_t col,
                     const dbq_table_spec *spec, dbq_table_result *r);
/* After the scan, in its snapshot: count(DISTINCT) and the profile, for
 * the columns that need them (dbq_sql_distinct). 0 or -1 (r failed). */
int dbq_columns_count_distinct(sqlengine *conn, const dbq_table_spec *spec,
                               const dbq_quoted *q, dbq_table_result *r);
/* After the scan: failed-row samples, repeated keys, orphans. */
int dbq_columns_follow_up(sqlengine *conn, const dbq_table_spec *spec,
                          const dbq_quoted *q, dbq_table_result *r);
void dbq_quoted_columns_free(dbq_quoted *q, const dbq_table_spec *spec);
/* Frees column_results, the samples and the orphans of r. */
void dbq_column_results_free(dbq_table_result *r);

/* Measures one table in its own read-only transaction on conn. Fills out
 * (zeroed by the caller); a failure sets out->failed and out->error and
 * keeps what was measured before it. */
void dbq_measure_table(sqlengine *conn, const dbq_table_spec *spec,
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

/* The configured statement timeout, shortened to end a margin before
 * deadline_ms (0: none); -1 when the deadline is (nearly) reached. */
int64_t dbq_statement_timeout(const dbq_config *config, int64_t deadline_ms);

/* Every column the queries will name (critical, key, freshness) exists in
 * r->columns; else -1 with r failed naming it (dbq_measure.c). */
int dbq_check_named_columns(const dbq_table_spec *spec, dbq_table_result *r);

/* The columns of spec's table into r (dbq_catalog.c): PostgreSQL's own
 * catalog (format_type, composite types) or, elsewhere,
 * information_schema / the ODBC catalog with normalised types. 0, or -1
 * with r failed. */
int dbq_catalog_read(sqlengine *conn, const dbq_table_spec *spec,
                     const dbq_quoted *q, dbq_table_result *r);
/* Each expected column's type as the catalog names it (PostgreSQL:
 * format_type(to_regtype), elsewhere the normalised type). */
int dbq_catalog_expected_types(sqlengine *conn, const dbq_table_spec *spec,
                               dbq_table_result *r);

/* What the connection's engine cannot run of spec (dbq_engine.c): r
 * failed naming the engine, the option or column rule and the reason,
 * before anything runs; 0 when everything can. */
int dbq_engine_refusal(const sqlengine *conn, const dbq_table_spec *spec,
                       dbq_table_result *r);

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
sqlengine *dbq_connect(const dbq_config *config, char *err, size_t err_size);

/* ---- report (dbq_report.c) ---------------------------------------------- */

/* Records every metric, the state of each table's schema, the status and
 * the message. connect_error: non-NULL when no connection could be opened. */
void dbq_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                const dbq_config *config, const dbq_table_result *results,
                const char *connect_error);

#endif /* NBAQ_DBQ_H */
