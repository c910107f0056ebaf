/* Declared metric patterns (ABI 1.2): the overlap of a threshold glob with
 * a declared pattern, the load-time check of declarations, their
 * expansion with a check's options, and the did-you-mean they feed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "declared_metrics.h"
#include "metric_decls.h"
#include "metric_glob.h"
#include "options.h"
#include "registry.h"
#include "text.h"
#include "threshold_names.h"
#include "unit_support.h"
#include "ydoc.h"

static void test_literal_names(void **state)
{
    (void)state;
    assert_true(metric_glob_overlap("objects", "objects"));
    assert_false(metric_glob_overlap("objcts", "objects"));
    assert_false(metric_glob_overlap("objects", "objects.per_day"));
    assert_false(metric_glob_overlap("", "objects"));
}

static void test_declared_stars(void **state)
{
    (void)state;
    assert_true(metric_glob_overlap("orders.id.nulls", "orders.*.nulls"));
    assert_true(metric_glob_overlap("orders..nulls", "orders.*.nulls"));
    assert_false(metric_glob_overlap("orders.id.nuls", "orders.*.nulls"));
    assert_false(metric_glob_overlap("users.id.nulls", "orders.*.nulls"));
    assert_true(metric_glob_overlap("anything at all", "*"));
    /* An escaped star is a star character, nothing more. */
    assert_true(metric_glob_overlap("a*b", "a\\*b"));
    assert_false(metric_glob_overlap("axb", "a\\*b"));
}

static void test_threshold_globs(void **state)
{
    (void)state;
    assert_true(metric_glob_overlap("objects.*", "objects.by_prefix.*"));
    assert_true(metric_glob_overlap("*.rows", "orders.rows"));
    assert_false(metric_glob_overlap("*.rows", "orders.rows_estimate"));
    assert_true(metric_glob_overlap("a*c", "*b*"));
    assert_false(metric_glob_overlap("a*", "b*"));
    assert_true(metric_glob_overlap("row?", "rows"));
    assert_false(metric_glob_overlap("row?", "row"));
    assert_true(metric_glob_overlap("[ab]x", "bx"));
    assert_false(metric_glob_overlap("[ab]x", "cx"));
    assert_true(metric_glob_overlap("[!a]x", "bx"));
    assert_false(metric_glob_overlap("[!a]x", "ax"));
    assert_true(metric_glob_overlap("[[:digit:]]d", "7d"));
    assert_true(metric_glob_overlap("\\*", "\\*"));
    assert_false(metric_glob_overlap("\\*", "x"));
    /* An unclosed bracket is a plain character, as for fnmatch. */
    assert_true(metric_glob_overlap("a[b", "a[b"));
}

static void test_pattern_is_any(void **state)
{
    (void)state;
    assert_true(metric_pattern_is_any("*"));
    assert_true(metric_pattern_is_any("**"));
    assert_false(metric_pattern_is_any("*.rows"));
    assert_false(metric_pattern_is_any(""));
}

static void test_recorded_names(void **state)
{
    (void)state;
    assert_true(metric_pattern_matches("rows", "rows"));
    assert_false(metric_pattern_matches("rows", "rows_x"));
    assert_true(metric_pattern_matches("orders.*.nulls", "orders.id.nulls"));
    assert_false(metric_pattern_matches("orders.*.nulls", "orders.id.nuls"));
    /* A name is literal text: its `*`, `?` and `[` match only themselves. */
    assert_true(metric_pattern_matches("a\\*b", "a*b"));
    assert_false(metric_pattern_matches("a\\*b", "axb"));
    assert_false(metric_pattern_matches("rows", "row?"));
    assert_false(metric_pattern_matches("rows", "[r]ows"));
    assert_true(metric_pattern_matches("t.*", "t.[x]?"));
    assert_true(metric_pattern_matches("*", ""));
    assert_true(metric_pattern_matches("a*b\\*c", "axb*c"));
    assert_false(metric_pattern_matches("a*b\\*c", "axbc"));
    assert_true(metric_pattern_matches("a\\\\*", "a\\xyz"));
    assert_false(metric_pattern_matches("*.nulls", "t.nulls.x"));
    assert_false(metric_pattern_matches("t.*", "u.x"));
}

static const nbaq_option_spec table_fields[] = {
    {.name = "name", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "columns", .type = NBAQ_OPT_STRING_LIST},
    {.name = "rows", .type = NBAQ_OPT_INT},
    NBAQ_OPTION_END};

static const char *const modes[] = {"nagios", "number", NULL};

