/*
 * db_quality.c - the `db_quality` checker: row counts, NULLs per critical
 * column, completeness, duplicate keys, schema expectations and drift, and
 * freshness of tables on PostgreSQL, MariaDB/MySQL and ODBC, each table
 * measured in its own read-only transaction, up to `concurrency` tables at
 * once. See README.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "dbq_declare.h"
#include "sqlengine_options.h"

/* Config mistakes the schema cannot express; 0 or -1 with err. */
/* Two `columns` entries for one column, or two references from the same
 * columns, would give metrics of one name. */
static int check_column_names(const nbaq_host_api *api,
                              const nbaq_options *item, const dbq_table_spec *t,
                              char *err, size_t err_size)
{
    for (size_t i = 0; i < t->column_count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->columns[i].name, t->columns[j].name) == 0) {
                snprintf(err, err_size,
                         "%s: table %s: column \"%s\" is listed twice in "
                         "columns",
                         t->columns[i].location, t->name, t->columns[i].name);
                return -1;
            }
    for (size_t i = 0; i < t->reference_count; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(t->references[i].label, t->references[j].label) == 0) {
                snprintf(err, err_size,
                         "%s: table %s: two references from %s (their "
                         "orphans metrics would collide)",
                         api->opt_location(item, "references"), t->name,
                         t->references[i].label);
                return -1;
            }
    return 0;
}

static int check_config(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const dbq_config *config, char *err, size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    if (config->table_count == 0) {
        snprintf(err, err_size, "%s: tables is empty: nothing to measure",
                 api->opt_location(o, "tables"));
        return -1;
    }
    if (config->table_count > DBQ_MAX_TABLES) {
        snprintf(err, err_size,
                 "%s: %zu tables: at most %d per check (the host keeps %d "
                 "schemas per check); split them into several checks",
                 api->opt_location(o, "tables"), config->table_count,
                 DBQ_MAX_TABLES, DBQ_MAX_TABLES);
        return -1;
    }
    for (size_t i = 0; i < config->table_count; i++) {
        const dbq_table_spec *t = &config->tables[i];
        const nbaq_options *item = api->opt_list_object(o, "tables", i);
        if (t->max_age_ms > 0 && t->freshness_column == NULL) {
            snprintf(err, err_size,
                     "%s: table %s: max_age needs "
                     "freshness_column",
                     api->opt_location(item, "max_age"), t->name);
            return -1;
        }
        if (check_column_names(api, item, t, err, err_size) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(config->tables[j].name, t->name) == 0) {
                snprintf(err, err_size,
                         "%s: table %s is listed twice (its metrics would "
                         "collide)",
                         api->opt_location(item, "name"), t->name);
                return -1;
            }
    }
    return 0;
}

/* The host's deadline as a CLOCK_MONOTONIC time; 0 when it gives none. */
static int64_t deadline(const nbaq_host_api *api, const nbaq_ctx *ctx)
{
    int64_t left = api->time_left_ms(ctx);
    return left > 0 ? dbq_now_ms() + left : 0;
}

static void db_quality_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    dbq_config config;
    char err[DBQ_ERROR_MAX];
    if (dbq_config_read(api, ctx, &config, err, sizeof err) != 0 ||
        check_config(api, ctx, &config, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        dbq_config_free(&config);
        return;
    }
    dbq_table_result *results = calloc(config.table_count + 1, sizeof *results);
    if (results == NULL) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory");
        dbq_config_free(&config);
        return;
    }
    int connected = dbq_measure_all(&config, deadline(api, ctx), results, err,
                                    sizeof err) == 0;
    if (connected)
        dbq_backfill_all(api, ctx, &config, results);
    dbq_report(api, ctx, &config, results, connected ? NULL : err);
    for (size_t i = 0; i < config.table_count; i++)
        dbq_table_result_free(&results[i]);
    free(results);
    dbq_config_free(&config);
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "db_quality",
    .version = "1.0.0",
    .description =
        "tables: rows, NULLs and completeness in one scan, "
        "duplicate keys, schema and drift, freshness; "
        "engines: " SQLENGINE_ENGINES_BUILT " (all options on each; "
        "refused by name: quantiles on MySQL 8, no percentile function; "
        "regex, not_future, freshness, date profiles, sample_percent and "
        "backfill over ODBC to a DBMS other than PostgreSQL/MySQL/MariaDB, "
        "no portable SQL; MariaDB/MySQL sample_percent is a RAND() "
        "Bernoulli sample)",
    .options = dbq_option_specs,
    .check = db_quality_check,
    .validate = dbq_validate,
    .metrics = dbq_metric_decls,
};

NBAQ_PLUGIN(descriptor)
