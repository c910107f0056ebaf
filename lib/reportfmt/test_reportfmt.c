/* Unit tests of reportfmt: expected strings worked out by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "reportfmt.h"

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
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
