/*
 * Unit tests of the perfdata grammar and the output layout, on examples
 * from the monitoring-plugins development guidelines worked out by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "perfdata.h"
#include "plugin_output.h"

static perfdata_item item;
static char err[256];

/* Parses text, which must hold exactly one well-formed item. */
static void parse_one(const char *text)
{
    const char *cursor = text;
    err[0] = '\0';
    int rc = perfdata_next(&cursor, &item, err, sizeof err);
    if (rc != 1) {
        fail_msg("'%s' did not parse: %s", text, err);
    }
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 0);
}

/* Parses text, which must hold one malformed item; returns the error. */
static const char *parse_bad(const char *text)
{
    const char *cursor = text;
    err[0] = '\0';
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), -1);
    assert_true(*cursor == '\0' || *cursor == ' ');
    return err;
}

static void test_check_http_time(void **state)
{
    (void)state;
    parse_one("time=0.002722s;;;0.000000");
    assert_string_equal(item.label, "time");
    assert_true(item.has_value);
    assert_true(item.value == 0.002722);
    assert_string_equal(item.unit, "s");
    assert_false(item.warn.set);
    assert_false(item.crit.set);
    assert_true(item.has_min);
    assert_true(item.min == 0);
    assert_false(item.has_max);
}

static void test_check_disk_full_item(void **state)
{
    (void)state;
    parse_one("'/'=2643MB;5948;5958;0;5968");
    assert_string_equal(item.label, "/");
    assert_true(item.value == 2643);
    assert_string_equal(item.unit, "MB");
    /* "5948" is the range 0..5948, alert outside. */
    assert_true(item.warn.set);
    assert_false(item.warn.inside);
    assert_true(item.warn.start == 0);
    assert_true(item.warn.end == 5948);
    assert_true(item.crit.end == 5958);
    assert_true(item.has_min && item.min == 0);
    assert_true(item.has_max && item.max == 5968);
}

static void test_load_with_trailing_semicolon(void **state)
{
    (void)state;
    parse_one("load1=0.160;15.000;30.000;0;");
    assert_string_equal(item.label, "load1");
    assert_true(item.value == 0.16);
    assert_string_equal(item.unit, "");
    assert_true(item.warn.end == 15);
    assert_true(item.crit.end == 30);
    assert_true(item.has_min && item.min == 0);
    assert_false(item.has_max);
}

static void test_every_guideline_unit(void **state)
{
    static const char *const units[] = {"s",  "ms", "us", "%",  "B",
                                        "KB", "MB", "GB", "TB", "c"};
    char text[64];
    (void)state;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        snprintf(text, sizeof text, "x=12.5%s", units[i]);
        parse_one(text);
        assert_true(item.value == 12.5);
        assert_string_equal(item.unit, units[i]);
    }
}

static void test_quoted_labels(void **state)
{
    (void)state;
    parse_one("'label with spaces'=5c");
    assert_string_equal(item.label, "label with spaces");
    assert_string_equal(item.unit, "c");
    parse_one("'it''s'=1");
    assert_string_equal(item.label, "it's");
    parse_one("'a=b'=2");
    assert_string_equal(item.label, "a=b");
    assert_true(item.value == 2);
    parse_one("''''=3");
    assert_string_equal(item.label, "'");
}

static void test_ranges(void **state)
{
    (void)state;
    parse_one("users=3;@10:20;~:5");
    assert_true(item.warn.set && item.warn.inside);
    assert_true(item.warn.start == 10 && item.warn.end == 20);
    assert_true(item.crit.set && !item.crit.inside);
    assert_true(isinf(item.crit.start) && item.crit.start < 0);
    assert_true(item.crit.end == 5);

    parse_one("x=10%;10:;;");
    assert_true(item.warn.start == 10);
    assert_true(isinf(item.warn.end) && item.warn.end > 0);
    assert_false(item.crit.set);
    assert_false(item.has_min);
    assert_false(item.has_max);

    parse_one("x=1;~:;-5:-1");
    assert_true(isinf(item.warn.start) && isinf(item.warn.end));
    assert_true(item.crit.start == -5 && item.crit.end == -1);
}

