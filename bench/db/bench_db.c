/*
 * bench_db.c - db_quality's scan against a plain count(*) and against one
 * query per column, on a table of ROWS rows and 10 critical columns.
 *
 *   bench_db URL [--setup] [--runs N] [--rows N]
 *
 * --setup (re)creates bench_dbq.wide; each variant then runs once to warm
 * the cache and N times (default 7); the median wall time is printed, with
 * its ratio to count(*). count(c10), which decodes every column of every
 * row, shows the floor of any exact per-column measurement.
 * The db_quality check figures are dbq_measure_all() as the plugin runs
 * it: connect, read-only transaction, catalog and the one scan (whole
 * table, then a 10 % TABLESAMPLE SYSTEM); "scan statement alone" is the
 * same scan on the already open connection.
 *
 * Validity rules (issue 12): the same scan with 3 rules on each column
 * (min/max/values on numbers, regex/min_length/max_length on text,
 * min/max/not_future on dates and timestamps; the boolean takes only
 * `values`: 28 rules), against one count(*) per rule. With `unique` on 4
 * columns as well: its own statement (dbq_sql_distinct), against the old
 * form, count(DISTINCT) inside the scan (which loses the parallel workers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_args.h"
#include "bench_check.h"
#include "dbq.h"

#define COLUMNS 10

static const char *columns[COLUMNS] = {"c1", "c2", "c3", "c4", "c5",
                                       "c6", "c7", "c8", "c9", "c10"};

static void die(const char *what, PGconn *conn)
{
    fprintf(stderr, "bench_db: %s: %s\n", what,
            conn != NULL ? PQerrorMessage(conn) : "");
    exit(1);
}

static void exec_sql(PGconn *conn, const char *sql)
{
    PGresult *res = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        die(sql, conn);
    PQclear(res);
}

/* Ten columns of different types, each NULL in every (10 + i)-th row. */
static void setup_table(PGconn *conn, long rows)
{
    char sql[2048];
    exec_sql(conn, "DROP SCHEMA IF EXISTS bench_dbq CASCADE; "
                   "CREATE SCHEMA bench_dbq");
    snprintf(sql, sizeof sql,
             "CREATE TABLE bench_dbq.wide AS SELECT g AS id,"
             " CASE WHEN g %% 10 = 0 THEN NULL ELSE g END AS c1,"
             " CASE WHEN g %% 11 = 0 THEN NULL ELSE g::text END AS c2,"
             " CASE WHEN g %% 12 = 0 THEN NULL ELSE g * 1.5 END AS c3,"
             " CASE WHEN g %% 13 = 0 THEN NULL ELSE now() END AS c4,"
             " CASE WHEN g %% 14 = 0 THEN NULL ELSE g %% 100 END AS c5,"
             " CASE WHEN g %% 15 = 0 THEN NULL ELSE 'x' || g END AS c6,"
             " CASE WHEN g %% 16 = 0 THEN NULL ELSE g::bigint END AS c7,"
             " CASE WHEN g %% 17 = 0 THEN NULL ELSE g %% 2 = 0 END AS c8,"
             " CASE WHEN g %% 18 = 0 THEN NULL ELSE current_date END AS c9,"
             " CASE WHEN g %% 19 = 0 THEN NULL ELSE g::float8 END AS c10"
             " FROM generate_series(1, %ld) g",
             rows);
    exec_sql(conn, sql);
    exec_sql(conn, "VACUUM ANALYZE bench_dbq.wide");
}

/* Runs sql (freed here) with text parameters; dies on error. */
static void exec_params(PGconn *conn, textbuf *sql, int count,
                        const char *const *params)
{
    PGresult *res =
        PQexecParams(conn, sql->data, count, NULL, params, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_TUPLES_OK)
        die(sql->data, conn);
    PQclear(res);
    textbuf_free(sql);
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, int n)
{
    qsort(values, (size_t)n, sizeof *values, compare_double);
    return values[n / 2];
}

