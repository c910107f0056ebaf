/*
 * dbq_rules.c - the column rules of db_quality: which column types take
 * which rule, and the SQL condition that makes a value invalid under each.
 *
 * The dialect-specific expressions (regex operator, the clock plus an
 * interval, exact text comparison, placeholders) come from lib/sqlengine
 * (sqlengine_dialect.h); "not in a set" is `<> ALL` of an array parameter
 * on PostgreSQL and NOT IN with one parameter per value elsewhere. The type
 * names are PostgreSQL's format_type or sqlengine's normalised names.
 * Literals are always parameters, typed by the server from the column they
 * are compared with.
 */
#include <string.h>

#include "dbq.h"

static const char *const rule_names[DBQ_RULE_KINDS] = {
    [DBQ_RULE_MIN] = "min",
    [DBQ_RULE_MAX] = "max",
    [DBQ_RULE_VALUES] = "values",
    [DBQ_RULE_REGEX] = "regex",
    [DBQ_RULE_MIN_LENGTH] = "min_length",
    [DBQ_RULE_MAX_LENGTH] = "max_length",
    [DBQ_RULE_NOT_FUTURE] = "not_future",
};

const char *dbq_rule_name(dbq_rule_kind kind)
{
    return kind < DBQ_RULE_KINDS ? rule_names[kind] : "?";
}

static int in_list(const char *type, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(type, list[i]) == 0)
            return 1;
    return 0;
}

dbq_type_class dbq_type_class_of(const char *base_type)
{
    /* PostgreSQL's format_type names, then sqlengine_normal_type's. */
    static const char *const numbers[] = {
        "smallint",         "integer", "bigint", "numeric", "real",
        "double precision", "decimal", "float",  NULL};
    static const char *const times[] = {"date", "timestamp without time zone",
                                        "timestamp with time zone", "timestamp",
                                        NULL};
    static const char *const texts[] = {
        "text", "character varying", "character", "name", "citext", NULL};
    static const char *const jsons[] = {"json", "jsonb", NULL};
    if (in_list(base_type, numbers))
        return DBQ_TYPE_NUMBER;
    if (in_list(base_type, times))
        return DBQ_TYPE_TIME;
    if (in_list(base_type, texts))
        return DBQ_TYPE_TEXT;
    if (in_list(base_type, jsons))
        return DBQ_TYPE_JSON;
    return DBQ_TYPE_OTHER;
}

const char *dbq_rule_type_mismatch(dbq_rule_kind kind, dbq_type_class type)
{
    switch (kind) {
    case DBQ_RULE_MIN:
    case DBQ_RULE_MAX:
        return type == DBQ_TYPE_NUMBER || type == DBQ_TYPE_TIME
                   ? NULL
                   : "needs a number, date or timestamp column";
    case DBQ_RULE_NOT_FUTURE:
        return type == DBQ_TYPE_TIME ? NULL
                                     : "needs a date or timestamp column";
    case DBQ_RULE_REGEX:
    case DBQ_RULE_MIN_LENGTH:
    case DBQ_RULE_MAX_LENGTH:
        return type == DBQ_TYPE_TEXT ? NULL : "needs a text column";
    case DBQ_RULE_VALUES:
        return type == DBQ_TYPE_JSON ? "JSON values cannot be compared" : NULL;
    default:
        return "unknown rule";
    }
}

int dbq_params_push(dbq_params *params, const char *value)
{
    params->values[params->count++] = value;
    return params->count;
}

size_t dbq_column_params_needed(const dbq_column_spec *c)
{
    size_t n = 0;
    for (size_t k = 0; k < c->rule_count; k++)
        n += c->rules[k].kind == DBQ_RULE_VALUES ? c->rules[k].value_count + 1
                                                 : 1;
    return n;
}

size_t dbq_params_needed(const dbq_table_spec *spec)
{
    size_t n = 0;
    for (size_t i = 0; i < spec->column_count; i++)
        n += dbq_column_params_needed(&spec->columns[i]);
    return n;
}

static void append_param(textbuf *sql, sqlengine_syntax d, dbq_params *params,
                         const char *value)
{
    sqlengine_sql_placeholder(sql, d, dbq_params_push(params, value));
}

