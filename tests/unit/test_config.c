/* The config loader: every key, defaults, and every error path with its
 * file:line:column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "config.h"
#include "textbuf.h"
#include "unit_support.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = make_temp_dir();
    unsetenv("NBAQ_UNIT_UNSET_VAR");
    setenv("NBAQ_UNIT_SET_VAR", "from-env", 1);
    setenv("NBAQ_UNIT_EMPTY_VAR", "", 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    remove_temp_dir(dir);
    return 0;
}

static config *load(const char *yaml, char *err, size_t err_size)
{
    char *path = write_temp_file(dir, "m.yaml", yaml);
    config *cfg = config_load(path, err, err_size);
    free(path);
    return cfg;
}

static config *load_ok(const char *yaml)
{
    char err[2048] = "";
    config *cfg = load(yaml, err, sizeof err);
    if (!cfg)
        fail_msg("unexpected error: %s", err);
    return cfg;
}

/* Asserts that loading fails with an error that starts with
 * "<dir>/m.yaml:<location>: " and contains needle. */
static void expect_error(const char *yaml, const char *location,
                         const char *needle)
{
    char err[2048] = "";
    config *cfg = load(yaml, err, sizeof err);
    if (cfg) {
        config_free(cfg);
        fail_msg("expected an error containing '%s'", needle);
    }
    char prefix[600];
    snprintf(prefix, sizeof prefix, "%s/m.yaml:%s: ", dir, location);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fail_msg("error '%s' does not start with '%s'", err, prefix);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not contain '%s'", err, needle);
}

static void test_defaults(void **state)
{
    (void)state;
    config *cfg = load_ok("checks:\n  - name: a\n    plugin: p\n");
    assert_string_equal(cfg->monitor, "nbaq");
    assert_true(cfg->workers >= 1);
    assert_int_equal(cfg->timeout_ms, 60000);
    assert_int_equal(cfg->check_count, 1);
    check_config *c = &cfg->checks[0];
    assert_string_equal(c->name, "a");
    assert_string_equal(c->plugin, "p");
    assert_string_equal(c->description, "");
    assert_int_equal(c->severity, NBAQ_SEV_MEDIUM);
    assert_int_equal(c->timeout_ms, 60000);
    assert_int_equal(c->enabled, 1);
    assert_null(c->options_node);
    assert_int_equal(c->rule_count, 0);
    assert_int_equal(cfg->reporter_count, 0);
    assert_int_equal(cfg->history.configured, 0);
    assert_int_equal(cfg->alerts.configured, 0);
    assert_string_equal(cfg->dir, dir);
    config_free(cfg);
}

static void test_every_key(void **state)
{
    (void)state;
    config *cfg = load_ok("monitor: nba-pipeline\n"
                          "plugin_dirs: [../build/plugins, /abs/dir]\n"
                          "workers: 4\n"
                          "timeout: 90s\n"
                          "history:\n"
                          "  url: history.db\n"
                          "  retention: 90d\n"
                          "  trend_window: 12h\n"
                          "  report_points: 200\n"
                          "checks:\n"
                          "  - name: disk_root\n"
                          "    plugin: exec\n"
                          "    description: Root filesystem\n"
                          "    severity: high\n"
                          "    timeout: 10s\n"
                          "    enabled: false\n"
                          "    options: {command: [df]}\n"
                          "  - name: other\n"
                          "    plugin: exec\n"
                          "reporters:\n"
                          "  - plugin: text\n"
                          "  - name: file\n"
                          "    plugin: json\n"
                          "    timeout: 5s\n"
                          "    options: {output: r.json}\n"
                          "alerts:\n"
                          "  routes: [{channel: file}]\n");
    assert_string_equal(cfg->monitor, "nba-pipeline");
    assert_int_equal(cfg->plugin_dir_count, 2);
    char expected[600];
    snprintf(expected, sizeof expected, "%s/../build/plugins", dir);
    assert_string_equal(cfg->plugin_dirs[0], expected);
    assert_string_equal(cfg->plugin_dirs[1], "/abs/dir");
    assert_int_equal(cfg->workers, 4);
    assert_int_equal(cfg->timeout_ms, 90000);
    assert_int_equal(cfg->history.configured, 1);
    assert_string_equal(cfg->history.url, "history.db");
    assert_int_equal(cfg->history.retention_ms, 90LL * 86400000);
    assert_int_equal(cfg->history.trend_window_ms, 12LL * 3600000);
    assert_int_equal(cfg->history.report_points, 200);
    assert_int_equal(cfg->check_count, 2);
    check_config *c = &cfg->checks[0];
    assert_string_equal(c->description, "Root filesystem");
    assert_int_equal(c->severity, NBAQ_SEV_HIGH);
    assert_int_equal(c->timeout_ms, 10000);
    assert_int_equal(c->enabled, 0);
    assert_non_null(c->options_node);
    assert_int_equal(cfg->checks[1].timeout_ms, 90000); /* the default */
    assert_int_equal(cfg->reporter_count, 2);
    assert_string_equal(cfg->reporters[0].name, "text");
    assert_int_equal(cfg->reporters[0].timeout_ms, 90000);
    assert_string_equal(cfg->reporters[1].name, "file");
    assert_int_equal(cfg->reporters[1].timeout_ms, 5000);
    assert_int_equal(cfg->alerts.configured, 1);
    assert_int_equal(cfg->alerts.route_count, 1);
    assert_non_null(config_find_check(cfg, "other"));
    assert_null(config_find_check(cfg, "nope"));
    config_free(cfg);
}

