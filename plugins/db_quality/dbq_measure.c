/*
 * dbq_measure.c - one table, one read-only transaction: its columns from
 * the catalog, the expected types resolved by the server, then one scan for
 * the row count, every critical column's NULLs and completeness (and the
 * freshness, unless sampled), then the duplicate keys and, when sampled,
 * the freshness over the whole table.
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

char *dbq_quote(pgconn *conn, const char *name, dbq_table_result *r)
{
    char err[NBAQ_ERR_SIZE];
    char *quoted = pgconn_quote_identifier(conn, name, err, sizeof err);
    if (quoted == NULL)
        dbq_fail(r, "%s", err);
    return quoted;
}

/* "schema.table" -> "schema"."table"; "table" -> "table". The first dot
 * separates the schema; each part is quoted as it is written. */
char *dbq_quote_table_name(pgconn *conn, const char *name, dbq_table_result *r)
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
    PQfreemem(schema);
    PQfreemem(table);
    return both;
}

static void quoted_free(dbq_quoted *q, const dbq_table_spec *spec)
{
    free(q->table);
    for (size_t i = 0; q->critical != NULL && i < spec->critical_count; i++)
        PQfreemem(q->critical[i]);
    for (size_t i = 0; q->keys != NULL && i < spec->key_count; i++)
        PQfreemem(q->keys[i]);
    free(q->critical);
    free(q->critical_composite);
    free(q->keys);
    PQfreemem(q->freshness);
    dbq_quoted_columns_free(q, spec);
}