/* A boolean literal as MySQL reads it: 'true' would become 0. */
static const char *mysql_literal(const char *value, dbq_literal_kind literal)
{
    if (literal != DBQ_LITERAL_BOOLEAN && literal != DBQ_LITERAL_FLAG)
        return value;
    int boolean = dbq_boolean_of(value);
    return boolean < 0 ? value : boolean ? "1" : "0";
}

/* "not one of values": an array parameter on PostgreSQL, else one
 * parameter per value; text compared byte for byte on every engine. */
static void append_not_in(textbuf *sql, sqlengine_syntax d,
                          const dbq_rule *rule, const char *column,
                          dbq_type_class type, dbq_literal_kind literal,
                          dbq_params *params)
{
    if (d.dialect == SQLENGINE_DIALECT_POSTGRESQL) {
        textbuf_printf(sql, "%s <> ALL (", column);
        append_param(sql, d, params, rule->param);
        textbuf_puts(sql, ")");
        return;
    }
    if (type == DBQ_TYPE_TEXT)
        sqlengine_sql_exact_text(sql, d, column);
    else
        textbuf_puts(sql, column);
    if (rule->value_count == 0) {
        textbuf_puts(sql, " IS NOT NULL"); /* every value breaks it */
        return;
    }
    textbuf_puts(sql, " NOT IN (");
    for (size_t i = 0; i < rule->value_count; i++) {
        textbuf_puts(sql, i > 0 ? ", " : "");
        append_param(sql, d, params, mysql_literal(rule->values[i], literal));
    }
    textbuf_puts(sql, ")");
}

static void append_compare(textbuf *sql, sqlengine_syntax d, const char *left,
                           const char *op, const dbq_rule *rule,
                           dbq_params *params)
{
    textbuf_printf(sql, "%s %s ", left, op);
    append_param(sql, d, params, rule->param);
}

void dbq_sql_rule_condition(textbuf *sql, sqlengine_syntax d,
                            const dbq_rule *rule, const char *column,
                            dbq_type_class type, dbq_literal_kind literal,
                            dbq_params *params)
{
    textbuf length;
    textbuf_init(&length);
    textbuf_printf(&length, "char_length(%s)", column);
    int rc = textbuf_failed(&length) ? -1 : 0;
    switch (rule->kind) {
    case DBQ_RULE_MIN:
        append_compare(sql, d, column, "<", rule, params);
        break;
    case DBQ_RULE_MAX:
        append_compare(sql, d, column, ">", rule, params);
        break;
    case DBQ_RULE_VALUES:
        append_not_in(sql, d, rule, column, type, literal, params);
        break;
    case DBQ_RULE_REGEX:
        rc = sqlengine_sql_regex_mismatch(sql, d, column,
                                          dbq_params_push(params, rule->param));
        break;
    case DBQ_RULE_MIN_LENGTH:
        append_compare(sql, d, length.data, "<", rule, params);
        break;
    case DBQ_RULE_MAX_LENGTH:
        append_compare(sql, d, length.data, ">", rule, params);
        break;
    case DBQ_RULE_NOT_FUTURE:
        rc = sqlengine_sql_after_now_ms(sql, d, column,
                                        dbq_params_push(params, rule->param));
        break;
    default:
        rc = -1;
    }
    textbuf_free(&length);
    if (rc != 0)
        textbuf_fail(sql);
}

/* JIT compiles the scan's expressions once per process (leader and each
 * parallel worker); with many rules that costs seconds, more than it saves
 * on one pass (docs/performance.md). For this transaction only. */
const char dbq_sql_jit_off[] = "SELECT set_config('jit', 'off', true)";

void dbq_array_literal(textbuf *out, const char *const *values, size_t count)
{
    textbuf_putc(out, '{');
    for (size_t i = 0; i < count; i++) {
        textbuf_puts(out, i > 0 ? ",\"" : "\"");
        for (const char *p = values[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                textbuf_putc(out, '\\');
            textbuf_putc(out, *p);
        }
        textbuf_putc(out, '"');
    }
    textbuf_putc(out, '}');
}
