/*
 * dbq_declare.c - db_quality's metric declarations and validate().
 */
#include "dbq_declare.h"

#include <stdio.h>
#include <string.h>

/* Metric names are "<table>.<what>" and "<table>.<column>.<what>"
 * (dbq_report.c). Column rules, profiles and references name columns
 * of a nested list: a family, `*`. */
#define TABLE "{tables.name}."
#define CRITICAL "{tables.critical_columns}."
const nbaq_metric_decl dbq_metric_decls[] = {
    {TABLE "rows", "rows", "rows (after filter and sampling)"},
    {TABLE "rows_estimate", "rows", "sample_percent: rows of the whole table"},
    {TABLE CRITICAL "nulls", "rows", "NULLs of a critical column"},
    {TABLE CRITICAL "null_pct", "%", "their share of the rows"},
    {TABLE "incomplete_rows", "rows", "rows with a NULL critical column"},
    {TABLE "completeness_pct", "%", "rows with none"},
    {TABLE "freshness_age_s", "s", "age of max(freshness_column)"},
    {TABLE "schema.missing_columns", "columns", "expected but absent"},
    {TABLE "schema.type_mismatches", "columns", "of another type"},
    {TABLE "schema.nullability_mismatches", "columns", "NULL where not"},
    {TABLE "schema.unexpected_columns", "columns", "strict_schema: extra"},
    {TABLE "schema.drift", "columns", "changed since the last run"},
    {TABLE "duplicate_keys", "rows", "rows whose key_columns repeat"},
    {TABLE "duplicate_key_values", "keys", "keys that repeat"},
    {TABLE "rows_per_day", "rows", "backfill: rows of the last UTC day"},
    {TABLE "*.invalid_count", "rows", "a column's rule breaches"},
    {TABLE "*.invalid_pct", "%", "their share of its values"},
    {TABLE "*.distinct", "values", "profile: distinct values"},
    {TABLE "*.min", "", "profile: smallest value"},
    {TABLE "*.max", "", "profile: largest value"},
    {TABLE "*.mean", "", "profile: mean"},
    {TABLE "*.stddev", "", "profile: standard deviation"},
    {TABLE "*.p50", "", "profile quantiles: median"},
    {TABLE "*.p95", "", "profile quantiles: 95th percentile"},
    {TABLE "*.orphans", "rows", "references: rows missing in the other table"},
    NBAQ_METRIC_END};

/* The name of item i of list: a string, or the `name` of an object. */
static const char *item_name(const nbaq_host_api *api, const nbaq_options *t,
                             const char *list, int objects, size_t i)
{
    return objects ? api->opt_string(api->opt_list_object(t, list, i), "name")
                   : api->opt_list_string(t, list, i);
}

/* The first item of list named like a later one; *twin is that later
 * one. Returns 0 when every name differs. */
static int find_twins(const nbaq_host_api *api, const nbaq_options *t,
                      const char *list, int objects, size_t *first,
                      size_t *twin)
{
    size_t n = api->opt_count(t, list);
    for (*twin = 1; *twin < n; (*twin)++) {
        const char *name = item_name(api, t, list, objects, *twin);
        for (*first = 0; *first < *twin; (*first)++)
            if (strcmp(name, item_name(api, t, list, objects, *first)) == 0)
                return 1;
    }
    return 0;
}

/* A name listed twice in the string list `list` of table t. */
static int unique_strings(const nbaq_host_api *api, const nbaq_options *t,
                          const char *list, char *err, size_t err_size)
{
    size_t first, twin;
    if (!find_twins(api, t, list, 0, &first, &twin))
        return 0;
    snprintf(err, err_size, "%s: table '%s': %s: column '%s' is listed twice",
             api->opt_location(t, list), api->opt_string(t, "name"), list,
             api->opt_list_string(t, list, twin));
    return -1;
}

/* Two rules for one column: their metrics would collide. */
static int unique_column_rules(const nbaq_host_api *api, const nbaq_options *t,
                               char *err, size_t err_size)
{
    size_t first, twin;
    if (!find_twins(api, t, "columns", 1, &first, &twin))
        return 0;
    const nbaq_options *a = api->opt_list_object(t, "columns", twin);
    snprintf(
        err, err_size,
        "%s: table '%s': columns: column '%s' has rules twice (first "
        "at %s); merge them into one entry",
        api->opt_location(a, NULL), api->opt_string(t, "name"),
        api->opt_string(a, "name"),
        api->opt_location(api->opt_list_object(t, "columns", first), NULL));
    return -1;
}

static int length_bounds(const nbaq_host_api *api, const nbaq_options *t,
                         char *err, size_t err_size)
{
    size_t n = api->opt_count(t, "columns");
    for (size_t i = 0; i < n; i++) {
        const nbaq_options *c = api->opt_list_object(t, "columns", i);
        if (api->opt_is_set(c, "min_length") &&
            api->opt_is_set(c, "max_length") &&
            api->opt_int(c, "min_length") > api->opt_int(c, "max_length")) {
            snprintf(err, err_size,
                     "%s: table '%s': column '%s': min_length %lld is above "
                     "max_length %lld: every value would be invalid",
                     api->opt_location(c, "min_length"),
                     api->opt_string(t, "name"), api->opt_string(c, "name"),
                     (long long)api->opt_int(c, "min_length"),
                     (long long)api->opt_int(c, "max_length"));
            return -1;
        }
    }
    return 0;
}

static int paired_references(const nbaq_host_api *api, const nbaq_options *t,
                             char *err, size_t err_size)
{
    size_t n = api->opt_count(t, "references");
    for (size_t i = 0; i < n; i++) {
        const nbaq_options *r = api->opt_list_object(t, "references", i);
        size_t columns = api->opt_count(r, "columns");
        size_t refs = api->opt_count(r, "ref_columns");
        if (api->opt_is_set(r, "ref_columns") && refs != columns) {
            snprintf(err, err_size,
                     "%s: table '%s': references: %zu ref_columns for %zu "
                     "columns (they pair one to one)",
                     api->opt_location(r, "ref_columns"),
                     api->opt_string(t, "name"), refs, columns);
            return -1;
        }
        if (columns == 0) {
            snprintf(err, err_size,
                     "%s: table '%s': references: columns is empty",
                     api->opt_location(r, NULL), api->opt_string(t, "name"));
            return -1;
        }
    }
    return 0;
}

int dbq_validate(const nbaq_host_api *api, const nbaq_options *opts, char *err,
                 size_t err_size)
{
    size_t n = api->opt_count(opts, "tables");
    for (size_t i = 0; i < n; i++) {
        const nbaq_options *t = api->opt_list_object(opts, "tables", i);
        if (unique_strings(api, t, "critical_columns", err, err_size) != 0 ||
            unique_strings(api, t, "key_columns", err, err_size) != 0 ||
            unique_column_rules(api, t, err, err_size) != 0 ||
            length_bounds(api, t, err, err_size) != 0 ||
            paired_references(api, t, err, err_size) != 0)
            return -1;
    }
    return 0;
}
