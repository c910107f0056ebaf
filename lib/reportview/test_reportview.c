/* Unit tests of lib/reportview: ordering, alert grouping, trend arrows,
 * "since when" and recommendation kinds, on runs built by hand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "recommend.h"
#include "reportview.h"

#define DAY_MS 86400000LL
#define T0 1777874400000LL /* 2026-05-04T06:00:00Z */

static nbaq_metric metric(const char *name, double value, const char *unit,
                          nbaq_status status)
{
    nbaq_metric m = {0};
    m.name = name;
    m.value = value;
    m.unit = unit;
    m.status = status;
    m.reason = "";
    m.change_pct = NAN;
    m.previous_window_mean = NAN;
    return m;
}

static nbaq_check_result check(const char *name, nbaq_status status,
                               nbaq_severity severity)
{
    nbaq_check_result c = {0};
    c.name = name;
    c.plugin = "p";
    c.status = status;
    c.severity = severity;
    c.message = "msg";
    c.started_ms = T0;
    return c;
}

static nbaq_alert alert(const char *check, const char *metric,
                        nbaq_severity severity, nbaq_alert_state state)
{
    nbaq_alert a = {0};
    a.check = check;
    a.metric = metric;
    a.severity = severity;
    a.state = state;
    return a;
}

static void test_worst_first(void **state)
{
    (void)state;
    nbaq_check_result a = check("a", NBAQ_PASS, NBAQ_SEV_HIGH);
    nbaq_check_result b = check("b", NBAQ_FAIL, NBAQ_SEV_LOW);
    nbaq_check_result c = check("c", NBAQ_UNKNOWN, NBAQ_SEV_LOW);
    nbaq_check_result d = check("d", NBAQ_FAIL, NBAQ_SEV_HIGH);
    nbaq_check_result e = check("e", NBAQ_ERROR, NBAQ_SEV_INFO);
    const nbaq_check_result *checks[] = {&a, &b, &c, &d, &e};
    nbaq_run run = {.checks = checks, .check_count = 5};
    const nbaq_check_result **sorted = reportview_checks_worst_first(&run);
    assert_non_null(sorted);
    /* ERROR > UNKNOWN > FAIL (HIGH before LOW) > PASS */
    assert_string_equal(sorted[0]->name, "e");
    assert_string_equal(sorted[1]->name, "c");
    assert_string_equal(sorted[2]->name, "d");
    assert_string_equal(sorted[3]->name, "b");
    assert_string_equal(sorted[4]->name, "a");
    free(sorted);
}

static void test_alerts_grouped(void **state)
{
    (void)state;
    nbaq_alert low = alert("x", "", NBAQ_SEV_LOW, NBAQ_ALERT_FIRING);
    nbaq_alert gone = alert("y", "m", NBAQ_SEV_CRITICAL, NBAQ_ALERT_RESOLVED);
    nbaq_alert crit = alert("z", "m", NBAQ_SEV_CRITICAL, NBAQ_ALERT_SILENCED);
    nbaq_alert low2 = alert("w", "", NBAQ_SEV_LOW, NBAQ_ALERT_NEW);
    const nbaq_alert *alerts[] = {&low, &gone, &crit, &low2};
    nbaq_run run = {.alerts = alerts, .alert_count = 4};
    reportview_alerts v;
    assert_int_equal(reportview_alerts_init(&v, &run), 0);
    assert_int_equal(v.open_count, 3);
    assert_int_equal(v.resolved_count, 1);
    assert_ptr_equal(v.open[0], &crit);
    assert_ptr_equal(v.open[1], &low);
    assert_ptr_equal(v.open[2], &low2);
    assert_int_equal(v.by_severity[NBAQ_SEV_LOW], 2);
    size_t n;
    const nbaq_alert *const *group =
        reportview_alerts_group(&v, NBAQ_SEV_LOW, &n);
    assert_int_equal(n, 2);
    assert_ptr_equal(group[0], &low);
    assert_ptr_equal(group[1], &low2);
    group = reportview_alerts_group(&v, NBAQ_SEV_CRITICAL, &n);
    assert_int_equal(n, 1);
    assert_ptr_equal(group[0], &crit);
    reportview_alerts_group(&v, NBAQ_SEV_MEDIUM, &n);
    assert_int_equal(n, 0);
    assert_ptr_equal(reportview_alert_for(&run, "z", "m"), &crit);
    assert_null(reportview_alert_for(&run, "y", "m")); /* resolved */
    assert_ptr_equal(reportview_alert_for(&run, "x", NULL), &low);
    reportview_alerts_free(&v);
}

