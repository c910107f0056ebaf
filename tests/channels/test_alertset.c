/* Selection and grouping of the alerts a channel sends, and the formats
 * every channel prints them with. Expected values worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alert_format.h"
#include "alertset.h"

static nbaq_alert make_alert(const char *fingerprint, nbaq_severity severity,
                             int notify)
{
    nbaq_alert a = {0};
    a.fingerprint = fingerprint;
    a.check = "c";
    a.metric = "";
    a.summary = "s";
    a.severity = severity;
    a.notify = notify;
    return a;
}

static nbaq_run make_run(const nbaq_alert *const *alerts, size_t count)
{
    nbaq_run run = {0};
    run.struct_size = sizeof(run);
    run.monitor = "m";
    run.run_id = "r";
    run.alerts = alerts;
    run.alert_count = count;
    return run;
}

static void groups_by_severity_most_severe_first(void **state)
{
    (void)state;
    nbaq_alert a[] = {
        make_alert("m1", NBAQ_SEV_MEDIUM, 1),
        make_alert("c1", NBAQ_SEV_CRITICAL, 1),
        make_alert("h-skip", NBAQ_SEV_HIGH, 0),
        make_alert("m2", NBAQ_SEV_MEDIUM, 1),
        make_alert("i1", NBAQ_SEV_INFO, 1),
        make_alert("c2", NBAQ_SEV_CRITICAL, 1),
    };
    a[3].state = NBAQ_ALERT_RESOLVED;
    const nbaq_alert *ptrs[] = {&a[0], &a[1], &a[2], &a[3], &a[4], &a[5]};
    nbaq_run run = make_run(ptrs, 6);
    alertset set;
    char err[128];
    assert_int_equal(alertset_init(&set, &run, err, sizeof(err)), 0);
    assert_int_equal(set.count, 5);
    const char *order[] = {"c1", "c2", "m1", "m2", "i1"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(set.alerts[i]->fingerprint, order[i]);
    assert_int_equal(set.by_severity[NBAQ_SEV_CRITICAL], 2);
    assert_int_equal(set.by_severity[NBAQ_SEV_HIGH], 0);
    assert_int_equal(set.by_severity[NBAQ_SEV_MEDIUM], 2);
    assert_int_equal(set.by_severity[NBAQ_SEV_INFO], 1);
    assert_int_equal(set.resolved, 1);
    assert_int_equal(alertset_worst(&set), NBAQ_SEV_CRITICAL);
    char text[ALERTSET_DESCRIBE_SIZE];
    alertset_describe(&set, text, sizeof(text));
    /* m2 is resolved: the four open ones first, then it. */
    assert_string_equal(text, "4 alerts (2 critical, 1 medium, 1 info), "
                              "1 resolved (medium)");
    assert_int_equal(alertset_worst_firing(&set), NBAQ_SEV_CRITICAL);
    assert_false(alertset_resolved_only(&set));

    size_t n;
    const nbaq_alert *const *medium = alertset_group(&set, NBAQ_SEV_MEDIUM, &n);
    assert_int_equal(n, 2);
    assert_string_equal(medium[0]->fingerprint, "m1");
    assert_string_equal(medium[1]->fingerprint, "m2");
    alertset_group(&set, NBAQ_SEV_HIGH, &n);
    assert_int_equal(n, 0);
    alertset_free(&set);
}

static void nothing_to_notify_is_an_empty_set(void **state)
{
    (void)state;
    nbaq_alert a = make_alert("x", NBAQ_SEV_HIGH, 0);
    const nbaq_alert *ptrs[] = {&a};
    nbaq_run run = make_run(ptrs, 1);
    alertset set;
    char err[128];
    assert_int_equal(alertset_init(&set, &run, err, sizeof(err)), 0);
    assert_int_equal(set.count, 0);
    alertset_free(&set);

    nbaq_run none = make_run(NULL, 0);
    assert_int_equal(alertset_init(&set, &none, err, sizeof(err)), 0);
    assert_int_equal(set.count, 0);
    char text[ALERTSET_DESCRIBE_SIZE];
    alertset_describe(&set, text, sizeof(text));
    assert_string_equal(text, "no alerts");
    size_t n = 9;
    alertset_group(&set, NBAQ_SEV_CRITICAL, &n);
    assert_int_equal(n, 0);
    alertset_free(&set);
}

static void out_of_range_severity_is_skipped(void **state)
{
    (void)state;
    nbaq_alert a[] = {make_alert("bad", (nbaq_severity)9, 1),
                      make_alert("ok", NBAQ_SEV_LOW, 1)};
    const nbaq_alert *ptrs[] = {&a[0], NULL, &a[1]};
    nbaq_run run = make_run(ptrs, 3);
    alertset set;
    char err[128];
    assert_int_equal(alertset_init(&set, &run, err, sizeof(err)), 0);
    assert_int_equal(set.count, 1);
    assert_string_equal(set.alerts[0]->fingerprint, "ok");
    assert_int_equal(alertset_worst(&set), NBAQ_SEV_LOW);
    char text[ALERTSET_DESCRIBE_SIZE];
    alertset_describe(&set, text, sizeof(text));
    assert_string_equal(text, "1 alert (low)");
    alertset_free(&set);
}

static void resolved_only_says_so(void **state)
{
    (void)state;
    nbaq_alert a[] = {make_alert("h", NBAQ_SEV_HIGH, 1),
                      make_alert("c", NBAQ_SEV_CRITICAL, 1)};
    a[0].state = a[1].state = NBAQ_ALERT_RESOLVED;
    const nbaq_alert *ptrs[] = {&a[0], &a[1]};
    nbaq_run run = make_run(ptrs, 2);
    alertset set;
    char err[128], text[ALERTSET_DESCRIBE_SIZE];
    assert_int_equal(alertset_init(&set, &run, err, sizeof(err)), 0);
    assert_true(alertset_resolved_only(&set));
    alertset_describe(&set, text, sizeof(text));
    assert_string_equal(text, "2 alerts resolved (1 critical, 1 high)");
    alertset_free(&set);
    /* One of them: its severity alone. */
    run.alert_count = 1;
    assert_int_equal(alertset_init(&set, &run, err, sizeof(err)), 0);
    alertset_describe(&set, text, sizeof(text));
    assert_string_equal(text, "1 alert resolved (high)");
    alertset_free(&set);
}

static void times(void **state)
{
    (void)state;
    char buf[64];
    /* 2024-05-01 is day 19844 since 1970: 19844 * 86400 = 1714521600. */
    alert_format_rfc5322(1714564800250LL, buf, sizeof(buf));
    assert_string_equal(buf, "Wed, 01 May 2024 12:00:00 +0000");
    alert_format_rfc5322(-1, buf, sizeof(buf));
    assert_string_equal(buf, "Wed, 31 Dec 1969 23:59:59 +0000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(groups_by_severity_most_severe_first),
        cmocka_unit_test(nothing_to_notify_is_an_empty_set),
        cmocka_unit_test(out_of_range_severity_is_skipped),
        cmocka_unit_test(resolved_only_says_so),
        cmocka_unit_test(times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
