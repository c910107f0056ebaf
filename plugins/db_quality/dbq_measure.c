/*
 * dbq_measure.c - one table, one read-only transaction, on any engine of
 * lib/sqlengine: what the engine cannot run is refused first
 * (dbq_engine.c), then its columns from the catalog and the expected types
 * (dbq_catalog.c), then one scan for the row count, every critical
 * column's NULLs and completeness (and the freshness, unless sampled) and
 * the column rules, then the distinct values and profiles, the duplicate
 * keys and, when sampled, the freshness over the whole table.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"

void dbq_fail(dbq_table_result *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->error, sizeof r->error, fmt, ap);
    va_end(ap);
    r->failed = 1;
}

int dbq_parse_count(const char *text, int64_t *out)
{
    if (text == NULL || *text == '\0')
        return -1;
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return -1;
    *out = value;
    return 0;
}

char *dbq_quote(sqlengine *conn, const char *name, dbq_table_result *r)
{
    size_t size = strlen(name) * 2 + 3;
    char *quoted = malloc(size);
    char err[NBAQ_ERR_SIZE];
    if (quoted == NULL) {
        dbq_fail(r, "out of memory");
        return NULL;
    }
    if (sqlengine_quote_identifier(conn, name, quoted, size, err, sizeof err) !=
        0) {
        free(quoted);
        dbq_fail(r, "%s", err);
        return NULL;
    }
    return quoted;
}

/* "schema.table" -> "schema"."table"; "table" -> "table". The first dot
 * separates the schema; each part is quoted as it is written. */
char *dbq_quote_table_name(sqlengine *conn, const char *name,
                           dbq_table_result *r)
{
    const char *dot = strchr(name, '.');
    if (dot == NULL)
        return dbq_quote(conn, name, r);
    if (dot == name || dot[1] == '\0') {
        dbq_fail(r, "invalid table name: empty schema or table part");
        return NULL;
    }
    char *schema_name = strndup(name, (size_t)(dot - name));
    char *schema = schema_name != NULL ? dbq_quote(conn, schema_name, r) : NULL;
    char *table = schema != NULL ? dbq_quote(conn, dot + 1, r) : NULL;
    char *both = NULL;
    if (table != NULL) {
        size_t size = strlen(schema) + strlen(table) + 2;
        both = malloc(size);
        if (both != NULL)
            snprintf(both, size, "%s.%s", schema, table);
        else
            dbq_fail(r, "out of memory");
    }
    free(schema_name);
    free(schema);
    free(table);
    return both;
}

static void quoted_free(dbq_quoted *q, const dbq_table_spec *spec)
{
    free(q->table);
    for (size_t i = 0; q->critical != NULL && i < spec->critical_count; i++)
        free(q->critical[i]);
    for (size_t i = 0; q->keys != NULL && i < spec->key_count; i++)
        free(q->keys[i]);
    free(q->critical);
    free(q->critical_composite);
    free(q->keys);
    free(q->freshness);
    dbq_quoted_columns_free(q, spec);
}

static int quote_list(sqlengine *conn, const char **names, size_t count,
                      char ***out, dbq_table_result *r)
{
    *out = calloc(count + 1, sizeof **out);
    if (*out == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        (*out)[i] = dbq_quote(conn, names[i], r);
        if ((*out)[i] == NULL)
            return -1;
    }
    return 0;
}

static int quote_all(sqlengine *conn, const dbq_table_spec *spec, dbq_quoted *q,
                     dbq_table_result *r)
{
    q->table = dbq_quote_table_name(conn, spec->name, r);
    if (q->table == NULL)
        return -1;
    if (quote_list(conn, spec->critical_columns, spec->critical_count,
                   &q->critical, r) != 0 ||
        quote_list(conn, spec->key_columns, spec->key_count, &q->keys, r) != 0)
        return -1;
    if (spec->freshness_column != NULL) {
        q->freshness = dbq_quote(conn, spec->freshness_column, r);
        if (q->freshness == NULL)
            return -1;
    }
    return 0;
}