static const nbaq_option_spec specs[] = {
    {.name = "mode",
     .type = NBAQ_OPT_ENUM,
     .choices = modes,
     .default_value = "nagios"},
    {.name = "metric", .type = NBAQ_OPT_STRING},
    {.name = "by_prefix", .type = NBAQ_OPT_BOOL, .default_value = "false"},
    {.name = "labels", .type = NBAQ_OPT_STRING_MAP},
    {.name = "count", .type = NBAQ_OPT_INT},
    {.name = "token", .type = NBAQ_OPT_STRING, .secret = 1},
    {.name = "tables", .type = NBAQ_OPT_OBJECT_LIST, .fields = table_fields},
    NBAQ_OPTION_END};

static void schema_refused(const char *pattern, const char *needle)
{
    const nbaq_metric_decl decls[] = {{pattern, NULL, NULL}, NBAQ_METRIC_END};
    char err[512] = "";
    if (metric_decls_check_schema(decls, specs, err, sizeof err) == 0)
        fail_msg("pattern '%s' accepted", pattern);
    if (!strstr(err, needle))
        fail_msg("'%s': error '%s' lacks '%s'", pattern, err, needle);
}

static void test_schema(void **state)
{
    (void)state;
    const nbaq_metric_decl good[] = {
        {"rows", "rows", "rows"},
        {"{mode=number}{metric|value}", NULL, NULL},
        {"{tables.name}.{tables.columns}.nulls", NULL, NULL},
        {"{by_prefix=true}objects.by_prefix.*", NULL, NULL},
        {"{labels}", NULL, NULL},
        {"\\{literal}", NULL, NULL},
        NBAQ_METRIC_END};
    char err[512] = "";
    if (metric_decls_check_schema(good, specs, err, sizeof err) != 0)
        fail_msg("refused: %s", err);
    assert_int_equal(metric_decls_check_schema(NULL, specs, err, sizeof err),
                     0);
    schema_refused("", "is empty");
    schema_refused("{metrc}", "'{metrc}': placeholder at byte 0 names no "
                              "option of the plugin");
    schema_refused("a.{metric", "not closed");
    schema_refused("{count}", "not a string");
    schema_refused("{tables.rows}", "no field of that option, or one");
    schema_refused("{metric.name}", "not an object");
    schema_refused("{}", "must start with an option name");
    schema_refused("x.{token}", "placeholder at byte 2 names a secret option");
}

static arena mem;
static ydoc *doc;

static nbaq_options *build(const char *yaml)
{
    char err[1024] = "";
    nbaq_options *o = NULL;
    ydoc_free(doc);
    doc = ydoc_load_string(yaml, strlen(yaml), "c.yaml", 1, err, sizeof err);
    if (!doc)
        fail_msg("bad test YAML: %s", err);
    if (options_build(&mem, specs, doc->root, doc->root, "check 'x'", "p", &o,
                      err, sizeof err) != 0)
        fail_msg("options refused: %s", err);
    return o;
}

/* The expanded patterns of decls, joined with " | ". */
static void expand(const nbaq_metric_decl *decls, const char *yaml, char *out,
                   size_t size)
{
    char **names = NULL;
    size_t count = 0;
    assert_int_equal(
        metric_decls_expand(&mem, decls, specs, build(yaml), &names, &count),
        0);
    out[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(out);
        snprintf(out + used, size - used, "%s%s", i ? " | " : "", names[i]);
    }
}

static const nbaq_metric_decl exec_like[] = {
    {"{mode=number}{metric|value}", NULL, NULL},
    {"{mode=nagios}*", NULL, NULL},
    NBAQ_METRIC_END};

static void test_expand_conditions(void **state)
{
    (void)state;
    char got[1024];
    expand(exec_like, "mode: number\nmetric: rows\n", got, sizeof got);
    assert_string_equal(got, "rows");
    expand(exec_like, "mode: number\n", got, sizeof got);
    assert_string_equal(got, "value");
    expand(exec_like, "{}", got, sizeof got);
    assert_string_equal(got, "*");
    const nbaq_metric_decl by_prefix[] = {
        {"objects", NULL, NULL},
        {"{by_prefix=true}objects.by_prefix.*", NULL, NULL},
        NBAQ_METRIC_END};
    expand(by_prefix, "by_prefix: true\n", got, sizeof got);
    assert_string_equal(got, "objects | objects.by_prefix.*");
    expand(by_prefix, "{}", got, sizeof got);
    assert_string_equal(got, "objects");
}

