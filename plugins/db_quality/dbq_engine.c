/*
 * dbq_engine.c - db_quality on MariaDB/MySQL and ODBC engines, through
 * lib/sqlengine: the same metrics as on PostgreSQL (dbq_report.c reads the
 * same dbq_table_result) for rows, NULLs, completeness, duplicate keys,
 * freshness, expected columns and drift. Column types are compared in
 * their normalised form (sqlengine_normal_type): `type: integer` matches
 * int and bigint alike.
 *
 * The tables are measured one after another on one connection, each in
 * its own read-only transaction; no example rows are shown (`samples`). Options
 * this path does not run yet (see unsupported_option) fail their table with the
 * option named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "sqlengine.h"

enum { QUOTED_MAX = 300, SQL_MAX = 8192 };

/* The option of spec this path cannot run, or NULL. */
static const char *unsupported_option(const dbq_table_spec *spec)
{
    if (spec->sample_percent > 0)
        return "sample_percent";
    if (spec->column_count > 0)
        return "columns";
    if (spec->reference_count > 0)
        return "references";
    if (spec->backfill_column != NULL)
        return "backfill";
    return NULL;
}

/* "schema.table" -> schema and table parts (schema "" when none). */
static int split_name(const char *name, char *schema, char *table, size_t size)
{
    const char *dot = strchr(name, '.');
    size_t schema_len = dot != NULL ? (size_t)(dot - name) : 0;
    const char *table_part = dot != NULL ? dot + 1 : name;
    if ((dot != NULL && schema_len == 0) || *table_part == '\0' ||
        schema_len >= size || strlen(table_part) >= size)
        return -1;
    memcpy(schema, name, schema_len);
    schema[schema_len] = '\0';
    snprintf(table, size, "%s", table_part);
    return 0;
}

static int quote(const sqlengine *conn, const char *name, char *out,
                 dbq_table_result *r)
{
    char err[256];
    if (sqlengine_quote_identifier(conn, name, out, QUOTED_MAX, err,
                                   sizeof err) == 0)
        return 0;
    dbq_fail(r, "%s", err);
    return -1;
}

static int read_columns(sqlengine *conn, const char *schema, const char *table,
                        dbq_table_result *r)
{
    sqlengine_column *cols = NULL;
    char err[DBQ_ERROR_MAX - 32];
    int n = sqlengine_columns(conn, schema, table, &cols, err, sizeof err);
    if (n <= 0) {
        free(cols);
        if (n < 0)
            dbq_fail(r, "reading columns: %s", err);
        else
            dbq_fail(r, "reading columns: %s: no table \"%s\"",
                     sqlengine_name(conn), table);
        return -1;
    }
    r->columns = calloc((size_t)n + 1, sizeof *r->columns);
    for (int i = 0; r->columns != NULL && i < n; i++) {
        dbq_column *c = &r->columns[i];
        c->name = strdup(cols[i].name);
        c->type = strdup(cols[i].engine_type);
        c->base_type = strdup(cols[i].type);
        c->nullable = cols[i].nullable;
        r->column_count++;
    }
    free(cols);
    for (size_t i = 0; r->columns != NULL && i < r->column_count; i++)
        if (!r->columns[i].name || !r->columns[i].type ||
            !r->columns[i].base_type) {
            dbq_fail(r, "reading columns: out of memory");
            return -1;
        }
    if (r->columns == NULL) {
        dbq_fail(r, "reading columns: out of memory");
        return -1;
    }
    r->has_schema = 1;
    return 0;
}

/* Expected types compare in normalised form. */
static int normalise_expected_types(const dbq_table_spec *spec,
                                    dbq_table_result *r)
{
    r->expected_base_types =
        calloc(spec->expected_count + 1, sizeof *r->expected_base_types);
    if (r->expected_base_types == NULL) {
        dbq_fail(r, "resolving expected types: out of memory");
        return -1;
    }
    r->expected_type_count = spec->expected_count;
    for (size_t i = 0; i < spec->expected_count; i++) {
        const char *type = spec->expected_columns[i].type;
        if (type != NULL)
            r->expected_base_types[i] = strdup(sqlengine_normal_type(type));
    }
    return 0;
}

/* " FROM t" and " WHERE (filter)" when there is one. */
static void append_from(textbuf *sql, const dbq_table_spec *spec,
                        const char *table)
{
    textbuf_printf(sql, " FROM %s", table);
    if (spec->filter != NULL)
        textbuf_printf(sql, " WHERE (\n%s\n)", spec->filter);
}

