/*
 * sqlengine_catalog.c - columns, types and nullability from the catalog,
 * with the engines' type names normalised so that a schema check reads the
 * same on every engine:
 *
 *   integer    smallint int integer bigint tinyint mediumint int2/4/8
 *              serial, year (MariaDB)
 *   decimal    numeric decimal money
 *   float      real float double "double precision" float4 float8
 *   boolean    boolean bool bit (a single bit)
 *   text       char varchar text "character varying" tinytext...longtext
 *              enum set bpchar name citext
 *   date       date
 *   time       time "time with[out] time zone" timetz
 *   timestamp  timestamp datetime timestamptz "timestamp with[out] ..."
 *   binary     bytea binary varbinary blob tinyblob...longblob
 *   json       json jsonb
 *   uuid       uuid
 *   other      anything else (arrays, geometry, user types)
 *
 * MariaDB has no boolean type: BOOLEAN is tinyint(1) and reads "integer".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlengine_backend.h"

typedef struct type_rule {
    const char *prefix; /* of the lower-case engine type name */
    const char *normal;
} type_rule;

/* Longest names first where one is a prefix of another. */
static const type_rule type_rules[] = {
    {"timestamp", "timestamp"}, {"datetime", "timestamp"},
    {"date", "date"},           {"timetz", "time"},
    {"time", "time"},           {"tinyint", "integer"},
    {"smallint", "integer"},    {"mediumint", "integer"},
    {"bigint", "integer"},      {"integer", "integer"},
    {"int", "integer"},         {"serial", "integer"},
    {"bigserial", "integer"},   {"smallserial", "integer"},
    {"year", "integer"},        {"numeric", "decimal"},
    {"decimal", "decimal"},     {"money", "decimal"},
    {"real", "float"},          {"float", "float"},
    {"double", "float"},        {"boolean", "boolean"},
    {"bool", "boolean"},        {"bit", "boolean"},
    {"character", "text"},      {"char", "text"},
    {"varchar", "text"},        {"nvarchar", "text"},
    {"nchar", "text"},          {"text", "text"},
    {"tinytext", "text"},       {"mediumtext", "text"},
    {"longtext", "text"},       {"bpchar", "text"},
    {"name", "text"},           {"citext", "text"},
    {"enum", "text"},           {"set", "text"},
    {"bytea", "binary"},        {"binary", "binary"},
    {"varbinary", "binary"},    {"blob", "binary"},
    {"tinyblob", "binary"},     {"mediumblob", "binary"},
    {"longblob", "binary"},     {"jsonb", "json"},
    {"json", "json"},           {"uuid", "uuid"},
};

const char *sqlengine_normal_type(const char *engine_type)
{
    char lower[64];
    size_t n = 0;
    for (const char *p = engine_type; *p != '\0' && n + 1 < sizeof lower; p++)
        lower[n++] = (char)tolower((unsigned char)*p);
    lower[n] = '\0';
    /* The name ends at a size, a blank or "unsigned": "int(11) unsigned",
     * "character varying", "double precision". */
    size_t word = strcspn(lower, "( ");
    const type_rule *best = NULL;
    for (size_t i = 0; i < sizeof type_rules / sizeof *type_rules; i++) {
        size_t len = strlen(type_rules[i].prefix);
        if (len == word && strncmp(lower, type_rules[i].prefix, len) == 0)
            best = &type_rules[i];
    }
    /* int4, int8, float8, int2: a name and a byte width. */
    if (best == NULL && word > 0 && isdigit((unsigned char)lower[word - 1])) {
        while (word > 0 && isdigit((unsigned char)lower[word - 1]))
            word--;
        for (size_t i = 0; i < sizeof type_rules / sizeof *type_rules; i++) {
            size_t len = strlen(type_rules[i].prefix);
            if (len == word && strncmp(lower, type_rules[i].prefix, len) == 0)
                best = &type_rules[i];
        }
    }
    return best != NULL ? best->normal : "other";
}

sqlengine_column *sqlengine_columns_from(const sqlengine_result *res,
                                         size_t name_col, size_t type_col,
                                         size_t nullable_col)
{
    sqlengine_column *cols = calloc(res->rows + 1, sizeof *cols);
    for (size_t i = 0; cols != NULL && i < res->rows; i++) {
        const char *name = sqlengine_cell(res, i, name_col);
        const char *type = sqlengine_cell(res, i, type_col);
        const char *nullable = sqlengine_cell(res, i, nullable_col);
        snprintf(cols[i].name, sizeof cols[i].name, "%s", name ? name : "");
        snprintf(cols[i].engine_type, sizeof cols[i].engine_type, "%s",
                 type ? type : "");
        snprintf(cols[i].type, sizeof cols[i].type, "%s",
                 sqlengine_normal_type(cols[i].engine_type));
        /* information_schema says YES/NO; ODBC 0 (no), 1 (yes), 2
         * (unknown, read as nullable). */
        cols[i].nullable = nullable != NULL &&
                           strcasecmp(nullable, "NO") != 0 &&
                           strcmp(nullable, "0") != 0;
    }
    return cols;
}

int sqlengine_columns_information_schema(sqlengine *conn, const char *schema,
                                         const char *table,
                                         sqlengine_column **out, char *err,
                                         size_t err_size)
{
    char a[16], b[16], sql[512];
    sqlengine_placeholder(conn, 1, a, sizeof a);
    sqlengine_placeholder(conn, 2, b, sizeof b);
    const char *current = conn->dialect == SQLENGINE_DIALECT_MYSQL
                              ? "DATABASE()"
                              : "current_schema()";
    /* MariaDB's column_type keeps "unsigned" and sizes: data_type is the
     * plain name on both engines. */
    snprintf(sql, sizeof sql,
             "SELECT column_name, data_type, is_nullable "
             "FROM information_schema.columns "
             "WHERE table_schema = COALESCE(%s, %s) AND table_name = %s "
             "ORDER BY ordinal_position",
             a, current, b);
    const char *params[] = {schema != NULL && schema[0] != '\0' ? schema : NULL,
                            table};
    sqlengine_result *res = NULL;
    *out = NULL;
    if (sqlengine_query(conn, "catalog", sql, 2, params, &res, err, err_size) !=
        0)
        return -1;
    sqlengine_column *cols = sqlengine_columns_from(res, 0, 1, 2);
    int count = (int)res->rows;
    sqlengine_result_free(res);
    if (cols == NULL) {
        sqlengine_set_error(NULL, conn->name, "catalog", "out of memory", err,
                            err_size);
        return -1;
    }
    *out = cols;
    return count;
}