static int quote_list(pgconn *conn, const char **names, size_t count,
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

static int quote_all(pgconn *conn, const dbq_table_spec *spec, dbq_quoted *q,
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
 * the table's error set to "<step>: <reason>". */
PGresult *dbq_query(pgconn *conn, const textbuf *sql, int nparams,
                    const char *const *params, const char *step, int one_row,
                    dbq_table_result *r)
{
    if (textbuf_failed(sql)) {
        dbq_fail(r, "%s: out of memory", step);
        return NULL;
    }
    char err[DBQ_ERROR_MAX - 64];
    PGresult *res =
        pgconn_query(conn, sql->data, nparams, params, err, sizeof err);
    if (res == NULL) {
        dbq_fail(r, "%s: %s", step, err);
        return NULL;
    }
    if (one_row && PQntuples(res) != 1) {
        dbq_fail(r, "%s: the query returned %d rows, expected 1", step,
                 PQntuples(res));
        PQclear(res);
        return NULL;
    }
    return res;
}

static int read_columns(pgconn *conn, const dbq_quoted *q, dbq_table_result *r)
{
    textbuf sql;
    textbuf_init(&sql);
    textbuf_puts(&sql, dbq_sql_columns);
    const char *params[] = {q->table};
    PGresult *res = dbq_query(conn, &sql, 1, params, "reading columns", 0, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    int n = PQntuples(res);
    r->columns = calloc((size_t)n + 1, sizeof *r->columns);
    if (r->columns == NULL) {
        PQclear(res);
        dbq_fail(r, "reading columns: out of memory");
        return -1;
    }
    for (int i = 0; i < n; i++) {
        dbq_column *c = &r->columns[i];
        c->name = strdup(PQgetvalue(res, i, 0));
        c->type = strdup(PQgetvalue(res, i, 1));
        c->base_type = strdup(PQgetvalue(res, i, 2));
        c->nullable = strcmp(PQgetvalue(res, i, 3), "t") == 0;
        c->composite = strcmp(PQgetvalue(res, i, 4), "t") == 0;
        r->column_count++;
        if (c->name == NULL || c->type == NULL || c->base_type == NULL) {
            PQclear(res);
            dbq_fail(r, "reading columns: out of memory");
            return -1;
        }
    }
    PQclear(res);
    r->has_schema = 1;
    return 0;
}

static int resolve_expected_types(pgconn *conn, const dbq_table_spec *spec,
                                  dbq_table_result *r)
{
    r->expected_base_types =
        calloc(spec->expected_count + 1, sizeof *r->expected_base_types);
    r->expected_type_count = spec->expected_count;
    const char **params = calloc(spec->expected_count + 1, sizeof *params);
    size_t *owner = calloc(spec->expected_count + 1, sizeof *owner);
    int rc = -1;
    if (r->expected_base_types == NULL || params == NULL || owner == NULL) {
        dbq_fail(r, "resolving expected types: out of memory");
        goto done;
    }
    size_t count = 0;
    for (size_t i = 0; i < spec->expected_count; i++) {
        if (spec->expected_columns[i].type != NULL) {
            owner[count] = i;
            params[count++] = spec->expected_columns[i].type;
        }
    }
    if (count == 0) {
        rc = 0;
        goto done;
    }
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_types(&sql, count);
    PGresult *res = dbq_query(conn, &sql, (int)count, params,
                              "resolving expected types", 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        goto done;
    for (size_t k = 0; k < count; k++) {
        if (!PQgetisnull(res, 0, (int)k))
            r->expected_base_types[owner[k]] =
                strdup(PQgetvalue(res, 0, (int)k));
    }
    PQclear(res);
    rc = 0;
done:
    free(params);
    free(owner);
    return rc;
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

static int read_freshness(const PGresult *res, int column, dbq_table_result *r,
                          const char *step)
{
    r->has_freshness = 1;
    if (PQgetisnull(res, 0, column))
        return 0;
    if (pgconn_parse_number(PQgetvalue(res, 0, column), &r->freshness_age_s) !=
        0) {
        dbq_fail(r, "%s: not a number: \"%s\"", step,
                 PQgetvalue(res, 0, column));
        r->has_freshness = 0;
        return -1;
    }
    r->freshness_known = 1;
    return 0;
}

static int run_scan(pgconn *conn, const dbq_table_spec *spec,
                    const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "counting rows and NULLs";
    int sampled = spec->sample_percent > 0;
    int with_freshness = q->freshness != NULL && !sampled;
    size_t rules = 0;
    for (size_t i = 0; i < spec->column_count; i++)
        rules += spec->columns[i].rule_count;
    dbq_params params = {.values = calloc(rules + 1, sizeof *params.values)};
    if (params.values == NULL) {
        dbq_fail(r, "%s: out of memory", step);
        return -1;
    }
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_scan(&sql, spec, q, with_freshness, &params);
    PGresult *res =
        dbq_query(conn, &sql, params.count, params.values, step, 1, r);
    textbuf_free(&sql);
    free(params.values);
    if (res == NULL)
        return -1;
    r->null_counts = calloc(spec->critical_count + 1, sizeof *r->null_counts);
    int ok = r->null_counts != NULL &&
             dbq_parse_count(PQgetvalue(res, 0, 0), &r->rows) == 0;
    int col = 1;
    for (size_t i = 0; ok && i < spec->critical_count; i++)
        ok =
            dbq_parse_count(PQgetvalue(res, 0, col++), &r->null_counts[i]) == 0;
    int64_t incomplete = 0;
    if (ok && spec->critical_count > 0)
        ok = dbq_parse_count(PQgetvalue(res, 0, col++), &incomplete) == 0;
    r->complete_rows = r->rows - incomplete;
    if (!ok) {
        dbq_fail(r, "%s: unexpected result", step);
        PQclear(res);
        return -1;
    }
    r->has_counts = 1;
    int rc = with_freshness ? read_freshness(res, col++, r, step) : 0;
    if (rc == 0 && dbq_columns_read(res, col, spec, r) != 0) {
        dbq_fail(r, "%s: unexpected result", step);
        rc = -1;
    }
    PQclear(res);
    return rc;
}

static int run_duplicates(pgconn *conn, const dbq_table_spec *spec,
                          const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "counting duplicate keys";
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_duplicates(&sql, spec, q);
    PGresult *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    int ok = dbq_parse_count(PQgetvalue(res, 0, 0), &r->duplicate_rows) == 0 &&
             dbq_parse_count(PQgetvalue(res, 0, 1), &r->duplicate_keys) == 0;
    PQclear(res);
    if (!ok) {
        dbq_fail(r, "%s: unexpected result", step);
        return -1;
    }
    r->has_duplicates = 1;
    return 0;
}

static int run_freshness(pgconn *conn, const dbq_table_spec *spec,
                         const dbq_quoted *q, dbq_table_result *r)
{
    static const char step[] = "reading freshness";
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_freshness(&sql, spec, q);
    PGresult *res = dbq_query(conn, &sql, 0, NULL, step, 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    int rc = read_freshness(res, 0, r, step);
    PQclear(res);
    return rc;
}

static void measure_in_transaction(pgconn *conn, const dbq_table_spec *spec,
                                   dbq_table_result *r)
{
    dbq_quoted q = {0};
    if (quote_all(conn, spec, &q, r) != 0 || read_columns(conn, &q, r) != 0)
        goto done;
    if (spec->expected_count > 0 && resolve_expected_types(conn, spec, r) != 0)
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

void dbq_measure_table(pgconn *conn, const dbq_table_spec *spec,
                       int64_t statement_timeout_ms, dbq_table_result *out)
{
    char err[DBQ_ERROR_MAX - 64];
    if (pgconn_begin_read_only(conn, statement_timeout_ms, err, sizeof err) !=
        0) {
        dbq_fail(out, "starting a read-only transaction: %s", err);
        return;
    }
    measure_in_transaction(conn, spec, out);
    pgconn_end(conn);
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