static void test_trend_arrow(void **state)
{
    (void)state;
    nbaq_metric m = metric("m", 5, "", NBAQ_PASS);
    assert_string_equal(reportview_trend_arrow(&m), "\u00b7");
    m.has_previous = 1;
    m.previous = 7;
    m.trend = NBAQ_TREND_WORSENING;
    assert_string_equal(reportview_trend_arrow(&m), "\u2193");
    m.previous = 5; /* no change: falls back to the window mean */
    m.previous_window_mean = 4;
    assert_string_equal(reportview_trend_arrow(&m), "\u2191");
    m.trend = NBAQ_TREND_STABLE;
    assert_string_equal(reportview_trend_arrow(&m), "\u2192");
}

static void test_time(void **state)
{
    (void)state;
    char buf[REPORTVIEW_TIME_SIZE];
    assert_string_equal(reportview_time(T0 + 999, buf, sizeof(buf)),
                        "2026-05-04 06:00:00 UTC");
    assert_string_equal(reportview_date(T0, buf, sizeof(buf)), "2026-05-04");
    assert_string_equal(reportview_clock(T0, buf, sizeof(buf)), "06:00:00 UTC");
}

static void test_alert_texts(void **state)
{
    (void)state;
    nbaq_alert a = alert("c", "m", NBAQ_SEV_HIGH, NBAQ_ALERT_SILENCED);
    a.started_ms = T0 - DAY_MS;
    a.failing_runs = 1;
    a.silenced_until_ms = T0 + DAY_MS + 500;
    textbuf b;
    textbuf_init(&b);
    reportview_alert_since(&b, &a);
    a.state = NBAQ_ALERT_RESOLVED;
    a.ended_ms = T0;
    reportview_alert_span(&b, &a);
    assert_false(textbuf_failed(&b));
    assert_string_equal(b.data, " (since 2026-05-03 06:00:00 UTC, 1 failing "
                                "run; silenced until 2026-05-05 06:00:00 UTC)"
                                " (open from 2026-05-03 06:00:00 UTC to "
                                "2026-05-04 06:00:00 UTC)");
    textbuf_free(&b);
}

static void count_item(void *state, const nbaq_check_result *c,
                       const nbaq_metric *m)
{
    (void)c;
    textbuf_puts(state, m->name);
}

/* Metrics in the order of the checks given, filtered, at most limit. */
static void test_each_metric(void **state)
{
    (void)state;
    nbaq_metric a = metric("a", 1, "", NBAQ_PASS);
    nbaq_metric b = metric("b", 2, "", NBAQ_PASS);
    nbaq_metric c = metric("c", 3, "", NBAQ_PASS);
    b.stats.count = 4;
    c.stats.count = 2;
    const nbaq_metric *first[] = {&a, &b};
    const nbaq_metric *second[] = {&c};
    nbaq_check_result one = check("one", NBAQ_PASS, NBAQ_SEV_LOW);
    nbaq_check_result two = check("two", NBAQ_FAIL, NBAQ_SEV_LOW);
    one.metrics = first;
    one.metric_count = 2;
    two.metrics = second;
    two.metric_count = 1;
    const nbaq_check_result *checks[] = {&one, &two};
    const nbaq_check_result *worst[] = {&two, &one};
    nbaq_run run = {.checks = checks, .check_count = 2};
    assert_int_equal(reportview_metric_total(&run), 3);
    textbuf names;
    textbuf_init(&names);
    assert_int_equal(
        reportview_each_metric(&run, worst, NULL, count_item, &names, 2), 3);
    assert_int_equal(reportview_each_metric(&run, checks, reportview_has_stats,
                                            count_item, &names, 5),
                     2);
    assert_false(textbuf_failed(&names));
    assert_string_equal(names.data, "cabc");
    textbuf_free(&names);
}