/* Runs sql (built in a textbuf that may have failed); NULL on error with
 * the table's error set to "<engine>: <step>: <reason>". */
sqlengine_result *dbq_query(sqlengine *conn, const textbuf *sql, int nparams,
                            const char *const *params, const char *step,
                            int one_row, dbq_table_result *r)
{
    if (textbuf_failed(sql)) {
        dbq_fail(r, "%s: out of memory", step);
        return NULL;
    }
    char err[DBQ_ERROR_MAX - 64];
    sqlengine_result *res = NULL;
    if (sqlengine_query(conn, step, sql->data, nparams, params, &res, err,
                        sizeof err) != 0) {
        dbq_fail(r, "%s", err);
        return NULL;
    }
    if (one_row && res->rows != 1) {
        dbq_fail(r, "%s: the query returned %zu rows, expected 1", step,
                 res->rows);
        sqlengine_result_free(res);
        return NULL;
    }
    return res;
}

int dbq_read_count(const sqlengine_result *res, size_t col, int64_t *out)
{
    return dbq_parse_count(sqlengine_cell(res, 0, col), out);
}

const dbq_column *dbq_find_column(const dbq_table_result *r, const char *name)
{
    for (size_t i = 0; i < r->column_count; i++)
        if (strcmp(r->columns[i].name, name) == 0)
            return &r->columns[i];
    return NULL;
}

/* Every column the queries will name must exist: say which does not. */
int dbq_check_named_columns(const dbq_table_spec *spec, dbq_table_result *r)
{
    for (size_t i = 0; i < spec->critical_count; i++)
        if (dbq_find_column(r, spec->critical_columns[i]) == NULL) {
            dbq_fail(r, "critical column \"%s\" does not exist",
                     spec->critical_columns[i]);
            return -1;
        }
    for (size_t i = 0; i < spec->key_count; i++)
        if (dbq_find_column(r, spec->key_columns[i]) == NULL) {
            dbq_fail(r, "key column \"%s\" does not exist",
                     spec->key_columns[i]);
            return -1;
        }
    if (spec->freshness_column != NULL &&
        dbq_find_column(r, spec->freshness_column) == NULL) {
        dbq_fail(r, "freshness column \"%s\" does not exist",
                 spec->freshness_column);
        return -1;
    }
    return 0;
}

static int mark_composites(const dbq_table_spec *spec, dbq_quoted *q,
                           dbq_table_result *r)
{
    q->critical_composite =
        calloc(spec->critical_count + 1, sizeof *q->critical_composite);
    if (q->critical_composite == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < spec->critical_count; i++)
        q->critical_composite[i] =
            dbq_find_column(r, spec->critical_columns[i])->composite;
    return 0;
}

static int read_freshness(const sqlengine_result *res, size_t column,
                          dbq_table_result *r, const char *step)
{
    r->has_freshness = 1;
    const char *age = sqlengine_cell(res, 0, column);
    if (age == NULL)
        return 0;
    if (sqlengine_parse_number(age, &r->freshness_age_s) != 0) {
        dbq_fail(r, "%s: not a number: \"%s\"", step, age);
        r->has_freshness = 0;
        return -1;
    }
    r->freshness_known = 1;
    return 0;
}

static int run_scan(sqlengine *conn, const dbq_table_spec *spec,
                    const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "counting rows and NULLs";
    int sampled = spec->sample_percent > 0;
    int with_freshness = q->freshness != NULL && !sampled;
    dbq_params params = {
        .values = calloc(dbq_params_needed(spec) + 1, sizeof *params.values)};
    if (params.values == NULL) {
        dbq_fail(r, "%s: out of memory", step);
        return -1;
    }
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, spec, q, with_freshness, &params);
    sqlengine_result *res =
        dbq_query(conn, &sql, params.count, params.values, step, 1, r);
    textbuf_free(&sql);
    free(params.values);
    if (res == NULL)
        return -1;
    r->null_counts = calloc(spec->critical_count + 1, sizeof *r->null_counts);
    int ok = r->null_counts != NULL && dbq_read_count(res, 0, &r->rows) == 0;
    size_t col = 1;
    for (size_t i = 0; ok && i < spec->critical_count; i++)
        ok = dbq_read_count(res, col++, &r->null_counts[i]) == 0;
    int64_t incomplete = 0;
    if (ok && spec->critical_count > 0)
        ok = dbq_read_count(res, col++, &incomplete) == 0;
    r->complete_rows = r->rows - incomplete;
    if (!ok) {
        dbq_fail(r, "%s: unexpected result", step);
        sqlengine_result_free(res);
        return -1;
    }
    r->has_counts = 1;
    int rc = with_freshness ? read_freshness(res, col++, r, step) : 0;
    if (rc == 0 && dbq_columns_read(res, col, spec, r) != 0) {
        dbq_fail(r, "%s: unexpected result", step);
        rc = -1;
    }
    sqlengine_result_free(res);
    return rc;
}

