/*
 * dbq_engine.c - what an engine cannot run of a table's options, refused
 * by name before anything runs: never a silent full scan in place of a
 * sample, never a rule quietly skipped. What each engine lacks comes from
 * lib/sqlengine (sqlengine_dialect_lacks); the table in docs/db-quality.md
 * ("Engines") lists it.
 */
#include <stdio.h>

#include "dbq.h"

static int refuse(const sqlengine *conn, const char *what, const char *why,
                  dbq_table_result *r)
{
    dbq_fail(r, "%s: %s: not supported on this engine: %s",
             sqlengine_name(conn), what, why);
    return -1;
}

/* Why the engine cannot run a rule; NULL when it can (plain SQL). */
static const char *rule_lacks(const sqlengine *conn, dbq_rule_kind kind)
{
    if (kind == DBQ_RULE_REGEX)
        return sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_REGEX);
    if (kind == DBQ_RULE_NOT_FUTURE)
        return sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_CLOCK);
    return NULL;
}

static int refuse_column(const sqlengine *conn, const dbq_column_spec *c,
                         dbq_table_result *r)
{
    char what[DBQ_ERROR_MAX / 2];
    for (size_t k = 0; k < c->rule_count; k++) {
        const char *why = rule_lacks(conn, c->rules[k].kind);
        if (why != NULL) {
            snprintf(what, sizeof what, "column \"%s\" (rule %s)", c->name,
                     dbq_rule_name(c->rules[k].kind));
            return refuse(conn, what, why, r);
        }
    }
    const char *why =
        sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_PERCENTILE);
    if (c->profile == DBQ_PROFILE_QUANTILES && why != NULL) {
        snprintf(what, sizeof what, "column \"%s\" (profile: quantiles)",
                 c->name);
        return refuse(conn, what, why, r);
    }
    return 0;
}

int dbq_engine_refusal(const sqlengine *conn, const dbq_table_spec *spec,
                       dbq_table_result *r)
{
    const char *why;
    if (spec->sample_percent > 0 &&
        (why = sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_SAMPLE)))
        return refuse(conn, "sample_percent", why, r);
    if (spec->freshness_column != NULL &&
        (why = sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_CLOCK)))
        return refuse(conn, "freshness_column", why, r);
    if (spec->backfill_column != NULL &&
        (why = sqlengine_dialect_lacks(conn, SQLENGINE_FEATURE_EPOCH)))
        return refuse(conn, "backfill", why, r);
    for (size_t i = 0; i < spec->column_count; i++)
        if (refuse_column(conn, &spec->columns[i], r) != 0)
            return -1;
    return 0;
}