/* One check with a stale age, a worsening NULL rate, an anomalous count
 * and a PASS metric that needs nothing. */
static void test_recommendations(void **state)
{
    (void)state;
    nbaq_metric age = metric("newest_age_seconds", 7200, "s", NBAQ_FAIL);
    age.reason = "7200 > fail_above 3600";
    nbaq_point rising[] = {{T0 - 3 * DAY_MS, 0.01},
                           {T0 - 2 * DAY_MS, 0.02},
                           {T0 - DAY_MS, 0.03},
                           {T0, 0.05}};
    nbaq_metric nulls = metric("email.null_rate", 0.05, "", NBAQ_WARNING);
    nulls.trend = NBAQ_TREND_WORSENING;
    nulls.history = rising;
    nulls.history_count = 4;
    nbaq_metric count = metric("usage_count", 2, "files", NBAQ_WARNING);
    count.anomalous = 1;
    nbaq_metric fine = metric("rows", 10, "", NBAQ_PASS);
    const nbaq_metric *metrics[] = {&nulls, &count, &fine, &age};
    nbaq_check_result c = check("landing", NBAQ_FAIL, NBAQ_SEV_HIGH);
    c.metrics = metrics;
    c.metric_count = 4;
    nbaq_check_result broken = check("broken", NBAQ_ERROR, NBAQ_SEV_LOW);
    broken.message = "connection refused";
    nbaq_alert open = alert("broken", "", NBAQ_SEV_INFO, NBAQ_ALERT_FIRING);
    open.started_ms = T0 - 2 * DAY_MS;
    open.failing_runs = 3;
    const nbaq_alert *alerts[] = {&open};
    const nbaq_check_result *checks[] = {&broken, &c};
    nbaq_run run = {
        .checks = checks, .check_count = 2, .alerts = alerts, .alert_count = 1};
    recommendation_list list;
    assert_int_equal(recommend_build(&list, &run, checks, 10), 0);
    assert_int_equal(list.count, 4);
    assert_int_equal(list.items[0].kind, REC_CHECK_ERROR);
    assert_non_null(strstr(list.items[0].what, "connection refused"));
    assert_string_equal(list.items[0].since,
                        "alert open since 2026-05-02 06:00:00 UTC "
                        "(3 failing runs)");
    assert_non_null(strstr(list.items[0].look, "--only broken"));
    /* FAIL before WARNING; "usage" is not the word "age". */
    assert_int_equal(list.items[1].kind, REC_STALE);
    assert_ptr_equal(list.items[1].metric, &age);
    assert_string_equal(list.items[1].since,
                        "no new data since about 2026-05-04 04:00:00 UTC");
    assert_non_null(strstr(list.items[1].what, "(2h)"));
    assert_int_equal(list.items[2].kind, REC_NULL_RATE);
    assert_string_equal(list.items[2].title, "Worsening NULL rate");
    assert_string_equal(list.items[2].since,
                        "rising since 2026-05-01 06:00:00 UTC "
                        "(0.01 to 0.05 over 4 runs)");
    assert_int_equal(list.items[3].kind, REC_ANOMALY);
    recommend_free(&list);

    assert_int_equal(recommend_build(&list, &run, checks, 2), 0);
    assert_int_equal(list.count, 2);
    assert_int_equal(list.omitted, 2);
    recommend_free(&list);
}

/* A constant series gets 10% of its value either side (never below 0
 * when it is not negative); all zeros 0..1; a real range stays. */
static void test_axis_range(void **state)
{
    (void)state;
    double cases[][4] = {{0, 0, 0, 1},
                         {70, 70, 63, 77},
                         {-5, -5, -5.5, -4.5},
                         {0.5, 0.5, 0.45, 0.55},
                         {2, 26, 2, 26}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lo = cases[i][0], hi = cases[i][1];
        reportview_axis_range(&lo, &hi);
        assert_float_equal(lo, cases[i][2], 1e-9);
        assert_float_equal(hi, cases[i][3], 1e-9);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worst_first),
        cmocka_unit_test(test_alerts_grouped),
        cmocka_unit_test(test_trend_arrow),
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_alert_texts),
        cmocka_unit_test(test_each_metric),
        cmocka_unit_test(test_recommendations),
        cmocka_unit_test(test_axis_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
