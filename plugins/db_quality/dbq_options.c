/*
 * dbq_options.c - the options db_quality declares (validated by the host
 * before the check runs) and their reading into a dbq_config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"
#include "pgconn_options.h"
#include "sqlengine_options.h"

static const char *const sample_methods[] = {"system", "bernoulli", NULL};

static const nbaq_option_spec expected_column_fields[] = {
    {.name = "name",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "column name, exactly as in the catalog"},
    {.name = "type",
     .type = NBAQ_OPT_STRING,
     .description = "PostgreSQL type (int, varchar(20), timestamptz...); a "
                    "modifier, when written, must match too"},
    {.name = "nullable",
     .type = NBAQ_OPT_BOOL,
     .description = "true: NULLs allowed; false: NOT NULL; unset: either"},
    NBAQ_OPTION_END};

static const char *const profile_choices[] = {"false", "true", "quantiles",
                                              NULL};

static const nbaq_option_spec column_reference_fields[] = {
    {.name = "table",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "the referenced table, \"schema.table\" or \"table\""},
    {.name = "column",
     .type = NBAQ_OPT_STRING,
     .description = "the referenced column (default: the same name)"},
    {.name = "filter",
     .type = NBAQ_OPT_STRING,
     .description = "SQL boolean expression on this table's rows: only "
                    "these are checked (the recent partition)"},
    NBAQ_OPTION_END};

static const nbaq_option_spec column_fields[] = {
    {.name = "name",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "column name, exactly as in the catalog"},
    {.name = "min",
     .type = NBAQ_OPT_STRING,
     .description = "smallest valid value (number, date or timestamp)"},
    {.name = "max",
     .type = NBAQ_OPT_STRING,
     .description = "largest valid value (number, date or timestamp)"},
    {.name = "values",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "the allowed values"},
    {.name = "regex",
     .type = NBAQ_OPT_STRING,
     .description = "POSIX regular expression every value matches "
                    "(PostgreSQL ~)"},
    {.name = "min_length",
     .type = NBAQ_OPT_INT,
     .min = 0,
     .max = 1e9,
     .description = "fewest characters of a valid text value"},
    {.name = "max_length",
     .type = NBAQ_OPT_INT,
     .min = 0,
     .max = 1e9,
     .description = "most characters of a valid text value"},
    {.name = "not_future",
     .type = NBAQ_OPT_BOOL,
     .description = "a date or timestamp later than now is invalid"},
    {.name = "future_tolerance",
     .type = NBAQ_OPT_DURATION,
     .min = 0,
     .max = 31536000000.0,
     .description = "not_future: values up to now plus this are valid"},
    {.name = "unique",
     .type = NBAQ_OPT_BOOL,
     .description = "values beyond the first of each repeated value are "
                    "invalid (exact count(DISTINCT))"},
    {.name = "profile",
     .type = NBAQ_OPT_ENUM,
     .choices = profile_choices,
     .description = "true: min, max, mean, stddev and distinct as metrics; "
                    "quantiles: also p50 and p95 (sorts the rows)"},
    {.name = "secret",
     .type = NBAQ_OPT_BOOL,
     .description = "its values never appear in messages (samples)"},
    {.name = "references",
     .type = NBAQ_OPT_OBJECT,
     .fields = column_reference_fields,
     .description = "{table, column, filter}: values missing there are "
                    "orphans"},
    NBAQ_OPTION_END};

static const nbaq_option_spec table_reference_fields[] = {
    {.name = "columns",
     .type = NBAQ_OPT_STRING_LIST,
     .required = 1,
     .description = "the referencing columns of this table (a key)"},
    {.name = "table",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "the referenced table"},
    {.name = "ref_columns",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "the referenced columns (default: the same names)"},
    {.name = "filter",
     .type = NBAQ_OPT_STRING,
     .description = "SQL boolean expression on this table's rows"},
    NBAQ_OPTION_END};

static const nbaq_option_spec table_fields[] = {
    {.name = "name",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "table or view, \"schema.table\" or \"table\" (search "
                    "path); exact catalog names, always quoted"},
    {.name = "critical_columns",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "columns whose NULLs are counted (one scan for all) "
                    "and that make up completeness"},
    {.name = "expected_columns",
     .type = NBAQ_OPT_OBJECT_LIST,
     .fields = expected_column_fields,
     .description = "columns that must exist: {name, type, nullable}"},
    {.name = "strict_schema",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "columns not in expected_columns make the check FAIL"},
    {.name = "key_columns",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "a key (one or several columns) whose duplicates are "
                    "counted"},
    {.name = "min_rows",
     .type = NBAQ_OPT_INT,
     .min = 0,
     .max = 1e15,
     .description = "FAIL when the table (after filter) has fewer rows"},
    {.name = "filter",
     .type = NBAQ_OPT_STRING,
     .description = "SQL boolean expression restricting the rows measured; "
                    "trusted text, pasted into the query as written"},
    {.name = "sample_percent",
     .type = NBAQ_OPT_DOUBLE,
     .min = 0,
     .max = 100,
     .description = "measure a TABLESAMPLE of this percentage of the table "
                    "(MariaDB/MySQL: a RAND() Bernoulli sample of rows)"},
    {.name = "sample_method",
     .type = NBAQ_OPT_ENUM,
     .default_value = "system",
     .choices = sample_methods,
     .description = "system: whole pages (fast); bernoulli: single rows "
                    "(every page read, unbiased); PostgreSQL only, "
                    "MariaDB/MySQL always sample rows"},
    {.name = "freshness_column",
     .type = NBAQ_OPT_STRING,
     .description = "timestamp or date column; metric freshness_age_s is "
                    "the age of its max()"},
    {.name = "max_age",
     .type = NBAQ_OPT_DURATION,
     .min = 1,
     .max = 31536000000.0,
     .description = "FAIL when max(freshness_column) is older than this"},
    DBQ_BACKFILL_OPTION_SPEC,
    {.name = "columns",
     .type = NBAQ_OPT_OBJECT_LIST,
     .fields = column_fields,
     .description = "validity rules and profiles per column: {name, min, "
                    "max, values, regex, min_length, max_length, "
                    "not_future, unique, profile, secret, references}"},
    {.name = "references",
     .type = NBAQ_OPT_OBJECT_LIST,
     .fields = table_reference_fields,
     .description = "{columns, table, ref_columns, filter}: rows whose key "
                    "is missing in the referenced table are orphans"},
    {.name = "samples",
     .type = NBAQ_OPT_INT,
     .default_value = "5",
     .min = 0,
     .max = 100,
     .description = "example rows shown per broken rule, duplicate key and "
                    "reference; 0: none (sensitive tables)"},
    NBAQ_OPTION_END};

const nbaq_option_spec dbq_option_specs[] = {
    SQLENGINE_DSN_OPTION_SPEC,
    {.name = "tables",
     .type = NBAQ_OPT_NAMED_OBJECT_LIST,
     .required = 1,
     .fields = table_fields,
     .description = "the tables to measure, each {name, critical_columns, "
                    "expected_columns, key_columns, min_rows, filter, ...}"},
    NBAQ_PGCONN_TIMEOUT_OPTION_SPECS(
        "5m", "the server cancels any one query running longer"),
    {.name = "concurrency",
     .type = NBAQ_OPT_INT,
     .default_value = "4",
     .min = 1,
     .max = 64,
     .description = "tables measured at once, each on its own connection"},
    NBAQ_OPTION_END};

void dbq_state_key(const char *table, char *out, size_t size)
{
    if (strlen(table) <= DBQ_STATE_KEY_MAX - 8) {
        snprintf(out, size, "schema:%s", table);
        return;
    }
    /* Too long for a state key: a hash of the name (FNV-1a, 64 bits). */
    uint64_t hash = 14695981039346656037ULL;
    for (const unsigned char *p = (const unsigned char *)table; *p; p++)
        hash = (hash ^ *p) * 1099511628211ULL;
    snprintf(out, size, "schema:#%016llx", (unsigned long long)hash);
}