static int query_row(sqlengine *conn, const textbuf *sql, const char *step,
                     size_t columns, sqlengine_result **out,
                     dbq_table_result *r)
{
    char err[DBQ_ERROR_MAX - 64];
    if (textbuf_failed(sql)) {
        dbq_fail(r, "%s: out of memory", step);
        return -1;
    }
    if (sqlengine_query(conn, step, sql->data, 0, NULL, out, err, sizeof err) !=
        0) {
        dbq_fail(r, "%s: %s", step, err);
        return -1;
    }
    if ((*out)->rows != 1 || (*out)->columns != columns) {
        dbq_fail(r, "%s: unexpected result", step);
        return -1;
    }
    return 0;
}

static int count_at(const sqlengine_result *res, size_t column, int64_t *out)
{
    const char *text = sqlengine_cell(res, 0, column);
    return text != NULL ? dbq_parse_count(text, out) : -1;
}

static void append_is_null_any(textbuf *sql, char (*critical)[QUOTED_MAX],
                               size_t count)
{
    for (size_t i = 0; i < count; i++)
        textbuf_printf(sql, "%s%s IS NULL", i > 0 ? " OR " : "", critical[i]);
}

static int run_scan(sqlengine *conn, const dbq_table_spec *spec,
                    const char *table, char (*critical)[QUOTED_MAX],
                    const char *freshness, dbq_table_result *r)
{
    static const char step[] = "counting rows and NULLs";
    char expr[QUOTED_MAX * 2 + 64], err[256];
    textbuf sql, cond;
    textbuf_init(&sql);
    textbuf_init(&cond);
    textbuf_puts(&sql, "SELECT COUNT(*)");
    for (size_t i = 0; i < spec->critical_count; i++) {
        snprintf(expr, sizeof expr, "%s IS NULL", critical[i]);
        char count[sizeof expr + 64];
        sqlengine_count_if(conn, expr, count, sizeof count);
        textbuf_printf(&sql, ", %s", count);
    }
    if (spec->critical_count > 0) {
        append_is_null_any(&cond, critical, spec->critical_count);
        char *count = malloc(cond.len + 64);
        if (count != NULL &&
            sqlengine_count_if(conn, cond.data, count, cond.len + 64) == 0)
            textbuf_printf(&sql, ", %s", count);
        free(count);
    }
    textbuf_free(&cond);
    int with_freshness = freshness != NULL;
    if (with_freshness) {
        if (sqlengine_age_seconds(conn, freshness, expr, sizeof expr, err,
                                  sizeof err) != 0) {
            textbuf_free(&sql);
            dbq_fail(r, "%s", err);
            return -1;
        }
        textbuf_printf(&sql, ", %s", expr);
    }
    append_from(&sql, spec, table);
    size_t columns = 1 + spec->critical_count + (spec->critical_count > 0) +
                     (size_t)with_freshness;
    sqlengine_result *res = NULL;
    int rc = query_row(conn, &sql, step, columns, &res, r);
    textbuf_free(&sql);
    r->null_counts = calloc(spec->critical_count + 1, sizeof *r->null_counts);
    int ok =
        rc == 0 && r->null_counts != NULL && count_at(res, 0, &r->rows) == 0;
    size_t col = 1;
    for (size_t i = 0; ok && i < spec->critical_count; i++)
        ok = count_at(res, col++, &r->null_counts[i]) == 0;
    int64_t incomplete = 0;
    if (ok && spec->critical_count > 0)
        ok = count_at(res, col++, &incomplete) == 0;
    r->complete_rows = r->rows - incomplete;
    if (ok && with_freshness) {
        r->has_freshness = 1;
        const char *age = sqlengine_cell(res, 0, col);
        r->freshness_known = age != NULL && sqlengine_parse_number(
                                                age, &r->freshness_age_s) == 0;
    }
    sqlengine_result_free(res);
    if (rc == 0 && !ok) {
        dbq_fail(r, "%s: unexpected result", step);
        return -1;
    }
    r->has_counts = ok;
    return ok ? 0 : -1;
}