static void test_yaml_syntax_error(void **state)
{
    (void)state;
    /* A tab cannot start a token: line 3, column 1. */
    expect_error("monitor: x\nchecks:\n\t- name: a\n", "3:1",
                 "YAML syntax error");
    /* An unclosed flow sequence runs into the end of the document. */
    expect_error("workers: [1, 2\n", "2:1", "YAML syntax error");
}

static void test_unknown_keys(void **state)
{
    (void)state;
    expect_error("checks:\n  - name: x\n    plugin: p\n    timout: 5s\n", "4:5",
                 "unknown key 'timout' in check 'x' (did you mean "
                 "'timeout'?)");
    expect_error("monitr: x\n", "1:1",
                 "unknown key 'monitr' at the top level (did you mean "
                 "'monitor'?)");
    expect_error("history:\n  url: h.db\n  retension: 9d\n", "3:3",
                 "unknown key 'retension' in history (did you mean "
                 "'retention'?)");
    expect_error("reporters:\n  - plugin: text\n    optoins: {}\n", "3:5",
                 "(did you mean 'options'?)");
    expect_error("checks:\n  - name: x\n    plugin: p\n"
                 "    thresholds:\n      m:\n        warn_abve: 3\n",
                 "6:9", "did you mean 'warn_above'?");
    expect_error("zzzzzzzzzz: 1\n", "1:1", "(known: monitor, plugin_dirs");
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_error("workers: many\n", "1:10",
                 "'workers' expected an integer, got 'many'");
    expect_error("workers: 0\n", "1:10", "between 1 and 1024");
    expect_error("checks: {a: 1}\n", "1:9", "'checks' expected a list");
    expect_error("checks:\n  - name: [a]\n", "2:11", "expected a string");
    expect_error("checks:\n  - name: x\n    plugin: p\n    enabled: maybe\n",
                 "4:14", "'enabled' expected true or false, got 'maybe'");
    expect_error("checks:\n  - name: x\n    plugin: p\n    severity: hi\n",
                 "4:15",
                 "'severity' must be one of info, low, medium, high, "
                 "critical");
    expect_error("monitor: 'my monitor'\n", "1:10",
                 "must match [A-Za-z0-9_.-]+");
    expect_error("checks:\n  - just a string\n", "2:5", "expected a mapping");
}

static void test_missing_required(void **state)
{
    (void)state;
    expect_error("checks:\n  - name: x\n", "2:5",
                 "check 'x': missing required key 'plugin'");
    expect_error("checks:\n  - plugin: p\n", "2:5",
                 "check #1: missing required key 'name'");
    expect_error("reporters:\n  - name: r\n", "2:5",
                 "missing required key 'plugin'");
    expect_error("history:\n  retention: 9d\n", "2:3",
                 "missing required key 'url'");
}

