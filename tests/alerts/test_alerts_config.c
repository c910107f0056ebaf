/*
 * The `alerts:` section (core/alerts/alerts_config.c): values, defaults,
 * and errors naming file:line:column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "../unit/unit_support.h"

static const char head[] = "monitor: shop\n"        /* line 1 */
                           "history: {url: h.db}\n" /* line 2 */
                           "checks:\n"              /* line 3 */
                           "  - {name: orders, plugin: exec}\n"
                           "  - {name: stock, plugin: exec}\n"
                           "reporters:\n" /* line 6 */
                           "  - {name: ops_hook, plugin: webhook}\n"
                           "  - {name: mail, plugin: email}\n"
                           "alerts:\n"; /* line 9 */

typedef struct loaded {
    char *dir;
    char *path;
    config *cfg;
    char err[1024];
} loaded;

static void load(loaded *l, const char *top, const char *alerts)
{
    l->dir = make_temp_dir();
    char *text = malloc(strlen(head) + strlen(alerts) + 64);
    sprintf(text, "%s%s", top ? top : head, alerts);
    l->path = write_temp_file(l->dir, "m.yaml", text);
    free(text);
    l->err[0] = '\0';
    l->cfg = config_load(l->path, l->err, sizeof l->err);
}

static void unload(loaded *l)
{
    config_free(l->cfg);
    free(l->path);
    remove_temp_dir(l->dir);
}

/* The error, with the directory replaced by "DIR". */
static const char *error_of(loaded *l)
{
    static char out[1024];
    assert_null(l->cfg);
    const char *at = strstr(l->err, "/m.yaml");
    assert_non_null(at);
    snprintf(out, sizeof out, "DIR%s", at);
    return out;
}

/* The severities FAIL, WARNING, ERROR and UNKNOWN map to for a check
 * declared with declared, as one line: "high medium high medium". */
static void expect_severities(const alerts_config *ac, nbaq_severity declared,
                              const char *expected)
{
    static const char *const names[] = {"info", "low", "medium", "high",
                                        "critical"};
    static const nbaq_status order[] = {NBAQ_FAIL, NBAQ_WARNING, NBAQ_ERROR,
                                        NBAQ_UNKNOWN};
    char got[64] = "";
    for (size_t i = 0; i < 4; i++) {
        strcat(got, i ? " " : "");
        strcat(got, names[alerts_severity_of(ac, order[i], declared)]);
    }
    assert_string_equal(got, expected);
}

static void test_defaults_without_section(void **state)
{
    (void)state;
    loaded l;
    load(&l, "monitor: shop\nchecks: []\n", "");
    assert_non_null(l.cfg);
    const alerts_config *ac = &l.cfg->alerts;
    assert_int_equal(ac->configured, 0);
    assert_int_equal(ac->open_after, 1);
    assert_int_equal(ac->resolve_after, 1);
    assert_int_equal(ac->repeat_ms, 4 * 3600 * 1000LL);
    assert_int_equal(ac->flapping, 1);
    assert_int_equal(ac->flap_window, 10);
    assert_int_equal(ac->flap_settle, 3);
    assert_int_equal(ac->notify_lowered, 0);
    assert_int_equal(ac->routes_given, 0);
    /* FAIL and ERROR: the declared severity; WARNING, UNKNOWN one lower,
     * never below info. */
    expect_severities(ac, NBAQ_SEV_HIGH, "high medium high medium");
    expect_severities(ac, NBAQ_SEV_INFO, "info info info info");
    unload(&l);
}

static void test_full_section(void **state)
{
    (void)state;
    loaded l;
    load(&l, NULL,
         "  open_after: 2\n"
         "  resolve_after: 3\n"
         "  repeat_interval: 2h\n"
         "  escalate: {after_runs: 4, after: 1h}\n"
         "  flapping: {window: 12, settle: 4}\n"
         "  severity_from_status: {FAIL: critical, WARNING: declared-2,\n"
         "                         ERROR: declared}\n"
         "  notify_lowered: true\n"
         "  routes:\n"
         "    - channel: ops_hook\n"
         "      min_severity: high\n"
         "      checks: [orders]\n"
         "    - {channel: mail}\n"
         "  levels:\n"
         "    - {after: 30m, min_severity: critical, channels: [mail],\n"
         "       repeat_interval: 15m}\n");
    assert_non_null(l.cfg);
    const alerts_config *ac = &l.cfg->alerts;
    assert_int_equal(ac->configured, 1);
    assert_int_equal(ac->open_after, 2);
    assert_int_equal(ac->resolve_after, 3);
    assert_int_equal(ac->repeat_ms, 7200000);
    assert_int_equal(ac->escalate_after_runs, 4);
    assert_int_equal(ac->escalate_after_ms, 3600000);
    assert_int_equal(ac->flap_window, 12);
    assert_int_equal(ac->flap_settle, 4);
    assert_int_equal(ac->notify_lowered, 1);
    /* FAIL fixed, WARNING two below, ERROR the declared; UNKNOWN not
     * written: the default, one below. */
    expect_severities(ac, NBAQ_SEV_HIGH, "critical low high medium");
    assert_int_equal(ac->route_count, 2);
    assert_string_equal(ac->routes[0].channel, "ops_hook");
    assert_int_equal(ac->routes[0].min_severity, NBAQ_SEV_HIGH);
    assert_int_equal(ac->routes[0].check_count, 1);
    assert_string_equal(ac->routes[0].checks[0], "orders");
    assert_int_equal(ac->routes[1].min_severity, NBAQ_SEV_INFO);
    assert_int_equal(ac->level_count, 1);
    assert_int_equal(ac->levels[0].after_ms, 1800000);
    assert_int_equal(ac->levels[0].repeat_ms, 900000);
    assert_string_equal(ac->levels[0].channels[0], "mail");
    unload(&l);
}