static void test_expand_lists(void **state)
{
    (void)state;
    char got[1024];
    const nbaq_metric_decl per_column[] = {
        {"{tables.name}.{tables.columns}.nulls", NULL, NULL},
        {"{labels}", NULL, NULL},
        NBAQ_METRIC_END};
    expand(per_column,
           "tables:\n"
           "  - {name: orders, columns: [id, total]}\n"
           "  - {name: a*b}\n"
           "labels: {x: 1, y: 2}\n",
           got, sizeof got);
    /* Values are taken as literal text: a star in a name is escaped. */
    assert_string_equal(got, "orders.id.nulls | orders.total.nulls | "
                             "a\\*b.id.nulls | a\\*b.total.nulls | x | y");
    expand(per_column, "{}", got, sizeof got);
    assert_string_equal(got, "");
}

static void test_expand_overflow(void **state)
{
    (void)state;
    /* 40 tables x 40 columns > METRIC_DECLS_EXPANSION_MAX: stars. */
    char yaml[40 * 300] = "tables:\n";
    for (int t = 0; t < 40; t++) {
        size_t used = strlen(yaml);
        snprintf(yaml + used, sizeof yaml - used,
                 "  - name: t%d\n    columns: [", t);
        for (int c = 0; c < 40; c++) {
            used = strlen(yaml);
            snprintf(yaml + used, sizeof yaml - used, "%sc%d", c ? ", " : "",
                     c);
        }
        used = strlen(yaml);
        snprintf(yaml + used, sizeof yaml - used, "]\n");
    }
    const nbaq_metric_decl per_column[] = {
        {"{tables.name}.{tables.columns}.nulls", NULL, NULL}, NBAQ_METRIC_END};
    char got[1024];
    expand(per_column, yaml, got, sizeof got);
    assert_string_equal(got, "*.*.nulls");
}

static void test_suggestion(void **state)
{
    (void)state;
    const char *const declared[] = {"objects", "bytes", "zero_byte_objects",
                                    "objects.by_prefix.*"};
    assert_string_equal(text_suggest("objcts", declared, 4), "objects");
    assert_string_equal(text_suggest("byts", declared, 4), "bytes");
    assert_null(text_suggest("latency", declared, 4));
}

static const nbaq_metric_decl counter_metrics[] = {
    {"objects", "count", NULL},
    {"bytes", "B", NULL},
    {"{by_prefix=true}objects.by_prefix.*", "count", NULL},
    {"{tables.name}.{tables.columns}.nulls", "rows", NULL},
    {"{tables.name}.*.invalid_count", "rows", NULL},
    NBAQ_METRIC_END};

/* threshold_names_check() on one check of a fake plugin declaring
 * counter_metrics; returns its error ("" when it accepts). */
static void judge_thresholds(const char *check_yaml, char *err, size_t err_size)
{
    char *dir = make_temp_dir();
    char yaml[2048];
    snprintf(yaml, sizeof yaml, "monitor: m\nchecks:\n%s", check_yaml);
    char *path = write_temp_file(dir, "m.yaml", yaml);
    config *cfg = config_load(path, err, err_size);
    if (!cfg)
        fail_msg("config refused: %s", err);
    plugin fake = {
        .name = "fake", .options = specs, .metrics = counter_metrics};
    check_config *c = &cfg->checks[0];
    c->plugin_ref = &fake;
    if (options_build(&cfg->mem, specs, c->options_node, c->node, "check 'c'",
                      "fake", &c->options, err, err_size) != 0)
        fail_msg("options refused: %s", err);
    err[0] = '\0';
    threshold_names_check(cfg, err, err_size);
    /* the path is random: keep what follows it */
    const char *at = strstr(err, "m.yaml:");
    memmove(err, at ? at : err, strlen(at ? at : err) + 1);
    config_free(cfg);
    free(path);
    remove_temp_dir(dir);
}

