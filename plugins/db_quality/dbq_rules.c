/*
 * dbq_rules.c - the column rules of db_quality: which column types take
 * which rule, and the SQL condition that makes a value invalid under each.
 *
 * Everything dialect-specific about the rules is here, so that another
 * engine swaps one function: the regex operator (PostgreSQL `!~`), the
 * length function (`char_length`), the clock (`now()` plus an interval),
 * "not in a set" (`<> ALL` of an array parameter), and the type names of
 * the catalog (format_type). Literals are always parameters ($n), typed by
 * the server from the column they are compared with.
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
    static const char *const numbers[] = {
        "smallint", "integer",          "bigint", "numeric",
        "real",     "double precision", NULL};
    static const char *const times[] = {"date", "timestamp without time zone",
                                        "timestamp with time zone", NULL};
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

void dbq_sql_rule_condition(textbuf *sql, dbq_rule_kind kind,
                            const char *column, int param)
{
    switch (kind) {
    case DBQ_RULE_MIN:
        textbuf_printf(sql, "%s < $%d", column, param);
        break;
    case DBQ_RULE_MAX:
        textbuf_printf(sql, "%s > $%d", column, param);
        break;
    case DBQ_RULE_VALUES:
        textbuf_printf(sql, "%s <> ALL ($%d)", column, param);
        break;
    case DBQ_RULE_REGEX:
        textbuf_printf(sql, "%s !~ $%d", column, param);
        break;
    case DBQ_RULE_MIN_LENGTH:
        textbuf_printf(sql, "char_length(%s) < $%d", column, param);
        break;
    case DBQ_RULE_MAX_LENGTH:
        textbuf_printf(sql, "char_length(%s) > $%d", column, param);
        break;
    case DBQ_RULE_NOT_FUTURE:
        textbuf_printf(sql, "%s > now() + $%d::interval", column, param);
        break;
    default:
        textbuf_fail(sql);
    }
}

/* JIT compiles the scan's expressions once per process (leader and each
 * parallel worker); with many rules that costs seconds, more than it saves
 * on one pass (docs/performance.md). For this transaction only. */
const char dbq_sql_jit_off[] = "SELECT set_config('jit', 'off', true)";

void dbq_sql_regex_valid(textbuf *sql)
{
    textbuf_puts(sql, "SELECT '' ~ $1");
}

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
