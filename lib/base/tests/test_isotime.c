/* Unit tests of base's ISO 8601 reader (isotime.h) and its day arithmetic
 * (calendar.h). Every expected instant is a literal, from
 * `date -u -d 2024-02-29T00:00:00Z +%s` and the like, not from the code
 * under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "calendar.h"
#include "isotime.h"

static void read_as(const char *text, unsigned flags, int64_t expected)
{
    int64_t ms = -42;
    if (isotime_parse(text, flags, &ms) != 0)
        fail_msg("\"%s\" refused", text);
    if (ms != expected)
        fail_msg("\"%s\": %lld, not %lld", text, (long long)ms,
                 (long long)expected);
}

static void refused(const char *text, unsigned flags)
{
    int64_t ms = -42;
    if (isotime_parse(text, flags, &ms) == 0)
        fail_msg("\"%s\" accepted", text);
    assert_int_equal(ms, -42);
}

/* Each text of a NULL-ended list refused, with no flags. */
static void all_refused(const char *const *texts)
{
    for (; *texts != NULL; texts++)
        refused(*texts, 0);
}

static void test_leap_days(void **state)
{
    (void)state;
    read_as("2024-02-29", 0, 1709164800000LL);
    read_as("2000-02-29", 0, 951782400000LL);
    refused("2023-02-29", 0);
    refused("1900-02-29", 0);
    refused("2100-02-29", 0);
}

static void test_impossible_dates_and_times(void **state)
{
    (void)state;
    all_refused((const char *const[]){
        "2024-02-31", "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10",
        "2024-01-00", "2024-01-32", "0000-01-01", "2024-01-10T24:00",
        "2024-01-10T12:60", "2024-01-10T12:00:61",
        /* a leap second too (isotime.h says why) */
        "2024-12-31T23:59:60Z", NULL});
}

static void test_fields_have_all_their_digits(void **state)
{
    (void)state;
    all_refused((const char *const[]){
        "2024-1-05", "2024-01-5", "24-01-05", "20240-01-05", "2024-01-05T1:00",
        "2024-01-05T10:0", "2024-01-05T10:00:5", "2024-01-05T10:00+1",
        "2024-01-05T10:00+01:0", "2024-01-05T10:00+013", NULL});
}

static void test_offsets_are_applied(void **state)
{
    (void)state;
    const int64_t new_year = 1704067200000LL; /* 2024-01-01T00:00:00Z */
    read_as("2024-01-01T00:00:00Z", 0, new_year);
    read_as("2024-01-01T01:00:00+01:00", 0, new_year);
    read_as("2024-01-01T01:00:00+0100", 0, new_year);
    read_as("2024-01-01T01:00:00+01", 0, new_year);
    read_as("2023-12-31T19:00:00-05:00", 0, new_year);
    read_as("2024-01-01 05:30+05:30", 0, new_year);
    read_as("2024-01-01T00:00:00-00:00", 0, new_year);
    /* back across a leap day: 2024-02-29T23:30:00Z */
    read_as("2024-03-01T00:30:00+01:00", 0, 1709249400000LL);
    read_as("2024-01-01T15:59:00+15:59", 0, new_year);
    refused("2024-01-01T00:00:00+16:00", 0);
    refused("2024-01-01T00:00:00+01:60", 0);
}

static void test_fractions_are_cut_to_milliseconds(void **state)
{
    (void)state;
    /* S3's LastModified; 2024-05-01T12:00:00Z is 1714564800 */
    read_as("2024-05-01T12:00:00.123Z", 0, 1714564800123LL);
    read_as("2024-05-01T12:00:00.5Z", 0, 1714564800500LL);
    read_as("2024-05-01T12:00:00.1239999", 0, 1714564800123LL);
    read_as("2024-05-01T12:00:00.000001+00:00", 0, 1714564800000LL);
    refused("2024-05-01T12:00:00.Z", 0);
    refused("2024-05-01T12:00.5Z", 0);
    refused("2024-05-01T12:00:00,5Z", 0);
}

static void test_trailing_text_is_refused(void **state)
{
    (void)state;
    all_refused((const char *const[]){
        "2024-05-01x", "2024-05-01T", "2024-05-01 ", " 2024-05-01",
        "2024-05-01T12:00:00Zx", "2024-05-01T12:00Z ", "2024-05-01T12:00:00+",
        "2024-05-01 12:00 tomorrow",
        /* a zone follows a time, not a date */
        "2024-05-01Z", "", "2024-05-01t12:00", NULL});
}

static void test_forms_without_a_zone(void **state)
{
    (void)state;
    /* 2024-05-01T10:30:00Z is 1714559400; no zone reads as UTC */
    read_as("2024-05-01", 0, 1714521600000LL);
    read_as("2024-05-01T10:30", 0, 1714559400000LL);
    read_as("2024-05-01 10:30:00", 0, 1714559400000LL);
}

static void test_what_callers_require(void **state)
{
    (void)state;
    read_as("2024-05-01", ISOTIME_DATE, 1714521600000LL);
    refused("2024-05-01 10:30", ISOTIME_DATE);
    refused("2024-05-01T10:30:00Z", ISOTIME_DATE);

    read_as("2024-05-01T10:30:00", ISOTIME_TIME, 1714559400000LL);
    refused("2024-05-01", ISOTIME_TIME);
    refused("2024-05-01T10:30Z", ISOTIME_TIME);
    refused("2024-05-01 10:30:00Z", ISOTIME_TIME);

    read_as("2024-05-01T10:30:00Z", ISOTIME_ZONE, 1714559400000LL);
    refused("2024-05-01T10:30:00", ISOTIME_ZONE);
    refused("2024-05-01", ISOTIME_ZONE);

    read_as("2024-05-01T10:30:00+00:00", ISOTIME_UTC, 1714559400000LL);
    read_as("2024-05-01T10:30", ISOTIME_UTC, 1714559400000LL);
    refused("2024-05-01T12:30:00+02:00", ISOTIME_UTC);

    read_as("2024-05-01 10:30:00.25", ISOTIME_LOCAL, 1714559400250LL);
    refused("2024-05-01 10:30:00Z", ISOTIME_LOCAL);
}

static void test_the_years_at_both_ends(void **state)
{
    (void)state;
    read_as("1970-01-01", 0, 0);
    read_as("1969-12-31T23:59:59Z", 0, -1000);
    read_as("0001-01-01", 0, -62135596800000LL);
    read_as("9999-12-31T23:59:59.999Z", 0, 253402300799999LL);
    /* 2024-02-29 is 1709164800 s, 19782 days of 86400 s */
    assert_int_equal(calendar_days_from_civil(2024, 2, 29), 19782);
    assert_int_equal(calendar_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(calendar_days_from_civil(1969, 12, 31), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_days),
        cmocka_unit_test(test_impossible_dates_and_times),
        cmocka_unit_test(test_fields_have_all_their_digits),
        cmocka_unit_test(test_offsets_are_applied),
        cmocka_unit_test(test_fractions_are_cut_to_milliseconds),
        cmocka_unit_test(test_trailing_text_is_refused),
        cmocka_unit_test(test_forms_without_a_zone),
        cmocka_unit_test(test_what_callers_require),
        cmocka_unit_test(test_the_years_at_both_ends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