static void test_duplicates(void **state)
{
    (void)state;
    char needle[600];
    snprintf(needle, sizeof needle,
             "duplicate check name 'a' (first defined at %s/m.yaml:2:5)", dir);
    expect_error("checks:\n  - name: a\n    plugin: p\n"
                 "  - name: a\n    plugin: q\n",
                 "4:11", needle);
    expect_error("reporters:\n  - plugin: text\n  - plugin: text\n", "3:5",
                 "duplicate reporter name 'text'");
    expect_error("monitor: a\nmonitor: b\n", "2:1", "duplicate key 'monitor'");
}

static void test_bad_duration(void **state)
{
    (void)state;
    expect_error("timeout: 10x\n", "1:10", "unknown unit 'x'");
    expect_error("timeout: 10\n", "1:10", "the unit is missing");
    expect_error("checks:\n  - name: x\n    plugin: p\n    timeout: soon\n",
                 "4:14", "expected a duration such as 250ms, 30s");
}

static void test_environment(void **state)
{
    (void)state;
    expect_error("monitor: ${NBAQ_UNIT_UNSET_VAR}\n", "1:10",
                 "environment variable 'NBAQ_UNIT_UNSET_VAR' is not set");
    expect_error("monitor: ${NBAQ_UNIT_UNSET_VAR\n", "1:10", "unterminated");
    expect_error("monitor: ${1BAD}\n", "1:10", "bad variable reference");
    config *cfg = load_ok("monitor: ${NBAQ_UNIT_UNSET_VAR:-fallback}\n"
                          "checks:\n"
                          "  - name: ${NBAQ_UNIT_SET_VAR}\n"
                          "    plugin: p\n"
                          "    description: 'cost $$5, $HOME, ${NBAQ_UNIT_"
                          "EMPTY_VAR:-was-empty}'\n");
    assert_string_equal(cfg->monitor, "fallback");
    assert_string_equal(cfg->checks[0].name, "from-env");
    assert_string_equal(cfg->checks[0].description,
                        "cost $5, $HOME, was-empty");
    config_free(cfg);
    char *out = NULL;
    char err[256];
    assert_int_equal(env_substitute("a$$b$${X}", &out, err, sizeof err), 0);
    assert_string_equal(out, "a$b${X}");
    free(out);
}

static void test_thresholds(void **state)
{
    (void)state;
    config *cfg = load_ok("checks:\n"
                          "  - name: x\n"
                          "    plugin: p\n"
                          "    thresholds:\n"
                          "      \"objects.*\":\n"
                          "        warn_below: 100\n"
                          "        fail_below: 10\n"
                          "        warn_above: 1e6\n"
                          "        fail_above: 2e6\n"
                          "        better: higher\n"
                          "        anomaly: true\n"
                          "      rows:\n"
                          "        anomaly: {z: 2.5, window: 7d, "
                          "min_history: 3, direction: below, floor: 100,"
                          " relative_floor: 0.2,"
                          " seasonal: hour_of_week, status: fail}\n"
                          "        change: {warn_pct: 20, fail_abs: 100, "
                          "direction: above}\n"
                          "      size:\n"
                          "        anomaly: {window: 12}\n"
                          "        better: lower\n");
    check_config *c = &cfg->checks[0];
    assert_int_equal(c->rule_count, 3);
    metric_rule *r = &c->rules[0];
    assert_string_equal(r->pattern, "objects.*");
    assert_true(r->warn_below.set && r->warn_below.value == 100);
    assert_true(r->fail_below.set && r->fail_below.value == 10);
    assert_true(r->warn_above.set && r->warn_above.value == 1e6);
    assert_true(r->fail_above.set && r->fail_above.value == 2e6);
    assert_int_equal(r->better, RULE_BETTER_HIGHER);
    assert_int_equal(r->anomaly.enabled, 1);
    assert_true(r->anomaly.z == 4);
    assert_int_equal(r->anomaly.window_points, 60);
    assert_int_equal(r->anomaly.window_ms, 0);
    assert_int_equal(r->anomaly.min_history, 7);
    assert_true(r->anomaly.rel_floor == 0.05);
    assert_int_equal(r->anomaly.seasonal, RULE_SEASON_AUTO);
    assert_int_equal(r->anomaly.direction, RULE_DIRECTION_BOTH);
    assert_int_equal(r->anomaly.floor.set, 0);
    assert_int_equal(r->anomaly.status, NBAQ_WARNING);
    assert_int_equal(r->change.enabled, 0);
    r = &c->rules[1];
    assert_true(r->anomaly.z == 2.5);
    assert_int_equal(r->anomaly.window_ms, 7LL * 86400000);
    assert_int_equal(r->anomaly.min_history, 3);
    assert_int_equal(r->anomaly.direction, RULE_DIRECTION_BELOW);
    assert_true(r->anomaly.floor.set && r->anomaly.floor.value == 100);
    assert_true(r->anomaly.rel_floor == 0.2);
    assert_int_equal(r->anomaly.seasonal, RULE_SEASON_HOUR_OF_WEEK);
    assert_int_equal(r->anomaly.status, NBAQ_FAIL);
    assert_int_equal(r->change.enabled, 1);
    assert_true(r->change.warn_pct.set && r->change.warn_pct.value == 20);
    assert_false(r->change.fail_pct.set);
    assert_true(r->change.fail_abs.set && r->change.fail_abs.value == 100);
    assert_int_equal(r->change.direction, RULE_DIRECTION_ABOVE);
    assert_int_equal(r->better, RULE_BETTER_NONE);
    r = &c->rules[2];
    assert_int_equal(r->anomaly.window_points, 12);
    assert_int_equal(r->anomaly.window_ms, 0);
    assert_int_equal(r->better, RULE_BETTER_LOWER);
    config_free(cfg);
}