static int read_string_list(const nbaq_host_api *api, const nbaq_options *o,
                            const char *name, const char ***items,
                            size_t *count)
{
    *count = api->opt_count(o, name);
    *items = calloc(*count + 1, sizeof **items);
    if (*items == NULL)
        return -1;
    for (size_t i = 0; i < *count; i++)
        (*items)[i] = api->opt_list_string(o, name, i);
    return 0;
}

static int read_expected(const nbaq_host_api *api, const nbaq_options *o,
                         dbq_table_spec *t)
{
    t->expected_count = api->opt_count(o, "expected_columns");
    t->expected_columns =
        calloc(t->expected_count + 1, sizeof *t->expected_columns);
    if (t->expected_columns == NULL)
        return -1;
    for (size_t i = 0; i < t->expected_count; i++) {
        const nbaq_options *c = api->opt_list_object(o, "expected_columns", i);
        dbq_expected_column *e = &t->expected_columns[i];
        e->name = api->opt_string(c, "name");
        e->type =
            api->opt_is_set(c, "type") ? api->opt_string(c, "type") : NULL;
        e->nullable = api->opt_is_set(c, "nullable")
                          ? api->opt_bool(c, "nullable") != 0
                          : -1;
    }
    return 0;
}

static const char *optional_string(const nbaq_host_api *api,
                                   const nbaq_options *o, const char *name)
{
    return api->opt_is_set(o, name) ? api->opt_string(o, name) : NULL;
}