/* Median over rounds of rules[r] / nulls[r]. */
static double rules_vs_nulls(const double *nulls, const double *rules, int n)
{
    double *ratio = calloc((size_t)n, sizeof *ratio);
    for (int r = 0; r < n; r++)
        ratio[r] = rules[r] / (nulls[r] > 0 ? nulls[r] : 1);
    double m = median(ratio, n);
    free(ratio);
    return m;
}

typedef void (*variant_fn)(const char *url, PGconn *conn);

static double time_ms(variant_fn fn, const char *url, PGconn *conn)
{
    int64_t start = dbq_now_ms();
    fn(url, conn);
    return (double)(dbq_now_ms() - start);
}

static void plain_count(const char *url, PGconn *conn)
{
    (void)url;
    exec_sql(conn, "SELECT count(*) FROM bench_dbq.wide");
}

/* The floor of any exact measurement of every column: count(c10) must
 * decode every column of every row (c10 is the last one). */
static void read_all_columns(const char *url, PGconn *conn)
{
    (void)url;
    exec_sql(conn, "SELECT count(c10) FROM bench_dbq.wide");
}

static void per_column(const char *url, PGconn *conn)
{
    (void)url;
    char sql[256];
    exec_sql(conn, "SELECT count(*) FROM bench_dbq.wide");
    for (int i = 0; i < COLUMNS; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT count(*) FROM bench_dbq.wide WHERE %s IS NULL",
                 columns[i]);
        exec_sql(conn, sql);
    }
}

/* The rules of each column: kind and literal, at most 3. */
typedef struct bench_rules {
    dbq_type_class type;
    dbq_rule rules[3];
    size_t count;
} bench_rules;

#define NUMBER_RULES(values)                                                   \
    {                                                                          \
        DBQ_TYPE_NUMBER,                                                       \
            {{DBQ_RULE_MIN, "0", NULL, 0},                                     \
             {DBQ_RULE_MAX, "1000000000", NULL, 0},                            \
             {DBQ_RULE_VALUES, values, NULL, 0}},                              \
            3                                                                  \
    }
#define TEXT_RULES                                                             \
    {                                                                          \
        DBQ_TYPE_TEXT,                                                         \
            {{DBQ_RULE_REGEX, "^[0-9x]+$", NULL, 0},                           \
             {DBQ_RULE_MIN_LENGTH, "1", NULL, 0},                              \
             {DBQ_RULE_MAX_LENGTH, "20", NULL, 0}},                            \
            3                                                                  \
    }
#define TIME_RULES                                                             \
    {                                                                          \
        DBQ_TYPE_TIME,                                                         \
            {{DBQ_RULE_MIN, "2000-01-01", NULL, 0},                            \
             {DBQ_RULE_MAX, "2100-01-01", NULL, 0},                            \
             {DBQ_RULE_NOT_FUTURE, "0", NULL, 0}},                             \
            3                                                                  \
    }

static bench_rules column_rules[COLUMNS] = {
    NUMBER_RULES("{1,2,3}"),
    TEXT_RULES,
    NUMBER_RULES("{1.5,3}"),
    TIME_RULES,
    NUMBER_RULES("{1,2,3}"),
    TEXT_RULES,
    NUMBER_RULES("{1,2,3}"),
    {DBQ_TYPE_OTHER, {{DBQ_RULE_VALUES, "{true,false}", NULL, 0}}, 1},
    TIME_RULES,
    NUMBER_RULES("{1,2,3}"),
};

/* Every rule; and every rule but the regexes (the text columns' first),
 * to show what the regex engine costs. */
static dbq_column_spec rule_specs[COLUMNS], rule_specs_no_regex[COLUMNS],
    unique_specs[COLUMNS];
/* The columns that also take `unique`: integer, text, integer, bigint. */
static const int unique_columns[] = {0, 1, 4, 6};
enum { UNIQUE_COUNT = sizeof unique_columns / sizeof unique_columns[0] };
static dbq_type_class rule_types[COLUMNS];