static void test_flapping_false_and_empty_routes(void **state)
{
    (void)state;
    loaded l;
    load(&l, NULL, "  flapping: false\n  routes: []\n  repeat_interval: 0\n");
    assert_non_null(l.cfg);
    assert_int_equal(l.cfg->alerts.flapping, 0);
    assert_int_equal(l.cfg->alerts.routes_given, 1);
    assert_int_equal(l.cfg->alerts.route_count, 0);
    assert_int_equal(l.cfg->alerts.repeat_ms, 0);
    unload(&l);
}

static void test_retired_flapping_keys_are_ignored(void **state)
{
    (void)state;
    loaded l;
    /* The share-of-changes keys of older configs: a warning, not an
     * error; the method's own keys keep their defaults. */
    load(&l, NULL, "  flapping: {window: 12, start_pct: 30, stop_pct: 25}\n");
    assert_non_null(l.cfg);
    assert_int_equal(l.cfg->alerts.flapping, 1);
    assert_int_equal(l.cfg->alerts.flap_window, 12);
    assert_int_equal(l.cfg->alerts.flap_settle, 3);
    unload(&l);
}

static void expect_error(const char *alerts, const char *expected)
{
    loaded l;
    load(&l, NULL, alerts);
    assert_string_equal(error_of(&l), expected);
    unload(&l);
}

static void test_errors_name_the_place(void **state)
{
    (void)state;
    expect_error("  open_afer: 2\n",
                 "DIR/m.yaml:10:3: unknown key 'open_afer' in alerts (did "
                 "you mean 'open_after'?)");
    expect_error("  open_after: 0\n",
                 "DIR/m.yaml:10:15: alerts: 'open_after' must be between 1 "
                 "and 100000, got 0");
    expect_error("  routes:\n    - {channel: ops_hok}\n",
                 "DIR/m.yaml:11:17: alerts.routes[1]: 'channel': no reporter "
                 "named 'ops_hok' (did you mean 'ops_hook'?)");
    expect_error("  routes:\n    - {channel: mail, checks: [ordres]}\n",
                 "DIR/m.yaml:11:32: alerts.routes[1]: 'checks': no check "
                 "named 'ordres' (did you mean 'orders'?)");
    expect_error("  routes:\n    - {min_severity: high}\n",
                 "DIR/m.yaml:11:7: alerts.routes[1]: missing required key "
                 "'channel' (a reporter's name)");
    expect_error("  routes:\n    - {channel: mail, min_severity: urgent}\n",
                 "DIR/m.yaml:11:37: alerts.routes[1]: 'min_severity' must be "
                 "one of info, low, medium, high, critical, got 'urgent'");
    expect_error("  flapping: {settle: 1}\n",
                 "DIR/m.yaml:10:22: alerts.flapping: 'settle' must be "
                 "between 2 and 63, got 1");
    expect_error("  severity_from_status: {FAIL: declared+1}\n",
                 "DIR/m.yaml:10:32: alerts.severity_from_status: 'FAIL' "
                 "expected 'declared' or 'declared-1' to 'declared-4', got "
                 "'declared+1'");
    expect_error("  severity_from_status: {WARNING: urgent}\n",
                 "DIR/m.yaml:10:35: alerts.severity_from_status: 'WARNING' "
                 "must be one of info, low, medium, high, critical, got "
                 "'urgent'");
    expect_error("  severity_from_status: {FALI: high}\n",
                 "DIR/m.yaml:10:26: unknown key 'FALI' in "
                 "alerts.severity_from_status (did you mean 'FAIL'?)");
    expect_error("  levels:\n    - {after: 1h, min_severity: high}\n",
                 "DIR/m.yaml:11:7: alerts.levels[1]: a level must set "
                 "'channels', 'repeat_interval' or both");
    expect_error("  escalate: {}\n",
                 "DIR/m.yaml:10:13: alerts.escalate: set 'after_runs', "
                 "'after' or both");
    expect_error("  repeat_interval: 10ms\n",
                 "DIR/m.yaml:10:20: alerts: 'repeat_interval' must be 0 "
                 "(never) or at least 1s, got '10ms'");
}

static void test_lifecycle_keys_need_history(void **state)
{
    (void)state;
    loaded l;
    load(&l,
         "monitor: shop\n"
         "reporters: [{name: mail, plugin: email}]\n"
         "alerts:\n"
         "  routes: [{channel: mail}]\n"
         "  open_after: 3\n",
         "");
    assert_string_equal(error_of(&l),
                        "DIR/m.yaml:5:3: alerts: 'open_after' needs a "
                        "'history' section: the alert lifecycle is kept in "
                        "the history store");
    unload(&l);
    /* Routes and the severity mapping alone are fine. */
    load(&l,
         "monitor: shop\n"
         "reporters: [{name: mail, plugin: email}]\n"
         "alerts:\n"
         "  routes: [{channel: mail}]\n"
         "  severity_from_status: {WARNING: declared}\n",
         "");
    assert_non_null(l.cfg);
    expect_severities(&l.cfg->alerts, NBAQ_SEV_LOW, "low low low info");
    unload(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_without_section),
        cmocka_unit_test(test_full_section),
        cmocka_unit_test(test_flapping_false_and_empty_routes),
        cmocka_unit_test(test_errors_name_the_place),
        cmocka_unit_test(test_lifecycle_keys_need_history),
        cmocka_unit_test(test_retired_flapping_keys_are_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
