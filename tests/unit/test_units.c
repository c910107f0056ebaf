/* Parsing of durations, sizes, numbers and booleans; number formatting
 * (lib/base); the names are tested in lib/base/tests/test_status.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "status.h"
#include "text.h"
#include "numfmt.h"
#include "units.h"

static int64_t duration(const char *text)
{
    int64_t ms = -1;
    char err[256];
    assert_int_equal(units_parse_duration(text, &ms, err, sizeof err), 0);
    return ms;
}

static void duration_fails(const char *text, const char *needle)
{
    int64_t ms = 0;
    char err[256] = "";
    assert_int_equal(units_parse_duration(text, &ms, err, sizeof err), -1);
    assert_non_null(strstr(err, needle));
}

static void test_durations(void **state)
{
    (void)state;
    assert_int_equal(duration("250ms"), 250);
    assert_int_equal(duration("30s"), 30000);
    assert_int_equal(duration("5m"), 300000);
    assert_int_equal(duration("2h"), 7200000);
    assert_int_equal(duration("7d"), 604800000);
    assert_int_equal(duration("1w"), 604800000);
    assert_int_equal(duration("1h30m"), 5400000);
    assert_int_equal(duration("1.5s"), 1500);
    assert_int_equal(duration("0"), 0);
    duration_fails("", "expected a duration");
    duration_fails("10", "unit is missing");
    duration_fails("10x", "unknown unit 'x'");
    duration_fails("-5s", "expected a duration");
    duration_fails("s", "expected a duration");
    duration_fails("1e3s", "unknown unit 'e'");
    duration_fails("99999999d", "too long");
}

static int64_t size_of(const char *text)
{
    int64_t bytes = -1;
    char err[256];
    assert_int_equal(units_parse_size(text, &bytes, err, sizeof err), 0);
    return bytes;
}

static void test_sizes(void **state)
{
    (void)state;
    assert_int_equal(size_of("512"), 512);
    assert_int_equal(size_of("64K"), 65536);
    assert_int_equal(size_of("64k"), 65536);
    assert_int_equal(size_of("64KB"), 65536);
    assert_int_equal(size_of("64KiB"), 65536);
    assert_int_equal(size_of("2M"), 2097152);
    assert_int_equal(size_of("1G"), 1073741824);
    assert_int_equal(size_of("1.5K"), 1536);
    assert_int_equal(size_of("10B"), 10);
    int64_t bytes;
    char err[256];
    assert_int_equal(units_parse_size("12Q", &bytes, err, sizeof err), -1);
    assert_int_equal(units_parse_size("K", &bytes, err, sizeof err), -1);
    assert_int_equal(units_parse_size("1.3", &bytes, err, sizeof err), -1);
    assert_int_equal(units_parse_size("1Kx", &bytes, err, sizeof err), -1);
}

static void test_numbers(void **state)
{
    (void)state;
    int64_t i;
    double d;
    int b;
    char err[256];
    assert_int_equal(units_parse_int("-42", &i, err, sizeof err), 0);
    assert_int_equal(i, -42);
    assert_int_equal(units_parse_int("+7", &i, err, sizeof err), 0);
    assert_int_equal(i, 7);
    assert_int_equal(units_parse_int("4.2", &i, err, sizeof err), -1);
    assert_int_equal(units_parse_int("12a", &i, err, sizeof err), -1);
    assert_int_equal(
        units_parse_int("99999999999999999999", &i, err, sizeof err), -1);
    assert_non_null(strstr(err, "out of range"));
    assert_int_equal(units_parse_double("1e6", &d, err, sizeof err), 0);
    assert_true(d == 1e6);
    assert_int_equal(units_parse_double("-0.25", &d, err, sizeof err), 0);
    assert_true(d == -0.25);
    assert_int_equal(units_parse_double("nan", &d, err, sizeof err), -1);
    assert_int_equal(units_parse_double("inf", &d, err, sizeof err), -1);
    assert_int_equal(units_parse_double("1e999", &d, err, sizeof err), -1);
    assert_int_equal(units_parse_double("", &d, err, sizeof err), -1);
    assert_int_equal(units_parse_bool("Yes", &b, err, sizeof err), 0);
    assert_int_equal(b, 1);
    assert_int_equal(units_parse_bool("off", &b, err, sizeof err), 0);
    assert_int_equal(b, 0);
    assert_int_equal(units_parse_bool("1", &b, err, sizeof err), -1);
}

static void test_formatting(void **state)
{
    (void)state;
    char buf[64];
    textfmt_number_exact(buf, sizeof buf, 5);
    assert_string_equal(buf, "5");
    textfmt_number_exact(buf, sizeof buf, 0.25);
    assert_string_equal(buf, "0.25");
    textfmt_number_exact(buf, sizeof buf, 2e6);
    assert_string_equal(buf, "2000000");
    text_format_duration(10000, buf, sizeof buf);
    assert_string_equal(buf, "10s");
    text_format_duration(90000, buf, sizeof buf);
    assert_string_equal(buf, "1m30s");
    text_format_duration(250, buf, sizeof buf);
    assert_string_equal(buf, "250ms");
    text_format_duration(86400000LL * 7, buf, sizeof buf);
    assert_string_equal(buf, "7d");
    text_format_size(65536, buf, sizeof buf);
    assert_string_equal(buf, "64K");
    text_format_size(1000, buf, sizeof buf);
    assert_string_equal(buf, "1000");
    /* 14 days is "14d" here, "2w" in the single-unit form */
    text_format_duration(86400000LL * 14, buf, sizeof buf);
    assert_string_equal(buf, "14d");
    text_format_duration_unit(86400000LL * 14, buf, sizeof buf);
    assert_string_equal(buf, "2w");
    text_format_duration_unit(36 * 3600000LL, buf, sizeof buf);
    assert_string_equal(buf, "36h");
    textfmt_number_exact(buf, sizeof buf, 1234567.5);
    assert_string_equal(buf, "1234567.5");
    textfmt_number_exact(buf, sizeof buf, -3);
    assert_string_equal(buf, "-3");
}

static void test_suggestions(void **state)
{
    (void)state;
    const char *keys[] = {"name", "plugin", "timeout", "thresholds"};
    assert_int_equal(text_edit_distance("timout", "timeout"), 1);
    assert_int_equal(text_edit_distance("", "abc"), 3);
    assert_int_equal(text_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(text_edit_distance("dru", "dur"), 1); /* a swap */
    assert_int_equal(text_edit_distance("ab", "ba"), 1);
    assert_string_equal(text_suggest("timout", keys, 4), "timeout");
    assert_string_equal(text_suggest("plugn", keys, 4), "plugin");
    assert_null(text_suggest("zzzzzzzz", keys, 4));
    assert_true(text_is_name("disk_root.v2-a"));
    assert_false(text_is_name("disk root"));
    assert_false(text_is_name(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations), cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_numbers), cmocka_unit_test(test_formatting),
        cmocka_unit_test(test_suggestions)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