static int read_table(const nbaq_host_api *api, nbaq_ctx *ctx,
                      const nbaq_options *o, dbq_table_spec *t)
{
    t->name = api->opt_string(o, "name");
    if (read_string_list(api, o, "critical_columns", &t->critical_columns,
                         &t->critical_count) != 0 ||
        read_string_list(api, o, "key_columns", &t->key_columns,
                         &t->key_count) != 0 ||
        read_expected(api, o, t) != 0)
        return -1;
    t->strict_schema = api->opt_bool(o, "strict_schema");
    t->has_min_rows = api->opt_is_set(o, "min_rows");
    t->min_rows = api->opt_int(o, "min_rows");
    t->filter = optional_string(api, o, "filter");
    t->sample_percent = api->opt_is_set(o, "sample_percent")
                            ? api->opt_double(o, "sample_percent")
                            : 0;
    const char *method = api->opt_string(o, "sample_method");
    t->sample_bernoulli = method != NULL && strcmp(method, "bernoulli") == 0;
    t->freshness_column = optional_string(api, o, "freshness_column");
    t->max_age_ms =
        api->opt_is_set(o, "max_age") ? api->opt_int(o, "max_age") : 0;
    char key[1024];
    dbq_state_key(t->name, key, sizeof key);
    t->previous_schema = api->state_get(ctx, key);
    dbq_backfill_read(api, o, t);
    return dbq_read_column_rules(api, o, t);
}

int dbq_config_read(const nbaq_host_api *api, nbaq_ctx *ctx, dbq_config *config,
                    char *err, size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    memset(config, 0, sizeof *config);
    config->dsn = api->opt_string(o, "dsn");
    config->connect_timeout_ms = api->opt_int(o, "connect_timeout");
    config->statement_timeout_ms = api->opt_int(o, "statement_timeout");
    config->concurrency = (int)api->opt_int(o, "concurrency");
    size_t count = api->opt_count(o, "tables");
    config->tables = calloc(count + 1, sizeof *config->tables);
    if (config->tables == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    config->table_count = count;
    for (size_t i = 0; i < count; i++) {
        if (read_table(api, ctx, api->opt_list_object(o, "tables", i),
                       &config->tables[i]) != 0) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
    }
    return 0;
}

void dbq_config_free(dbq_config *config)
{
    for (size_t i = 0; config->tables != NULL && i < config->table_count; i++) {
        free(config->tables[i].critical_columns);
        free(config->tables[i].key_columns);
        free(config->tables[i].expected_columns);
        dbq_column_rules_free(&config->tables[i]);
    }
    free(config->tables);
    memset(config, 0, sizeof *config);
}
