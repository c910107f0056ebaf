/* Thresholds: bounds, the rule a metric gets, statuses and messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>

#include "evaluate.h"
#include "status.h"
#include "unit_support.h"

static arena mem;

static int cleanup(void **state)
{
    (void)state;
    arena_free(&mem);
    return 0;
}

static metric_rule bounds(double warn_below, double fail_below,
                          double warn_above, double fail_above)
{
    metric_rule r = {0};
    r.pattern = "m";
    if (!isnan(warn_below))
        r.warn_below = (rule_bound){1, warn_below};
    if (!isnan(fail_below))
        r.fail_below = (rule_bound){1, fail_below};
    if (!isnan(warn_above))
        r.warn_above = (rule_bound){1, warn_above};
    if (!isnan(fail_above))
        r.fail_above = (rule_bound){1, fail_above};
    return r;
}

static nbaq_metric eval(const metric_rule *rule, const char *name, double value)
{
    nbaq_metric m = {0};
    m.name = name;
    m.value = value;
    m.unit = "";
    evaluate_metric(&mem, rule, NULL, 0, &m);
    return m;
}

static void test_bounds(void **state)
{
    (void)state;
    metric_rule r = bounds(100, 10, 1e6, 2e6);
    nbaq_metric m = eval(&r, "objects", 5);
    assert_int_equal(m.status, NBAQ_FAIL);
    assert_string_equal(m.reason, "objects=5 below fail_below 10");
    m = eval(&r, "objects", 10); /* bounds are strict */
    assert_int_equal(m.status, NBAQ_WARNING);
    assert_string_equal(m.reason, "objects=10 below warn_below 100");
    m = eval(&r, "objects", 100);
    assert_int_equal(m.status, NBAQ_PASS);
    assert_string_equal(m.reason, "");
    m = eval(&r, "objects", 1e6);
    assert_int_equal(m.status, NBAQ_PASS);
    m = eval(&r, "objects", 1000001);
    assert_int_equal(m.status, NBAQ_WARNING);
    assert_string_equal(m.reason, "objects=1000001 above warn_above 1000000");
    m = eval(&r, "objects", 2500000.5);
    assert_int_equal(m.status, NBAQ_FAIL);
    assert_string_equal(m.reason, "objects=2500000.5 above fail_above 2000000");
    m = eval(NULL, "objects", -1e300);
    assert_int_equal(m.status, NBAQ_PASS);
}

static void test_only_some_bounds(void **state)
{
    (void)state;
    metric_rule r = bounds(NAN, NAN, 0.5, NAN);
    assert_int_equal(eval(&r, "ratio", 0.75).status, NBAQ_WARNING);
    assert_int_equal(eval(&r, "ratio", -100).status, NBAQ_PASS);
    r = bounds(NAN, 0, NAN, NAN);
    nbaq_metric m = eval(&r, "free", -0.25);
    assert_int_equal(m.status, NBAQ_FAIL);
    assert_string_equal(m.reason, "free=-0.25 below fail_below 0");
}

static void test_not_finite(void **state)
{
    (void)state;
    metric_rule r = bounds(NAN, NAN, 1, 2);
    nbaq_metric m = eval(&r, "x", NAN);
    assert_int_equal(m.status, NBAQ_UNKNOWN);
    assert_string_equal(m.reason, "not a finite number");
    m = eval(NULL, "x", INFINITY);
    assert_int_equal(m.status, NBAQ_UNKNOWN);
    m = eval(&r, "x", -INFINITY);
    assert_int_equal(m.status, NBAQ_UNKNOWN);
}