static int run_duplicates(sqlengine *conn, const dbq_table_spec *spec,
                          const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "counting duplicate keys";
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_duplicates(&sql, spec, q);
    sqlengine_result *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    int ok = dbq_read_count(res, 0, &r->duplicate_rows) == 0 &&
             dbq_read_count(res, 1, &r->duplicate_keys) == 0;
    sqlengine_result_free(res);
    if (!ok) {
        dbq_fail(r, "%s: unexpected result", step);
        return -1;
    }
    r->has_duplicates = 1;
    return 0;
}

static int run_freshness(sqlengine *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "reading freshness";
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_freshness(&sql, spec, q);
    sqlengine_result *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    int rc = read_freshness(res, 0, r, step);
    sqlengine_result_free(res);
    return rc;
}

static void measure_in_transaction(sqlengine *conn, const dbq_table_spec *spec,
                                   dbq_table_result *r)
{
    dbq_quoted q = {.syntax = sqlengine_syntax_of(conn),
                    .percentiles = sqlengine_percentiles_of(conn)};
    if (dbq_engine_refusal(conn, spec, r) != 0 ||
        quote_all(conn, spec, &q, r) != 0 ||
        dbq_catalog_read(conn, spec, &q, r) != 0)
        goto done;
    if (spec->expected_count > 0 &&
        dbq_catalog_expected_types(conn, spec, r) != 0)
        goto done;
    if (dbq_check_named_columns(spec, r) != 0 ||
        mark_composites(spec, &q, r) != 0 ||
        dbq_columns_prepare(conn, spec, &q, r) != 0 ||
        dbq_columns_validate(conn, spec, &q, r) != 0 ||
        run_scan(conn, spec, &q, r) != 0 ||
        dbq_columns_count_distinct(conn, spec, &q, r) != 0)
        goto done;
    if (spec->key_count > 0 && run_duplicates(conn, spec, &q, r) != 0)
        goto done;
    if (q.freshness != NULL && spec->sample_percent > 0 &&
        run_freshness(conn, spec, &q, r) != 0)
        goto done;
    dbq_columns_follow_up(conn, spec, &q, r);
done:
    quoted_free(&q, spec);
}

void dbq_measure_table(sqlengine *conn, const dbq_table_spec *spec,
                       int64_t statement_timeout_ms, dbq_table_result *out)
{
    char err[DBQ_ERROR_MAX - 64];
    if (sqlengine_begin(conn, statement_timeout_ms, err, sizeof err) != 0) {
        dbq_fail(out, "starting a read-only transaction: %s", err);
        return;
    }
    measure_in_transaction(conn, spec, out);
    sqlengine_end(conn);
}

void dbq_table_result_free(dbq_table_result *r)
{
    for (size_t i = 0; i < r->column_count; i++) {
        free(r->columns[i].name);
        free(r->columns[i].type);
        free(r->columns[i].base_type);
    }
    free(r->columns);
    for (size_t i = 0;
         r->expected_base_types != NULL && i < r->expected_type_count; i++)
        free(r->expected_base_types[i]);
    free(r->expected_base_types);
    free(r->null_counts);
    dbq_column_results_free(r);
    memset(r, 0, sizeof *r);
}
