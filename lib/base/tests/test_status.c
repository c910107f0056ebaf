/* Unit tests of base's names (status.h): the one set of the host and the
 * reporters. Expected strings are written out by hand from nbaq.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "status.h"

/* Was reportfmt's test of its names (lib/reportfmt/test_reportfmt.c). */
static void test_report_names(void **state)
{
    (void)state;
    assert_string_equal(status_name(NBAQ_PASS), "PASS");
    assert_string_equal(status_name(NBAQ_WARNING), "WARNING");
    assert_string_equal(status_name(NBAQ_FAIL), "FAIL");
    assert_string_equal(status_name(NBAQ_ERROR), "ERROR");
    assert_string_equal(status_name(NBAQ_UNKNOWN), "UNKNOWN");
    assert_string_equal(status_name((nbaq_status)99), "UNKNOWN");
    assert_string_equal(status_tag(NBAQ_WARNING), "WARN");
    assert_string_equal(status_tag(NBAQ_ERROR), "ERROR");
    assert_string_equal(severity_name(NBAQ_SEV_INFO), "INFO");
    assert_string_equal(severity_name(NBAQ_SEV_CRITICAL), "CRITICAL");
    assert_string_equal(severity_name((nbaq_severity)-1), "UNKNOWN");
    /* Moved here from tests/channels/test_alertset.c with the names. */
    assert_string_equal(severity_label(NBAQ_SEV_CRITICAL), "critical");
    assert_string_equal(severity_label(NBAQ_SEV_INFO), "info");
    assert_string_equal(severity_label((nbaq_severity)7), "unknown");
    assert_string_equal(severity_title(NBAQ_SEV_HIGH), "High");
    assert_string_equal(severity_title((nbaq_severity)-1), "Unknown");
    assert_string_equal(severity_title(NBAQ_SEV_CRITICAL), "Critical");
    assert_string_equal(severity_title(NBAQ_SEV_INFO), "Info");
    assert_string_equal(trend_name(NBAQ_TREND_UNKNOWN), "unknown");
    assert_string_equal(trend_name(NBAQ_TREND_WORSENING), "worsening");
    assert_string_equal(trend_name(NBAQ_TREND_DOWN), "down");
    assert_string_equal(judgement_name(NBAQ_JUDGEMENT_LEARNING), "learning");
    assert_string_equal(judgement_name(NBAQ_JUDGEMENT_OPEN), "open");
    assert_string_equal(judgement_name((nbaq_judgement)9), "none");
    assert_string_equal(alert_state_label(NBAQ_ALERT_NEW), "new");
    assert_string_equal(alert_state_label(NBAQ_ALERT_FLAPPING), "flapping");
    assert_string_equal(alert_state_label((nbaq_alert_state)6), "unknown");
}

/* The order of nbaq.h: ERROR and UNKNOWN rank above FAIL. */
static void test_status_rank(void **state)
{
    (void)state;
    assert_int_equal(status_rank(NBAQ_PASS), 0);
    assert_int_equal(status_rank(NBAQ_WARNING), 1);
    assert_int_equal(status_rank(NBAQ_FAIL), 2);
    assert_int_equal(status_rank(NBAQ_UNKNOWN), 3);
    assert_int_equal(status_rank(NBAQ_ERROR), 4);
    assert_int_equal(status_rank((nbaq_status)99), 4);
    assert_int_equal(status_rank((nbaq_status)-1), 4);
}

/* Was the host's test of its names (tests/unit/test_units.c). */
static void test_host_names(void **state)
{
    (void)state;
    nbaq_alert_state a;
    nbaq_severity sev;
    assert_string_equal(status_name(NBAQ_UNKNOWN), "UNKNOWN");
    assert_string_equal(severity_name(NBAQ_SEV_CRITICAL), "CRITICAL");
    assert_string_equal(alert_state_name(NBAQ_ALERT_NEW), "NEW");
    assert_string_equal(alert_state_name(NBAQ_ALERT_FLAPPING), "FLAPPING");
    /* out of range: "UNKNOWN", as for every upper-case name (status.h) */
    assert_string_equal(alert_state_name((nbaq_alert_state)6), "UNKNOWN");
    assert_int_equal(alert_state_parse("ESCALATED", &a), 0);
    assert_int_equal(a, NBAQ_ALERT_ESCALATED);
    assert_int_equal(alert_state_parse("silenced", &a), 0);
    assert_int_equal(a, NBAQ_ALERT_SILENCED);
    assert_int_equal(alert_state_parse("open", &a), -1);
    assert_int_equal(severity_parse("High", &sev), 0);
    assert_int_equal(sev, NBAQ_SEV_HIGH);
    assert_int_equal(severity_parse("urgent", &sev), -1);
    /* ERROR (3) is worse than UNKNOWN (4) */
    assert_int_equal(status_worst(NBAQ_UNKNOWN, NBAQ_ERROR), NBAQ_ERROR);
    assert_int_equal(status_worst(NBAQ_FAIL, NBAQ_WARNING), NBAQ_FAIL);
}

/* The lists a config chooses from hold the labels, in enum order. */
static void test_severity_labels(void **state)
{
    (void)state;
    for (int i = 0; i < NBAQ_SEVERITY_COUNT; i++) {
        nbaq_severity parsed;
        assert_string_equal(severity_labels[i],
                            severity_label((nbaq_severity)i));
        assert_int_equal(severity_parse(severity_labels[i], &parsed), 0);
        assert_int_equal(parsed, i);
    }
    assert_null(severity_labels[NBAQ_SEVERITY_COUNT]);
    assert_string_equal(status_name((nbaq_status)-1), "UNKNOWN");
    assert_string_equal(trend_name((nbaq_trend)42), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_names),
        cmocka_unit_test(test_status_rank),
        cmocka_unit_test(test_host_names),
        cmocka_unit_test(test_severity_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