static void test_threshold_errors(void **state)
{
    (void)state;
    const char *head = "checks:\n  - name: x\n    plugin: p\n    thresholds:\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s      m: {warn_above: lots}\n", head);
    expect_error(yaml, "5:23", "'warn_above' expected a number, got 'lots'");
    snprintf(yaml, sizeof yaml, "%s      m: {better: up}\n", head);
    expect_error(yaml, "5:19", "'better' must be one of higher, lower");
    snprintf(yaml, sizeof yaml, "%s      m: {anomaly: {z: 0}}\n", head);
    expect_error(yaml, "5:24", "must be greater than 0");
    snprintf(yaml, sizeof yaml, "%s      m: {anomaly: {window: 1}}\n", head);
    expect_error(yaml, "5:29", "between 2 and 100000 points");
    snprintf(yaml, sizeof yaml, "%s      m: {anomaly: {window: often}}\n",
             head);
    expect_error(yaml, "5:29", "a number of points (30) or a duration");
    snprintf(yaml, sizeof yaml,
             "%s      m: {anomaly: {relative_floor: -0.1}}\n", head);
    expect_error(yaml, "5:37", "'anomaly.relative_floor' must be between 0");
    snprintf(yaml, sizeof yaml, "%s      m: {anomaly: {seasonal: yearly}}\n",
             head);
    expect_error(yaml, "5:31", "hour_of_week, auto");
    snprintf(yaml, sizeof yaml, "%s      m: {change: {direction: both}}\n",
             head);
    expect_error(yaml, "5:19", "sets none of warn_pct");
    snprintf(yaml, sizeof yaml, "%s      m: {change: {warn_pct: -5}}\n", head);
    expect_error(yaml, "5:30", "must not be negative");
    snprintf(yaml, sizeof yaml, "%s      m: [1]\n", head);
    expect_error(yaml, "5:10", "expected a mapping");
    snprintf(yaml, sizeof yaml, "%s      - m\n", head);
    expect_error(yaml, "5:7", "'thresholds' expected a mapping");
}

static void test_empty_and_missing(void **state)
{
    (void)state;
    char err[1024];
    char *path = write_temp_file(dir, "empty.yaml", "");
    assert_null(config_load(path, err, sizeof err));
    assert_non_null(strstr(err, "the file is empty"));
    free(path);
    char missing[600];
    snprintf(missing, sizeof missing, "%s/none.yaml", dir);
    assert_null(config_load(missing, err, sizeof err));
    assert_non_null(strstr(err, "none.yaml: cannot open"));
    expect_error("- a\n- b\n", "1:1", "expected a mapping at the top level");
}

static void test_alias_bomb(void **state)
{
    (void)state;
    /* 10 levels of 10 aliases: 10^10 nodes if expanded naively. */
    char yaml[4096] = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
                 "*a%d, *a%d]\n",
                 i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
                 i - 1, i - 1);
        strcat(yaml, line);
    }
    char err[1024] = "";
    config *cfg = load(yaml, err, sizeof err);
    assert_null(cfg);
    assert_non_null(strstr(err, "document too large"));
}

