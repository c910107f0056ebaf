/*
 * dbq_literals.c - what a rule's literal must look like for its column,
 * checked before any statement and alike on every engine: PostgreSQL would
 * refuse a bad literal itself, but MySQL and MariaDB silently convert it
 * ('abc' and 'true' become 0, '2024-13-45' compares as text), so that the
 * engines would disagree.
 *
 *   integer    [+-]digits
 *   number     [+-]digits[.digits][e[+-]digits] (decimal, float)
 *   boolean    true false t f yes no on off 1 0, any case; sent as 1 and 0
 *              on MySQL and MariaDB, whose BOOLEAN is a TINYINT (the
 *              catalog says "tinyint": there, integers are accepted too)
 *   date       YYYY-MM-DD, a real calendar day
 *   timestamp  a date, optionally followed by T or a blank and
 *              HH:MM[:SS[.fraction]]; on PostgreSQL also by Z or
 *              +-HH[[:]MM] (lib/base/isotime.h reads both)
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "dbq.h"
#include "isotime.h"

dbq_literal_kind dbq_literal_kind_of(const dbq_column *col,
                                     sqlengine_dialect dialect)
{
    const char *normal = sqlengine_normal_type(col->base_type);
    int mysql = dialect == SQLENGINE_DIALECT_MYSQL;
    if (strcmp(normal, "integer") == 0)
        return mysql && strncasecmp(col->type, "tinyint", 7) == 0
                   ? DBQ_LITERAL_FLAG
                   : DBQ_LITERAL_INTEGER;
    if (strcmp(normal, "decimal") == 0 || strcmp(normal, "float") == 0)
        return DBQ_LITERAL_NUMBER;
    if (strcmp(normal, "boolean") == 0)
        return DBQ_LITERAL_BOOLEAN;
    if (strcmp(normal, "date") == 0)
        return DBQ_LITERAL_DATE;
    if (strcmp(normal, "timestamp") == 0)
        return dialect == SQLENGINE_DIALECT_POSTGRESQL
                   ? DBQ_LITERAL_TIMESTAMP_ZONED
                   : DBQ_LITERAL_TIMESTAMP;
    return DBQ_LITERAL_ANY;
}

int dbq_boolean_of(const char *text)
{
    static const char *const spellings[][2] = {{"true", "false"},
                                               {"t", "f"},
                                               {"yes", "no"},
                                               {"on", "off"},
                                               {"1", "0"}};
    for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++)
        for (int value = 1; value >= 0; value--)
            if (strcasecmp(text, spellings[i][1 - value]) == 0)
                return value;
    return -1;
}

/* 1 when text is a date or timestamp under flags (isotime.h). */
static int is_time(const char *text, unsigned flags)
{
    int64_t ignored;
    return isotime_parse(text, flags, &ignored) == 0;
}

static int is_integer(const char *text)
{
    const char *p = text + (*text == '-' || *text == '+');
    if (*p == '\0')
        return 0;
    for (; *p != '\0'; p++)
        if (!isdigit((unsigned char)*p))
            return 0;
    return 1;
}

const char *dbq_literal_problem(const char *text, dbq_literal_kind kind)
{
    double number;
    switch (kind) {
    case DBQ_LITERAL_INTEGER:
        return is_integer(text) ? NULL : "is not an integer";
    case DBQ_LITERAL_NUMBER:
        return sqlengine_parse_number(text, &number) == 0 ? NULL
                                                          : "is not a number";
    case DBQ_LITERAL_BOOLEAN:
        return dbq_boolean_of(text) >= 0
                   ? NULL
                   : "is not a boolean (true, false, t, f, yes, no, on, "
                     "off, 1, 0)";
    case DBQ_LITERAL_FLAG:
        return is_integer(text) || dbq_boolean_of(text) >= 0
                   ? NULL
                   : "is not an integer or a boolean";
    case DBQ_LITERAL_DATE:
        return is_time(text, ISOTIME_DATE)
                   ? NULL
                   : "is not a date (YYYY-MM-DD, a day of the calendar)";
    case DBQ_LITERAL_TIMESTAMP:
        return is_time(text, ISOTIME_LOCAL)
                   ? NULL
                   : "is not a timestamp (YYYY-MM-DD, a day of the calendar, "
                     "optionally followed by HH:MM[:SS[.fraction]])";
    case DBQ_LITERAL_TIMESTAMP_ZONED:
        return is_time(text, 0)
                   ? NULL
                   : "is not a timestamp (YYYY-MM-DD, a day of the calendar, "
                     "optionally followed by HH:MM[:SS[.fraction]] and a "
                     "zone Z or +HH[:MM])";
    default:
        return NULL;
    }
}

const char *dbq_rule_literal_problem(const dbq_rule *rule,
                                     dbq_literal_kind kind, const char **bad)
{
    const char *problem = NULL;
    switch (rule->kind) {
    case DBQ_RULE_MIN:
    case DBQ_RULE_MAX:
        /* a TINYINT used as a number */
        *bad = rule->param;
        return dbq_literal_problem(
            rule->param, kind == DBQ_LITERAL_FLAG ? DBQ_LITERAL_INTEGER : kind);
    case DBQ_RULE_MIN_LENGTH:
    case DBQ_RULE_MAX_LENGTH:
        *bad = rule->param;
        return dbq_literal_problem(rule->param, DBQ_LITERAL_INTEGER);
    case DBQ_RULE_VALUES:
        for (size_t i = 0; problem == NULL && i < rule->value_count; i++) {
            *bad = rule->values[i];
            problem = dbq_literal_problem(rule->values[i], kind);
        }
        return problem;
    default:
        return NULL;
    }
}
