/* Unit tests of reportfmt: expected strings worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "reportfmt.h"

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(reportfmt_status_name(NBAQ_PASS), "PASS");
    assert_string_equal(reportfmt_status_name(NBAQ_WARNING), "WARNING");
    assert_string_equal(reportfmt_status_name(NBAQ_FAIL), "FAIL");
    assert_string_equal(reportfmt_status_name(NBAQ_ERROR), "ERROR");
    assert_string_equal(reportfmt_status_name(NBAQ_UNKNOWN), "UNKNOWN");
    assert_string_equal(reportfmt_status_name((nbaq_status)99), "UNKNOWN");
    assert_string_equal(reportfmt_status_tag(NBAQ_WARNING), "WARN");
    assert_string_equal(reportfmt_status_tag(NBAQ_ERROR), "ERROR");
    assert_string_equal(reportfmt_severity_name(NBAQ_SEV_INFO), "INFO");
    assert_string_equal(reportfmt_severity_name(NBAQ_SEV_CRITICAL), "CRITICAL");
    assert_string_equal(reportfmt_severity_name((nbaq_severity)-1), "UNKNOWN");
    /* Moved here from tests/channels/test_alertset.c with the names. */
    assert_string_equal(reportfmt_severity_label(NBAQ_SEV_CRITICAL),
                        "critical");
    assert_string_equal(reportfmt_severity_label(NBAQ_SEV_INFO), "info");
    assert_string_equal(reportfmt_severity_label((nbaq_severity)7), "unknown");
    assert_string_equal(reportfmt_severity_title(NBAQ_SEV_HIGH), "High");
    assert_string_equal(reportfmt_severity_title((nbaq_severity)-1), "Unknown");
    assert_string_equal(reportfmt_severity_title(NBAQ_SEV_CRITICAL),
                        "Critical");
    assert_string_equal(reportfmt_severity_title(NBAQ_SEV_INFO), "Info");
    assert_string_equal(reportfmt_trend_name(NBAQ_TREND_UNKNOWN), "unknown");
    assert_string_equal(reportfmt_trend_name(NBAQ_TREND_WORSENING),
                        "worsening");
    assert_string_equal(reportfmt_trend_name(NBAQ_TREND_DOWN), "down");
    assert_string_equal(reportfmt_judgement_name(NBAQ_JUDGEMENT_LEARNING),
                        "learning");
    assert_string_equal(reportfmt_judgement_name(NBAQ_JUDGEMENT_OPEN), "open");
    assert_string_equal(reportfmt_judgement_name((nbaq_judgement)9), "none");
    assert_string_equal(reportfmt_alert_state_name(NBAQ_ALERT_NEW), "new");
    assert_string_equal(reportfmt_alert_state_name(NBAQ_ALERT_FLAPPING),
                        "flapping");
    assert_string_equal(reportfmt_alert_state_name((nbaq_alert_state)6),
                        "unknown");
}

/* The order of nbaq.h: ERROR and UNKNOWN rank above FAIL. */
static void test_status_rank(void **state)
{
    (void)state;
    assert_int_equal(reportfmt_status_rank(NBAQ_PASS), 0);
    assert_int_equal(reportfmt_status_rank(NBAQ_WARNING), 1);
    assert_int_equal(reportfmt_status_rank(NBAQ_FAIL), 2);
    assert_int_equal(reportfmt_status_rank(NBAQ_UNKNOWN), 3);
    assert_int_equal(reportfmt_status_rank(NBAQ_ERROR), 4);
    assert_int_equal(reportfmt_status_rank((nbaq_status)99), 4);
    assert_int_equal(reportfmt_status_rank((nbaq_status)-1), 4);
}

static void test_iso8601(void **state)
{
    char buf[REPORTFMT_TIME_SIZE];
    (void)state;
    assert_string_equal(reportfmt_iso8601_utc(0, buf, sizeof buf),
                        "1970-01-01T00:00:00.000Z");
    /* 1700000000 s is 2023-11-14 22:13:20 UTC. */
    assert_string_equal(reportfmt_iso8601_utc(1700000000123, buf, sizeof buf),
                        "2023-11-14T22:13:20.123Z");
    assert_string_equal(reportfmt_iso8601_utc(-1, buf, sizeof buf),
                        "1969-12-31T23:59:59.999Z");
    /* 2024-02-29 00:00:00 UTC = 19782 days * 86400 s. */
    assert_string_equal(
        reportfmt_iso8601_utc(19782LL * 86400 * 1000 + 7, buf, sizeof buf),
        "2024-02-29T00:00:00.007Z");
    char small[8];
    reportfmt_iso8601_utc(0, small, sizeof small);
    assert_string_equal(small, "1970-01");
}

static void test_duration(void **state)
{
    char buf[REPORTFMT_TIME_SIZE];
    (void)state;
    assert_string_equal(reportfmt_duration(0, buf, sizeof buf), "0ms");
    assert_string_equal(reportfmt_duration(850, buf, sizeof buf), "850ms");
    assert_string_equal(reportfmt_duration(1250, buf, sizeof buf), "1.25s");
    assert_string_equal(reportfmt_duration(59900, buf, sizeof buf), "59.9s");
    assert_string_equal(reportfmt_duration(125000, buf, sizeof buf), "2m05s");
    assert_string_equal(reportfmt_duration(120000, buf, sizeof buf), "2m");
    assert_string_equal(
        reportfmt_duration(3 * 3600000 + 7 * 60000, buf, sizeof buf), "3h07m");
    assert_string_equal(reportfmt_duration(7LL * 86400000, buf, sizeof buf),
                        "7d");
    assert_string_equal(
        reportfmt_duration(2LL * 86400000 + 4 * 3600000, buf, sizeof buf),
        "2d04h");
    assert_string_equal(reportfmt_duration(-1500, buf, sizeof buf), "-1.5s");
    reportfmt_duration(INT64_MIN, buf, sizeof buf);
    assert_true(buf[0] == '-');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_status_rank),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