static void test_range_alerts(void **state)
{
    (void)state;
    /* Table from the guidelines: "10" alerts when < 0 or > 10. */
    parse_one("x=0;10");
    assert_true(perfdata_range_alerts(&item.warn, 11));
    assert_true(perfdata_range_alerts(&item.warn, -1));
    assert_false(perfdata_range_alerts(&item.warn, 0));
    assert_false(perfdata_range_alerts(&item.warn, 10));
    /* "10:" alerts when < 10. */
    parse_one("x=0;10:");
    assert_true(perfdata_range_alerts(&item.warn, 9.99));
    assert_false(perfdata_range_alerts(&item.warn, 1e300));
    /* "~:10" alerts when > 10. */
    parse_one("x=0;~:10");
    assert_false(perfdata_range_alerts(&item.warn, -1e300));
    assert_true(perfdata_range_alerts(&item.warn, 10.5));
    /* "10:20" alerts when < 10 or > 20. */
    parse_one("x=0;10:20");
    assert_true(perfdata_range_alerts(&item.warn, 9));
    assert_false(perfdata_range_alerts(&item.warn, 15));
    assert_true(perfdata_range_alerts(&item.warn, 21));
    /* "@10:20" alerts when >= 10 and <= 20. */
    parse_one("x=0;@10:20");
    assert_false(perfdata_range_alerts(&item.warn, 9));
    assert_true(perfdata_range_alerts(&item.warn, 10));
    assert_true(perfdata_range_alerts(&item.warn, 20));
    assert_false(perfdata_range_alerts(&item.warn, 20.5));
}

static void test_numbers(void **state)
{
    (void)state;
    parse_one("temp=-12.5");
    assert_true(item.value == -12.5);
    parse_one("size=1.5e3B");
    assert_true(item.value == 1500);
    assert_string_equal(item.unit, "B");
    parse_one("x=.5");
    assert_true(item.value == 0.5);
    parse_one("x=7.");
    assert_true(item.value == 7);
    parse_one("x=U");
    assert_false(item.has_value);
    parse_one("x=U;1;2");
    assert_false(item.has_value);
    assert_true(item.warn.end == 1);
    double v = 0;
    assert_int_equal(perfdata_parse_number("42", 2, &v), 0);
    assert_true(v == 42);
    assert_int_equal(perfdata_parse_number("+3", 2, &v), 0);
    assert_true(v == 3);
    assert_int_equal(perfdata_parse_number("0x10", 4, &v), -1);
    assert_int_equal(perfdata_parse_number("inf", 3, &v), -1);
    assert_int_equal(perfdata_parse_number("nan", 3, &v), -1);
    assert_int_equal(perfdata_parse_number("1e999", 5, &v), -1);
    assert_int_equal(perfdata_parse_number(" 1", 2, &v), -1);
    assert_int_equal(perfdata_parse_number("-", 1, &v), -1);
    assert_int_equal(perfdata_parse_number(".", 1, &v), -1);
    assert_int_equal(perfdata_parse_number("", 0, &v), -1);
    assert_int_equal(perfdata_parse_number("1.2.3", 5, &v), -1);
}

static void test_several_items(void **state)
{
    (void)state;
    const char *cursor = "rta=0.073ms;3000.000;5000.000;0;  pl=0%;80;100;0 "
                         "'a b'=1";
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "rta");
    assert_string_equal(item.unit, "ms");
    assert_true(item.value == 0.073);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "pl");
    assert_string_equal(item.unit, "%");
    assert_true(item.crit.end == 100);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "a b");
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 0);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 0);
    cursor = "   \t ";
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 0);
}

