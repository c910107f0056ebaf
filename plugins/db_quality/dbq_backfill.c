/*
 * dbq_backfill.c - `backfill: {column, days}` of a table: the metric
 * <table>.rows_per_day (rows whose column falls on the last complete UTC
 * day) and, on the first run, the same count for each of the `days` days
 * before, handed to the host with metric_backfill() so that the first run
 * already has a baseline. One read-only GROUP BY query per table (the day
 * from sqlengine_sql_day_epoch), on a connection of its own.
 *
 * Each point means "rows of the UTC day before the point's day": the
 * value of this run counts yesterday, and the past value k days ago
 * (stamped now - k days) counts the day before that day.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbq.h"

#define DAY_MS 86400000LL
#define BACKFILL_STATE_KEY "backfill:tables"

const nbaq_option_spec dbq_backfill_fields[] = {
    {.name = "column",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "timestamp, timestamptz or date column: rows are "
                    "counted per UTC day of it"},
    {.name = "days",
     .type = NBAQ_OPT_INT,
     .default_value = "28",
     .min = 1,
     .max = 365,
     .description = "days of past counts handed to the history on the "
                    "first run"},
    NBAQ_OPTION_END};

void dbq_backfill_read(const nbaq_host_api *api, const nbaq_options *table,
                       dbq_table_spec *t)
{
    if (!api->opt_is_set(table, "backfill"))
        return;
    const nbaq_options *b = api->opt_object(table, "backfill");
    t->backfill_column = api->opt_string(b, "column");
    t->backfill_days = (int)api->opt_int(b, "days");
}

static int64_t wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Is table a line of the state text done? */
static int already_done(const char *done, const char *table)
{
    size_t len = strlen(table);
    for (const char *p = done; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == len && strncmp(p, table, len) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

static void utc_date(int64_t ms, char *buf, size_t size)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%d", &tm);
}

/* PostgreSQL: timestamptz days in UTC, for this transaction. */
static int utc_session(sqlengine *conn, char *err, size_t err_size)
{
    if (sqlengine_dialect_get(conn) != SQLENGINE_DIALECT_POSTGRESQL)
        return 0;
    sqlengine_result *res = NULL;
    int rc = sqlengine_query(conn, "time zone",
                             "SELECT set_config('TimeZone', 'UTC', true)", 0,
                             NULL, &res, err, err_size);
    sqlengine_result_free(res);
    return rc;
}

static void count_days_sql(textbuf *sql, sqlengine_syntax d,
                           const dbq_table_spec *t, const char *table,
                           const char *column)
{
    textbuf_puts(sql, "SELECT ");
    if (sqlengine_sql_day_epoch(sql, d, column) != 0)
        textbuf_fail(sql);
    textbuf_printf(sql, ", count(*) FROM %s WHERE %s >= ", table, column);
    sqlengine_sql_placeholder(sql, d, 1);
    textbuf_printf(sql, " AND %s < ", column);
    sqlengine_sql_placeholder(sql, d, 2);
    if (t->filter)
        textbuf_printf(sql, " AND (%s)", t->filter);
    textbuf_puts(sql, " GROUP BY 1 ORDER BY 1");
}

/* The daily counts of [first_day, today) by day index from first_day;
 * 0 where the query returned no row. */
static sqlengine_result *count_days(sqlengine *conn, const dbq_table_spec *t,
                                    int64_t first_day_ms, int64_t today_ms,
                                    char *err, size_t err_size)
{
    dbq_table_result scratch = {0};
    char *table = dbq_quote_table_name(conn, t->name, &scratch);
    char *column = table ? dbq_quote(conn, t->backfill_column, &scratch) : NULL;
    if (!column)
        snprintf(err, err_size, "%.400s", scratch.error);
    sqlengine_result *res = NULL;
    if (column) {
        textbuf sql;
        textbuf_init(&sql);
        count_days_sql(&sql, sqlengine_syntax_of(conn), t, table, column);
        char from[16], to[16];
        utc_date(first_day_ms, from, sizeof from);
        utc_date(today_ms, to, sizeof to);
        const char *params[] = {from, to};
        if (textbuf_failed(&sql))
            snprintf(err, err_size, "out of memory");
        else if (utc_session(conn, err, err_size) == 0)
            sqlengine_query(conn, "counting rows per day", sql.data, 2, params,
                            &res, err, err_size);
        textbuf_free(&sql);
    }
    free(table);
    free(column);
    return res;
}

/* Per day from first_day_ms: the counts the query returned. */
static void fill_counts(const sqlengine_result *res, int64_t first_day_ms,
                        int64_t *counts, size_t days)
{
    for (size_t i = 0; i < res->rows; i++) {
        const char *day = sqlengine_cell(res, i, 0);
        const char *count = sqlengine_cell(res, i, 1);
        if (day == NULL || count == NULL)
            continue;
        int64_t day_s = strtoll(day, NULL, 10);
        int64_t index = (day_s * 1000 - first_day_ms) / DAY_MS;
        if (index >= 0 && (size_t)index < days)
            counts[index] = strtoll(count, NULL, 10);
    }
}

/* rows_per_day and, when backfill, the past days. 0 or -1 with err. */
static int measure_table(const nbaq_host_api *api, nbaq_ctx *ctx,
                         sqlengine *conn, const dbq_table_spec *t, int backfill,
                         int64_t now_ms, char *err, size_t err_size)
{
    int64_t today = now_ms / DAY_MS * DAY_MS;
    size_t days = 1 + (backfill ? (size_t)t->backfill_days : 0);
    int64_t first_day = today - (int64_t)days * DAY_MS;
    sqlengine_result *res =
        count_days(conn, t, first_day, today, err, err_size);
    if (!res)
        return -1;
    int64_t *counts = calloc(days, sizeof *counts);
    nbaq_point *points = calloc(days, sizeof *points);
    int rc = counts && points ? 0 : -1;
    if (rc == 0) {
        fill_counts(res, first_day, counts, days);
        char name[1024];
        snprintf(name, sizeof name, "%s.rows_per_day", t->name);
        /* counts[days - 1] is yesterday; counts[days - 1 - k] the day
         * before the point stamped k days ago. */
        for (size_t k = 1; k < days; k++)
            points[k - 1] = (nbaq_point){now_ms - (int64_t)k * DAY_MS,
                                         (double)counts[days - 1 - k]};
        if (backfill)
            api->metric_backfill(ctx, name, "rows", points, days - 1);
        api->metric_set(ctx, name, (double)counts[days - 1], "rows");
    } else {
        snprintf(err, err_size, "out of memory");
    }
    free(counts);
    free(points);
    sqlengine_result_free(res);
    return rc;
}

void dbq_backfill_all(const nbaq_host_api *api, nbaq_ctx *ctx,
                      const dbq_config *config, dbq_table_result *results)
{
    const char *done = api->state_get(ctx, BACKFILL_STATE_KEY);
    textbuf now_done;
    textbuf_init(&now_done);
    textbuf_puts(&now_done, done ? done : "");
    sqlengine *conn = NULL;
    char err[DBQ_ERROR_MAX - 64] = "";
    for (size_t i = 0; i < config->table_count; i++) {
        const dbq_table_spec *t = &config->tables[i];
        if (!t->backfill_column || results[i].failed)
            continue;
        if (!conn && !(conn = dbq_connect(config, err, sizeof err)))
            break;
        int backfill = !already_done(done, t->name);
        int rc = sqlengine_begin(conn, config->statement_timeout_ms, err,
                                 sizeof err);
        if (rc == 0)
            rc = measure_table(api, ctx, conn, t, backfill, wall_clock_ms(),
                               err, sizeof err);
        sqlengine_end(conn);
        if (rc != 0) {
            results[i].failed = 1;
            snprintf(results[i].error, sizeof results[i].error,
                     "rows_per_day: %.400s", err);
        } else if (backfill) {
            textbuf_printf(&now_done, "%s%s", now_done.len ? "\n" : "",
                           t->name);
        }
    }
    if (!conn && err[0])
        api->log(ctx, NBAQ_LOG_ERROR, "rows_per_day not measured: %s", err);
    /* With DBQ_MAX_TABLES schema keys the state is full: the past is then
     * queried again each run (the host still stores it only once). */
    if (config->table_count < DBQ_MAX_TABLES && !textbuf_failed(&now_done) &&
        now_done.len > 0 && (!done || strcmp(done, now_done.data) != 0))
        api->state_set(ctx, BACKFILL_STATE_KEY, now_done.data);
    textbuf_free(&now_done);
    sqlengine_close(conn);
}
