/*
 * dbq_catalog.c - the columns of a table and the expected columns' types,
 * per engine. PostgreSQL: its own catalog (format_type with and without
 * modifier, composite and domain types, whose NULL test needs num_nulls)
 * and to_regtype for the expected types, so that `type: int4` matches
 * integer. Elsewhere: sqlengine_columns (information_schema or the ODBC
 * catalog), types compared in their normalised form
 * (sqlengine_normal_type): `type: integer` matches int and bigint alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"

static int is_pg(const sqlengine *conn)
{
    return sqlengine_dialect_get(conn) == SQLENGINE_DIALECT_POSTGRESQL;
}

/* A boolean as PostgreSQL prints it ("t"), or psqlODBC ("1"). */
static int is_true(const char *cell)
{
    return cell != NULL && (strcmp(cell, "t") == 0 || strcmp(cell, "1") == 0);
}

static int column_complete(const dbq_column *c)
{
    return c->name != NULL && c->type != NULL && c->base_type != NULL;
}

static int read_pg_columns(sqlengine *conn, const dbq_quoted *q,
                           dbq_table_result *r)
{
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_columns(&sql, q->syntax);
    const char *params[] = {q->table};
    sqlengine_result *res =
        dbq_query(conn, &sql, 1, params, "reading columns", 0, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    r->columns = calloc(res->rows + 1, sizeof *r->columns);
    int ok = r->columns != NULL;
    for (size_t i = 0; ok && i < res->rows; i++) {
        dbq_column *c = &r->columns[i];
        const char *name = sqlengine_cell(res, i, 0);
        const char *type = sqlengine_cell(res, i, 1);
        const char *base = sqlengine_cell(res, i, 2);
        const char *nullable = sqlengine_cell(res, i, 3);
        const char *composite = sqlengine_cell(res, i, 4);
        c->name = strdup(name != NULL ? name : "");
        c->type = strdup(type != NULL ? type : "");
        c->base_type = strdup(base != NULL ? base : "");
        c->nullable = is_true(nullable);
        c->composite = is_true(composite);
        r->column_count++;
        ok = column_complete(c);
    }
    sqlengine_result_free(res);
    if (!ok) {
        dbq_fail(r, "reading columns: out of memory");
        return -1;
    }
    r->has_schema = 1;
    return 0;
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

static int copy_engine_columns(const sqlengine_column *cols, int n,
                               dbq_table_result *r)
{
    r->columns = calloc((size_t)n + 1, sizeof *r->columns);
    int ok = r->columns != NULL;
    for (int i = 0; ok && i < n; i++) {
        dbq_column *c = &r->columns[i];
        c->name = strdup(cols[i].name);
        c->type = strdup(cols[i].engine_type);
        c->base_type = strdup(cols[i].type);
        c->nullable = cols[i].nullable;
        r->column_count++;
        ok = column_complete(c);
    }
    return ok ? 0 : -1;
}

static int read_engine_columns(sqlengine *conn, const dbq_table_spec *spec,
                               dbq_table_result *r)
{
    char schema[256], table[256], err[DBQ_ERROR_MAX - 32];
    if (split_name(spec->name, schema, table, sizeof schema) != 0) {
        dbq_fail(r, "invalid table name: empty or too long schema or table");
        return -1;
    }
    sqlengine_column *cols = NULL;
    int n = sqlengine_columns(conn, schema, table, &cols, err, sizeof err);
    int rc = n > 0 ? copy_engine_columns(cols, n, r) : -1;
    free(cols);
    if (n < 0)
        dbq_fail(r, "reading columns: %s", err);
    else if (n == 0)
        dbq_fail(r, "reading columns: %s: no table \"%s\"",
                 sqlengine_name(conn), spec->name);
    else if (rc != 0)
        dbq_fail(r, "reading columns: out of memory");
    else
        r->has_schema = 1;
    return rc;
}

int dbq_catalog_read(sqlengine *conn, const dbq_table_spec *spec,
                     const dbq_quoted *q, dbq_table_result *r)
{
    return is_pg(conn) ? read_pg_columns(conn, q, r)
                       : read_engine_columns(conn, spec, r);
}

/* The expected types (params, owner[k] their entry) resolved by the
 * server in one row. */
static int resolve_pg_types(sqlengine *conn, const char **params,
                            const size_t *owner, size_t count,
                            dbq_table_result *r)
{
    textbuf sql;
    textbuf_init(&sql);
    dbq_sql_types(&sql, sqlengine_syntax_of(conn), count);
    sqlengine_result *res = dbq_query(conn, &sql, (int)count, params,
                                      "resolving expected types", 1, r);
    textbuf_free(&sql);
    if (res == NULL)
        return -1;
    for (size_t k = 0; k < count; k++) {
        const char *type = sqlengine_cell(res, 0, k);
        if (type != NULL)
            r->expected_base_types[owner[k]] = strdup(type);
    }
    sqlengine_result_free(res);
    return 0;
}

int dbq_catalog_expected_types(sqlengine *conn, const dbq_table_spec *spec,
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
        const char *type = spec->expected_columns[i].type;
        if (type == NULL)
            continue;
        if (!is_pg(conn))
            r->expected_base_types[i] = strdup(sqlengine_normal_type(type));
        owner[count] = i;
        params[count++] = type;
    }
    rc = count > 0 && is_pg(conn)
             ? resolve_pg_types(conn, params, owner, count, r)
             : 0;
done:
    free(params);
    free(owner);
    return rc;
}