static void test_malformed(void **state)
{
    (void)state;
    assert_string_equal(parse_bad("load1"),
                        "perfdata 'load1': no '=' after the label");
    assert_string_equal(parse_bad("=5"), "perfdata '=5': empty label");
    assert_string_equal(parse_bad("''=5"), "perfdata '''=5': empty label");
    assert_string_equal(parse_bad("a="), "perfdata 'a=': no value after '='");
    assert_string_equal(parse_bad("a=;1"),
                        "perfdata 'a=;1': no value after '='");
    assert_string_equal(parse_bad("a=x"),
                        "perfdata 'a=x': value 'x' is not a number");
    assert_string_equal(parse_bad("a=5;abc"),
                        "perfdata 'a=5;abc': warn 'abc' is not a range "
                        "[@][start:][end]");
    assert_string_equal(parse_bad("a=5;1;20:10"),
                        "perfdata 'a=5;1;20:10': crit '20:10' has its start "
                        "above its end");
    assert_string_equal(parse_bad("a=5;;;zero"),
                        "perfdata 'a=5;;;zero': min 'zero' is not a number");
    assert_string_equal(parse_bad("a=5;;;;1:2"),
                        "perfdata 'a=5;;;;1:2': max '1:2' is not a number");
    assert_string_equal(parse_bad("a=5;1;2;3;4;5"),
                        "perfdata 'a=5;1;2;3;4;5': more than 5 ';'-separated "
                        "fields");
    assert_string_equal(parse_bad("'unterminated=5 b=6"),
                        "perfdata ''unterminated=5 b=6': label has no closing "
                        "quote");
    assert_string_equal(parse_bad("a=5X1"),
                        "perfdata 'a=5X1': value '5X1' has a unit with other "
                        "characters than letters, '%' and '/'");
    assert_string_equal(parse_bad("a=1e999"),
                        "perfdata 'a=1e999': value '1e999' is not a number");
    assert_string_equal(parse_bad("a=1abcdefghijklmnop"),
                        "perfdata 'a=1abcdefghijklmnop': value "
                        "'1abcdefghijklmnop' has a unit longer than 15 "
                        "characters");
    assert_string_equal(parse_bad("a=5;@"),
                        "perfdata 'a=5;@': warn '@' is not a range "
                        "[@][start:][end]");
    assert_string_equal(parse_bad("a=5;1:2:3"),
                        "perfdata 'a=5;1:2:3': warn '1:2:3' is not a range "
                        "[@][start:][end]");
    assert_string_equal(parse_bad("it's=1"),
                        "perfdata 'it's=1': quote inside an unquoted label");
    assert_string_equal(parse_bad("'a'b=1"),
                        "perfdata ''a'b=1': no '=' after the label");
}

static void test_malformed_then_recovery(void **state)
{
    (void)state;
    const char *cursor = "a=x b=2 c d=4;;;;;; e=5";
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), -1);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "b");
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), -1);
    assert_string_equal(err, "perfdata 'c': no '=' after the label");
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), -1);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "e");
    assert_true(item.value == 5);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 0);
}

static void test_long_label_and_item(void **state)
{
    char text[700];
    (void)state;
    /* A label of 255 bytes fits, 256 does not. */
    memset(text, 'x', 255);
    strcpy(text + 255, "=1");
    parse_one(text);
    assert_int_equal(strlen(item.label), 255);
    memset(text, 'y', 256);
    strcpy(text + 256, "=1");
    parse_bad(text);
    assert_non_null(strstr(err, "label is longer than 255 bytes"));
    /* The error quotes 60 bytes of the item, then "...". */
    assert_int_equal(strlen(err), strlen("perfdata '") + 60 + 3 +
                                      strlen("': label is longer than 255 "
                                             "bytes"));
    text[0] = '\'';
    memset(text + 1, 'z', 300);
    strcpy(text + 301, "'=1 b=2");
    const char *cursor = text;
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), -1);
    assert_int_equal(perfdata_next(&cursor, &item, err, sizeof err), 1);
    assert_string_equal(item.label, "b");
}

static void test_hostile_bytes(void **state)
{
    (void)state;
    /* Every single byte, and every byte after "a=", must not crash. */
    char text[8];
    for (int c = 1; c < 256; c++) {
        const char *cursor = text;
        snprintf(text, sizeof text, "%c", c);
        while (perfdata_next(&cursor, &item, err, sizeof err) != 0) {
        }
        snprintf(text, sizeof text, "a=%c;%c", c, c);
        cursor = text;
        while (perfdata_next(&cursor, &item, err, sizeof err) != 0) {
        }
    }
}