static void init_rule_specs(void)
{
    for (int i = 0; i < COLUMNS; i++) {
        rule_specs[i] = (dbq_column_spec){.name = columns[i],
                                          .rules = column_rules[i].rules,
                                          .rule_count = column_rules[i].count};
        rule_specs_no_regex[i] = rule_specs[i];
        if (column_rules[i].rules[0].kind == DBQ_RULE_REGEX) {
            rule_specs_no_regex[i].rules++;
            rule_specs_no_regex[i].rule_count--;
        }
        rule_types[i] = column_rules[i].type;
        unique_specs[i] = rule_specs[i];
    }
    for (int i = 0; i < UNIQUE_COUNT; i++)
        unique_specs[unique_columns[i]].unique = 1;
}

static char *quoted_columns[COLUMNS] = {"c1", "c2", "c3", "c4", "c5",
                                        "c6", "c7", "c8", "c9", "c10"};

static dbq_table_spec bench_table(dbq_column_spec *rules)
{
    dbq_table_spec table = {.name = "bench_dbq.wide",
                            .critical_columns = columns,
                            .critical_count = COLUMNS};
    if (rules != NULL) {
        table.columns = rules;
        table.column_count = COLUMNS;
    }
    return table;
}

static const dbq_quoted bench_quoted = {.table = "bench_dbq.wide",
                                        .critical = quoted_columns,
                                        .columns = quoted_columns,
                                        .column_types = rule_types};

/* The scan; with unique_inside, the old form: each unique column's
 * count(DISTINCT) inside it, before the FROM. */
static void scan_with(PGconn *conn, dbq_column_spec *rules, int jit,
                      int unique_inside)
{
    dbq_table_spec table = bench_table(rules);
    const char *values[3 * COLUMNS];
    dbq_params params = {.values = values};
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, &table, &bench_quoted, 0, &params);
    if (unique_inside) {
        textbuf old = sql;
        char *from = strstr(old.data, " FROM ");
        textbuf_init(&sql);
        textbuf_printf(&sql, "%.*s", (int)(from - old.data), old.data);
        for (int i = 0; i < UNIQUE_COUNT; i++)
            textbuf_printf(&sql, ", count(DISTINCT %s)",
                           columns[unique_columns[i]]);
        textbuf_puts(&sql, from);
        textbuf_free(&old);
    }
    if (rules != NULL && !jit)
        exec_sql(conn, "SET jit = off"); /* as the plugin does */
    exec_params(conn, &sql, params.count, params.values);
    exec_sql(conn, "RESET jit");
}

/* unique's own statement, as the plugin runs it after the scan. */
static void unique_statement(const char *url, PGconn *conn)
{
    (void)url;
    dbq_table_spec table = bench_table(unique_specs);
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_distinct(&sql, &table, &bench_quoted);
    exec_params(conn, &sql, 0, NULL);
}

static void scan_with_rules_unique_inside(const char *url, PGconn *conn)
{
    (void)url;
    scan_with(conn, rule_specs, 0, 1);
}

/* The same scan with the validity rules of every column. */
static void scan_with_rules(const char *url, PGconn *conn)
{
    (void)url;
    scan_with(conn, rule_specs, 0, 0);
}

/* The same with the server's JIT settings (what db_quality turns off). */
static void scan_with_rules_jit(const char *url, PGconn *conn)
{
    (void)url;
    scan_with(conn, rule_specs, 1, 0);
}

static void scan_with_rules_but_regex(const char *url, PGconn *conn)
{
    (void)url;
    scan_with(conn, rule_specs_no_regex, 0, 0);
}

/* One count(*) per rule: what the scan replaces. */
static void per_rule(const char *url, PGconn *conn)
{
    (void)url;
    for (int i = 0; i < COLUMNS; i++)
        for (size_t k = 0; k < column_rules[i].count; k++) {
            textbuf sql;
            textbuf_init(&sql);
            textbuf_puts(&sql, "SELECT count(*) FROM bench_dbq.wide WHERE ");
            const char *param = NULL;
            dbq_params params = {.values = &param};
            dbq_sql_rule_condition(
                &sql, (sqlengine_syntax){0}, &column_rules[i].rules[k],
                columns[i], column_rules[i].type, DBQ_LITERAL_ANY, &params);
            exec_params(conn, &sql, 1, &param);
        }
}

/* db_quality's scan statement alone, on the open connection. */
static void scan_only(const char *url, PGconn *conn)
{
    (void)url;
    scan_with(conn, NULL, 1, 0);
}