static void test_deep_nesting_stops_at_the_cap(void **state)
{
    (void)state;
    /* 200 KB of '[': the cap (64 levels) applies at the 65th, before
     * libyaml builds anything. */
    size_t n = 200 * 1024;
    char *yaml = malloc(n + 1);
    assert_non_null(yaml);
    memset(yaml, '[', n);
    yaml[n] = '\0';
    expect_error(yaml, "1:65", "nested too deeply");
    free(yaml);
}

static void test_second_document_is_an_error(void **state)
{
    (void)state;
    expect_error("monitor: a\n---\nmonitor: b\n", "2:1",
                 "a second YAML document");
    expect_error("monitor: a\n...\n---\nchecks: []\n", "3:1",
                 "a second YAML document");
}

/* A mapping with many keys, one repeated at the end: named with its
 * place. */
static void test_duplicate_among_many_keys(void **state)
{
    (void)state;
    enum { KEYS = 99000 };
    textbuf sb = TEXTBUF_INIT;
    textbuf_puts(&sb, "monitor: m\nchecks:\n  - name: a\n    plugin: p\n"
                      "    options:\n");
    for (int i = 0; i < KEYS; i++)
        textbuf_printf(&sb, "      k%d: 1\n", i);
    textbuf_puts(&sb, "      k4242: 2\n");
    char location[32];
    snprintf(location, sizeof location, "%d:7", 6 + KEYS);
    expect_error(textbuf_cstr(&sb), location, "duplicate key 'k4242'");
    textbuf_free(&sb);
}

static void test_duplicate_among_many_checks(void **state)
{
    (void)state;
    enum { CHECKS = 50000 };
    textbuf sb = TEXTBUF_INIT;
    textbuf_puts(&sb, "checks:\n");
    for (int i = 0; i < CHECKS; i++)
        textbuf_printf(&sb, "  - {name: c%d, plugin: p}\n", i);
    textbuf_puts(&sb, "  - {name: c777, plugin: p}\n");
    char location[32], needle[600];
    snprintf(location, sizeof location, "%d:12", 2 + CHECKS);
    snprintf(needle, sizeof needle,
             "duplicate check name 'c777' (first defined at %s/m.yaml:%d:5)",
             dir, 2 + 777);
    expect_error(textbuf_cstr(&sb), location, needle);
    textbuf_free(&sb);
}

static void test_aliases(void **state)
{
    (void)state;
    /* An alias reads as the anchored value wherever it is used. */
    config *cfg = load_ok("checks:\n"
                          "  - {name: a, plugin: p, options: &o {k: v}}\n"
                          "  - {name: b, plugin: p, options: *o}\n");
    const ynode *o = config_find_check(cfg, "b")->options_node;
    assert_non_null(o);
    assert_string_equal(ynode_get(o, "k")->text, "v");
    config_free(cfg);
    expect_error("a: &x [1, *x]\n", "1:11", "unknown alias");
    expect_error("monitor: &k m\nx: {m: 1, *k : 2}\n", "2:11",
                 "duplicate key 'm'");
    expect_error("? [a]\n: 1\n", "1:3", "a mapping key must be a scalar");
}

static void test_find_check_by_name(void **state)
{
    (void)state;
    config *cfg = load_ok("checks:\n  - {name: a, plugin: p}\n"
                          "  - {name: b, plugin: q}\n");
    assert_string_equal(config_find_check(cfg, "b")->plugin, "q");
    assert_string_equal(config_find_check(cfg, "a")->plugin, "p");
    assert_null(config_find_check(cfg, "c"));
    config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_yaml_syntax_error),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_bad_duration),
        cmocka_unit_test(test_environment),
        cmocka_unit_test(test_thresholds),
        cmocka_unit_test(test_threshold_errors),
        cmocka_unit_test(test_empty_and_missing),
        cmocka_unit_test(test_alias_bomb),
        cmocka_unit_test(test_deep_nesting_stops_at_the_cap),
        cmocka_unit_test(test_second_document_is_an_error),
        cmocka_unit_test(test_duplicate_among_many_keys),
        cmocka_unit_test(test_duplicate_among_many_checks),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_find_check_by_name),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