static void test_rule_lookup(void **state)
{
    (void)state;
    metric_rule rules[4] = {0};
    rules[0].pattern = "objects.*";
    rules[1].pattern = "objects.count";
    rules[2].pattern = "obj?cts.size";
    rules[3].pattern = "[ab]*";
    /* An exact name wins over a glob written earlier. */
    assert_ptr_equal(evaluate_find_rule(rules, 4, "objects.count"), &rules[1]);
    /* Among globs, the first in config order. */
    assert_ptr_equal(evaluate_find_rule(rules, 4, "objects.size"), &rules[0]);
    assert_ptr_equal(evaluate_find_rule(rules, 4, "abc"), &rules[3]);
    assert_null(evaluate_find_rule(rules, 4, "rows"));
    assert_null(evaluate_find_rule(rules, 0, "rows"));
    /* A pattern without glob characters matches its name only. */
    metric_rule plain = {.pattern = "rows"};
    assert_null(evaluate_find_rule(&plain, 1, "rows2"));
}

static void test_worst_order(void **state)
{
    (void)state;
    assert_int_equal(status_worst(NBAQ_PASS, NBAQ_WARNING), NBAQ_WARNING);
    assert_int_equal(status_worst(NBAQ_FAIL, NBAQ_WARNING), NBAQ_FAIL);
    assert_int_equal(status_worst(NBAQ_FAIL, NBAQ_UNKNOWN), NBAQ_UNKNOWN);
    assert_int_equal(status_worst(NBAQ_ERROR, NBAQ_UNKNOWN), NBAQ_ERROR);
    assert_int_equal(status_worst(NBAQ_UNKNOWN, NBAQ_ERROR), NBAQ_ERROR);
    assert_int_equal(status_worst(NBAQ_ERROR, NBAQ_FAIL), NBAQ_ERROR);
    assert_int_equal(status_worst(NBAQ_PASS, NBAQ_PASS), NBAQ_PASS);
    assert_string_equal(status_name(NBAQ_UNKNOWN), "UNKNOWN");
}

static void test_check_status(void **state)
{
    (void)state;
    nbaq_metric a = {.name = "a", .status = NBAQ_PASS, .reason = ""};
    nbaq_metric b = {
        .name = "b", .status = NBAQ_FAIL, .reason = "b=1 above fail_above 0"};
    nbaq_metric c = {.name = "c",
                     .status = NBAQ_WARNING,
                     .reason = "c=5 below warn_below 6"};
    const nbaq_metric *metrics[] = {&a, &b, &c};
    nbaq_status status;
    const char *message;
    evaluate_check_status(&mem, NBAQ_PASS, "3 files", metrics, 3, &status,
                          &message);
    assert_int_equal(status, NBAQ_FAIL);
    assert_string_equal(message, "3 files; b=1 above fail_above 0; c=5 below "
                                 "warn_below 6");
    /* The plugin's own status counts too, even when metrics pass. */
    evaluate_check_status(&mem, NBAQ_WARNING, "slow", metrics, 1, &status,
                          &message);
    assert_int_equal(status, NBAQ_WARNING);
    assert_string_equal(message, "slow");
    /* An empty plugin message: just the reasons. */
    evaluate_check_status(&mem, NBAQ_PASS, "", metrics + 2, 1, &status,
                          &message);
    assert_string_equal(message, "c=5 below warn_below 6");
    nbaq_metric n = {
        .name = "n", .status = NBAQ_UNKNOWN, .reason = "not a finite number"};
    const nbaq_metric *with_nan[] = {&b, &n};
    evaluate_check_status(&mem, NBAQ_PASS, "ok", with_nan, 2, &status,
                          &message);
    assert_int_equal(status, NBAQ_UNKNOWN);
    assert_string_equal(message, "ok; b=1 above fail_above 0; n: not a "
                                 "finite number");
    evaluate_check_status(&mem, NBAQ_ERROR, "boom", with_nan, 2, &status,
                          &message);
    assert_int_equal(status, NBAQ_ERROR);
}

#define T(f) cmocka_unit_test_teardown(f, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_bounds),      T(test_only_some_bounds), T(test_not_finite),
        T(test_rule_lookup), T(test_worst_order),      T(test_check_status),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