static void run_check(const char *url, double sample_percent,
                      dbq_column_spec *rules)
{
    dbq_table_spec table = {.name = "bench_dbq.wide",
                            .critical_columns = columns,
                            .critical_count = COLUMNS,
                            .sample_percent = sample_percent,
                            .columns = rules,
                            .column_count = rules != NULL ? COLUMNS : 0,
                            .samples = 5};
    bench_db_check("bench_db", url, &table);
}

static void db_quality(const char *url, PGconn *conn)
{
    (void)conn;
    run_check(url, 0, NULL);
}

static void db_quality_rules(const char *url, PGconn *conn)
{
    (void)conn;
    run_check(url, 0, rule_specs);
}

static void db_quality_sampled(const char *url, PGconn *conn)
{
    (void)conn;
    run_check(url, 10, NULL);
}

int main(int argc, char **argv)
{
    bench_args args;
    if (bench_args_parse(argc, argv, "bench_db", &args) != 0)
        return 64;
    const char *url = args.url;
    int setup = args.setup, runs = args.runs;
    long rows = args.rows;
    PGconn *conn = PQconnectdb(url);
    if (PQstatus(conn) != CONNECTION_OK)
        die("connect", conn);
    if (setup)
        setup_table(conn, rows);

    /* The variants run back to back in each round, so that a round sees
     * one machine load; the ratios are taken per round, then the median. */
    init_rule_specs();
    enum { VARIANTS = 13 };
    static const variant_fn variants[VARIANTS] = {
        plain_count,
        read_all_columns,
        scan_only,
        scan_with_rules,
        scan_with_rules_jit,
        scan_with_rules_but_regex,
        db_quality,
        db_quality_rules,
        db_quality_sampled,
        per_column,
        per_rule,
        unique_statement,
        scan_with_rules_unique_inside};
    static const char *const labels[VARIANTS] = {
        "SELECT count(*)",
        "SELECT count(c10) (reads all columns)",
        "db_quality's scan statement alone",
        "the scan with 28 validity rules",
        "the same with the server's JIT",
        "the scan with 26 rules (no regex)",
        "db_quality check (connect, catalog, scan)",
        "db_quality check with the 28 rules",
        "db_quality check, sample_percent 10",
        "one query per column (11 queries)",
        "one query per rule (28 queries)",
        "unique's own statement (4 columns)",
        "28 rules + 4 count(DISTINCT) in the scan"};
    double *ms[VARIANTS], *ratio[VARIANTS];
    for (int v = 0; v < VARIANTS; v++) {
        ms[v] = calloc((size_t)runs, sizeof(double));
        ratio[v] = calloc((size_t)runs, sizeof(double));
        variants[v](url, conn); /* warm-up */
    }
    for (int r = 0; r < runs; r++) {
        for (int v = 0; v < VARIANTS; v++)
            ms[v][r] = time_ms(variants[v], url, conn);
        for (int v = 0; v < VARIANTS; v++)
            ratio[v][r] = ms[v][r] / (ms[0][r] > 0 ? ms[0][r] : 1);
    }
    printf("bench_dbq.wide: %d critical columns; median of %d rounds\n",
           COLUMNS, runs);
    printf("rules scan vs NULL-only scan: %.2fx; without the 2 regexes: "
           "%.2fx (medians of per-round ratios)\n",
           rules_vs_nulls(ms[2], ms[3], runs),
           rules_vs_nulls(ms[2], ms[5], runs));
    printf("unique's statement vs NULL-only scan: %.2fx; the scan with "
           "count(DISTINCT) inside: %.2fx\n",
           rules_vs_nulls(ms[2], ms[11], runs),
           rules_vs_nulls(ms[2], ms[12], runs));
    printf("check with rules vs check without: %.2fx\n",
           rules_vs_nulls(ms[6], ms[7], runs));
    for (int v = 0; v < VARIANTS; v++) {
        printf("%-40s %8.0f ms  %5.2fx count(*)\n", labels[v],
               median(ms[v], runs), median(ratio[v], runs));
        free(ms[v]);
        free(ratio[v]);
    }
    PQfinish(conn);
    return 0;
}