static void test_threshold_names(void **state)
{
    (void)state;
    char err[1024];
    judge_thresholds("  - name: c\n    plugin: fake\n    thresholds:\n"
                     "      objcts: {fail_below: 1}\n",
                     err, sizeof err);
    assert_string_equal(err, "m.yaml:6:7: check 'c': threshold 'objcts': "
                             "plugin 'fake' declares no such metric (did "
                             "you mean 'objects'?)");
    judge_thresholds("  - name: c\n    plugin: fake\n    options:\n"
                     "      tables: [{name: orders, columns: [id]}]\n"
                     "    thresholds:\n"
                     "      orders.id.nulls: {fail_above: 0}\n"
                     "      \"orders.*.invalid_count\": {fail_above: 0}\n"
                     "      \"*\": {fail_above: 1e9}\n"
                     "      orders.total.invalid_cnt: {fail_above: 0}\n",
                     err, sizeof err);
    assert_string_equal(err, "m.yaml:11:7: check 'c': threshold "
                             "'orders.total.invalid_cnt': plugin 'fake' "
                             "declares no such metric; nearest declared: "
                             "'orders.*.invalid_count', 'orders.id.nulls', "
                             "'objects' (all: nbaq-host --list-plugins)");
    judge_thresholds("  - name: c\n    plugin: fake\n    options:\n"
                     "      by_prefix: true\n    thresholds:\n"
                     "      objects.by_prefix.x: {fail_below: 1}\n"
                     "      \"byte?\": {fail_below: 1}\n",
                     err, sizeof err);
    assert_string_equal(err, "");
}

static const char *undeclared_joined(const declared_metrics *d,
                                     const job_outcome *out)
{
    static char joined[512];
    const char **names = NULL;
    size_t count = 99;
    assert_int_equal(declared_metrics_undeclared(&mem, d, out, &names, &count),
                     0);
    joined[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t used = strlen(joined);
        snprintf(joined + used, sizeof joined - used, "%s%s", i ? " " : "",
                 names[i]);
    }
    return joined;
}

static void test_undeclared(void **state)
{
    (void)state;
    raw_metric metrics[] = {{.name = "objects"},
                            {.name = "orders.id.nulls"},
                            {.name = "objcts"},
                            {.name = "orders.total.nulls"}};
    backfill_series series[] = {
        {.name = "objects"}, {.name = "late"}, {.name = "late"}};
    job_outcome out = {.metrics = metrics,
                       .metric_count = 4,
                       .backfill = {.items = series, .count = 3}};
    for (size_t i = 0; i < out.metric_count; i++)
        assert_int_equal(
            nameset_put(&out.metric_index, metrics[i].name, i, NULL), 0);
    declared_metrics d;
    nbaq_options *o = build("tables: [{name: orders, columns: [id]}]\n");
    assert_int_equal(declared_metrics_of(&mem, counter_metrics, specs, o, &d),
                     0);
    assert_int_equal(d.kind, DECLARED_LISTED);
    /* Each once, metrics then backfilled series, in the order recorded. */
    assert_string_equal(undeclared_joined(&d, &out),
                        "objcts orders.total.nulls late");
    assert_int_equal(declared_metrics_of(&mem, exec_like, specs, o, &d), 0);
    assert_int_equal(d.kind, DECLARED_ANY);
    assert_string_equal(undeclared_joined(&d, &out), "");
    assert_int_equal(declared_metrics_of(&mem, NULL, specs, o, &d), 0);
    assert_int_equal(d.kind, DECLARED_NONE);
    assert_string_equal(undeclared_joined(&d, &out), "");
    /* An empty list declares that the check emits no metric. */
    const nbaq_metric_decl nothing[] = {NBAQ_METRIC_END};
    assert_int_equal(declared_metrics_of(&mem, nothing, specs, o, &d), 0);
    assert_int_equal(d.kind, DECLARED_LISTED);
    assert_string_equal(undeclared_joined(&d, &out),
                        "objects orders.id.nulls objcts orders.total.nulls "
                        "late");
    /* A pattern whose head is empty, and two sharing one. */
    const nbaq_metric_decl suffixes[] = {{"*.nulls", NULL, NULL},
                                         {"orders.a*", NULL, NULL},
                                         {"orders.*.nulls", NULL, NULL},
                                         NBAQ_METRIC_END};
    assert_int_equal(declared_metrics_of(&mem, suffixes, specs, o, &d), 0);
    assert_string_equal(undeclared_joined(&d, &out), "objects objcts late");
    nameset_free(&out.metric_index);
}

static int cleanup(void **state)
{
    (void)state;
    ydoc_free(doc);
    doc = NULL;
    arena_free(&mem);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_names),
        cmocka_unit_test(test_declared_stars),
        cmocka_unit_test(test_threshold_globs),
        cmocka_unit_test(test_pattern_is_any),
        cmocka_unit_test(test_recorded_names),
        cmocka_unit_test(test_schema),
        cmocka_unit_test_teardown(test_expand_conditions, cleanup),
        cmocka_unit_test_teardown(test_expand_lists, cleanup),
        cmocka_unit_test_teardown(test_expand_overflow, cleanup),
        cmocka_unit_test(test_suggestion),
        cmocka_unit_test(test_threshold_names),
        cmocka_unit_test_teardown(test_undeclared, cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