/* Random strings over the grammar's characters: every call returns -1, 0
 * or 1, an item ends where the cursor stops, and the cursor always moves
 * forward, so a caller's loop ends. Fixed seed: the same inputs each run. */
static void test_random_inputs(void **state)
{
    static const char alphabet[] = "'=;:@~-+.eE0123456789 abcU%\t\n/B";
    uint32_t seed = 12345;
    char text[48];
    (void)state;
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % (sizeof text - 1);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        text[len] = '\0';
        const char *cursor = text;
        int rc;
        do {
            const char *before = cursor;
            rc = perfdata_next(&cursor, &item, err, sizeof err);
            assert_true(rc >= -1 && rc <= 1);
            assert_true(cursor >= before && cursor <= text + len);
            if (rc != 0) {
                assert_true(cursor > before);
            }
            if (rc == 1) {
                assert_true(item.label[0] != '\0');
                assert_true(isfinite(item.value) || !item.has_value);
            }
        } while (rc != 0);
    }
}

/* ------------------------------------------------------------------------ */

static void split(const char *text, const char *message, const char *perf)
{
    plugin_output out;
    assert_int_equal(plugin_output_parse(text, strlen(text), &out), 0);
    assert_string_equal(out.message, message);
    assert_string_equal(out.perfdata, perf);
    plugin_output_free(&out);
}

static void test_output_one_line(void **state)
{
    (void)state;
    split("PING OK - Packet loss = 0%, RTA = 0.80 ms | "
          "percent_packet_loss=0, rta=0.80\n",
          "PING OK - Packet loss = 0%, RTA = 0.80 ms",
          "percent_packet_loss=0, rta=0.80");
    split("DISK OK\n", "DISK OK", "");
    split("no newline", "no newline", "");
    split("", "", "");
    split("\n\n", "", "");
    split("OK|a=1\r\n", "OK", "a=1");
    split("|a=1", "", "a=1");
}

static void test_output_guidelines_multiline(void **state)
{
    (void)state;
    /* The example of the guidelines' "Plugin Output" section. */
    split("DISK OK - free space: / 3326 MB (56%); | "
          "/=2643MB;5948;5958;0;5968\n"
          "/ 15272 MB (77%);\n"
          "/boot 68 MB (69%);\n"
          "/home 69357 MB (27%);\n"
          "/var/log 819 MB (84%); | /boot=68MB;88;93;0;98\n"
          "/home=69357MB;253404;253409;0;253414 \n"
          "/var/log=818MB;970;975;0;980\n",
          "DISK OK - free space: / 3326 MB (56%);",
          "/=2643MB;5948;5958;0;5968 /boot=68MB;88;93;0;98 "
          "/home=69357MB;253404;253409;0;253414 "
          "/var/log=818MB;970;975;0;980");
    /* Long text without perfdata on the first line. */
    split("OK\nline 2\nline 3 | a=1\nb=2 | c=3\n", "OK", "a=1 b=2 | c=3");
}

static void test_output_nul_bytes(void **state)
{
    plugin_output out;
    (void)state;
    assert_int_equal(plugin_output_parse("A\0B|x=1", 7, &out), 0);
    assert_string_equal(out.message, "A B");
    assert_string_equal(out.perfdata, "x=1");
    plugin_output_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_http_time),
        cmocka_unit_test(test_check_disk_full_item),
        cmocka_unit_test(test_load_with_trailing_semicolon),
        cmocka_unit_test(test_every_guideline_unit),
        cmocka_unit_test(test_quoted_labels),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_range_alerts),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_several_items),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_malformed_then_recovery),
        cmocka_unit_test(test_long_label_and_item),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_random_inputs),
        cmocka_unit_test(test_output_one_line),
        cmocka_unit_test(test_output_guidelines_multiline),
        cmocka_unit_test(test_output_nul_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