static int count_duplicates(sqlengine *conn, const dbq_table_spec *spec,
                            const char *table, char (*keys)[QUOTED_MAX],
                            dbq_table_result *r)
{
    textbuf sql;
    textbuf_init(&sql);
    textbuf_puts(&sql, "SELECT COALESCE(SUM(n - 1), 0), COUNT(*) FROM "
                       "(SELECT COUNT(*) AS n");
    textbuf_printf(&sql, " FROM %s WHERE ", table);
    /* A key with a NULL part equals no other, as in a UNIQUE constraint. */
    for (size_t i = 0; i < spec->key_count; i++)
        textbuf_printf(&sql, "%s%s IS NOT NULL", i > 0 ? " AND " : "", keys[i]);
    if (spec->filter != NULL)
        textbuf_printf(&sql, " AND (\n%s\n)", spec->filter);
    textbuf_puts(&sql, " GROUP BY ");
    for (size_t i = 0; i < spec->key_count; i++)
        textbuf_printf(&sql, "%s%s", i > 0 ? ", " : "", keys[i]);
    textbuf_puts(&sql, " HAVING COUNT(*) > 1) repeated");
    sqlengine_result *res = NULL;
    int rc = query_row(conn, &sql, "counting duplicate keys", 2, &res, r);
    textbuf_free(&sql);
    if (rc == 0 && (count_at(res, 0, &r->duplicate_rows) != 0 ||
                    count_at(res, 1, &r->duplicate_keys) != 0)) {
        dbq_fail(r, "counting duplicate keys: unexpected result");
        rc = -1;
    }
    sqlengine_result_free(res);
    r->has_duplicates = rc == 0;
    return rc;
}

/* Quotes every name the queries use; fixed-size arrays of QUOTED_MAX. */
typedef struct engine_names {
    char table[QUOTED_MAX * 2 + 2];
    char (*critical)[QUOTED_MAX];
    char (*keys)[QUOTED_MAX];
    char freshness[QUOTED_MAX];
} engine_names;

static int quote_names(const sqlengine *conn, const dbq_table_spec *spec,
                       const char *schema, const char *table, engine_names *n,
                       dbq_table_result *r)
{
    char part[QUOTED_MAX];
    n->table[0] = '\0';
    if (schema[0] != '\0') {
        if (quote(conn, schema, part, r) != 0)
            return -1;
        snprintf(n->table, sizeof n->table, "%s.", part);
    }
    if (quote(conn, table, part, r) != 0)
        return -1;
    strncat(n->table, part, sizeof n->table - strlen(n->table) - 1);
    n->critical = calloc(spec->critical_count + 1, sizeof *n->critical);
    n->keys = calloc(spec->key_count + 1, sizeof *n->keys);
    if (n->critical == NULL || n->keys == NULL) {
        dbq_fail(r, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < spec->critical_count; i++)
        if (quote(conn, spec->critical_columns[i], n->critical[i], r) != 0)
            return -1;
    for (size_t i = 0; i < spec->key_count; i++)
        if (quote(conn, spec->key_columns[i], n->keys[i], r) != 0)
            return -1;
    if (spec->freshness_column != NULL &&
        quote(conn, spec->freshness_column, n->freshness, r) != 0)
        return -1;
    return 0;
}

static void measure_table(sqlengine *conn, const dbq_table_spec *spec,
                          int64_t timeout_ms, dbq_table_result *r)
{
    const char *option = unsupported_option(spec);
    if (option != NULL) {
        dbq_fail(r,
                 "%s: %s is not supported on this engine yet (see "
                 "\"Engines\" in docs/db-quality.md)",
                 sqlengine_name(conn), option);
        return;
    }
    char schema[QUOTED_MAX], table[QUOTED_MAX], err[DBQ_ERROR_MAX - 32];
    if (split_name(spec->name, schema, table, sizeof schema) != 0) {
        dbq_fail(r, "invalid table name: empty or too long schema or table");
        return;
    }
    if (sqlengine_begin(conn, timeout_ms, err, sizeof err) != 0) {
        dbq_fail(r, "%s", err);
        return;
    }
    engine_names n = {0};
    if (read_columns(conn, schema, table, r) == 0 &&
        normalise_expected_types(spec, r) == 0 &&
        dbq_check_named_columns(spec, r) == 0 &&
        quote_names(conn, spec, schema, table, &n, r) == 0 &&
        run_scan(conn, spec, n.table, n.critical,
                 spec->freshness_column != NULL ? n.freshness : NULL, r) == 0 &&
        spec->key_count > 0)
        count_duplicates(conn, spec, n.table, n.keys, r);
    free(n.critical);
    free(n.keys);
    sqlengine_end(conn);
}

int dbq_engine_measure_all(const dbq_config *config, int64_t deadline_ms,
                           dbq_table_result *results, char *err,
                           size_t err_size)
{
    sqlengine_options options = {.dsn = config->dsn,
                                 .connect_timeout_ms =
                                     config->connect_timeout_ms,
                                 .application_name = "nbaq db_quality"};
    sqlengine *conn = sqlengine_open(&options, err, err_size);
    if (conn == NULL)
        return -1;
    for (size_t i = 0; i < config->table_count; i++) {
        int64_t timeout = dbq_statement_timeout(config, deadline_ms);
        if (timeout < 0)
            dbq_fail(&results[i], "not measured: the check's time ran out");
        else
            measure_table(conn, &config->tables[i], timeout, &results[i]);
    }
    sqlengine_close(conn);
    return 0;
}
