/* Unit tests of lib/base's text: buffers, UTF-8, escaping, Prometheus
 * text, numbers. Expected strings are written out by hand from the rules
 * in the headers. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"
#include "numfmt.h"
#include "promtext.h"
#include "textbuf.h"
#include "utf8.h"

typedef void (*escape_fn)(textbuf *b, const char *s);

static void expect(escape_fn fn, const char *in, const char *want)
{
    textbuf b;
    textbuf_init(&b);
    fn(&b, in);
    assert_false(textbuf_failed(&b));
    assert_string_equal(b.data ? b.data : "", want);
    textbuf_free(&b);
}

static void line_for_log(textbuf *b, const char *s)
{
    textfmt_line_text(b, s, 0);
}

static void line_for_report(textbuf *b, const char *s)
{
    textfmt_line_text(b, s, 1);
}

static void test_line_text(void **state)
{
    (void)state;
    /* A forged second line, a terminal clear, a C1 CSI, DEL, a stray
     * byte and a truncated sequence; valid UTF-8 stays. */
    const char *in = "ok\nnbaq-host: error: forged\r\t\x1b[2J\xc2\x9b"
                     "\x7f\xff\xe2\x82 caf\xc3\xa9";
    expect(line_for_log, in,
           "ok\\nnbaq-host: error: forged\\r\\t\\e[2J\\x9b\\x7f"
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9");
    expect(line_for_report, in,
           "ok?nbaq-host: error: forged???[2J??"
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9");
}

static void test_exact_numbers(void **state)
{
    (void)state;
    char out[TEXTFMT_NUMBER_SIZE];
    /* Each must read back as the same double, in the fewest digits. */
    const struct {
        double value;
        const char *text;
    } cases[] = {{1.7976931348623157e308, "1.7976931348623157e+308"},
                 {-1.7976931348623157e308, "-1.7976931348623157e+308"},
                 {4.9406564584124654e-324, "5e-324"},
                 {0.1, "0.1"},
                 {0.1 + 0.2, "0.30000000000000004"},
                 {2e6, "2000000"},
                 {1e21, "1e+21"},
                 {-0.0, "0"},
                 {123456.789, "123456.789"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        textfmt_number_exact(out, sizeof out, cases[i].value);
        assert_string_equal(out, cases[i].text);
        assert_true(strtod(out, NULL) == cases[i].value);
    }
}

static void md_code_table(textbuf *b, const char *s)
{
    textfmt_md_code(b, s, 1);
}

static void md_code_prose(textbuf *b, const char *s)
{
    textfmt_md_code(b, s, 0);
}

static void test_html(void **state)
{
    (void)state;
    expect(textfmt_html, "<a href=\"x\">'&'</a>",
           "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    expect(textfmt_html, "tab\tnl\nbell\x07", "tab\tnl\nbell\xEF\xBF\xBD");
    expect(textfmt_html, "caf\xC3\xA9 \xFF", "caf\xC3\xA9 \xEF\xBF\xBD");
    /* overlong "/" and a UTF-16 surrogate are not valid UTF-8 */
    expect(textfmt_html, "\xC0\xAF\xED\xA0\x80",
           "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void test_xml(void **state)
{
    (void)state;
    expect(textfmt_xml, "a\tb\nc\rd", "a&#9;b&#10;c&#13;d");
    expect(textfmt_xml, "\x01]]>\xEF\xBF\xBE",
           "\xEF\xBF\xBD]]&gt;\xEF\xBF\xBD");
}

static void test_utf8_valid(void **state)
{
    (void)state;
    textbuf scratch;
    textbuf_init(&scratch);
    const char *fine = "caf\xC3\xA9\tok\n", *empty = "";
    assert_ptr_equal(textfmt_utf8_valid(&scratch, fine), fine);
    assert_ptr_equal(textfmt_utf8_valid(&scratch, empty), empty);
    assert_int_equal(scratch.len, 0);
    /* a stray continuation byte, a cut 3-byte sequence; controls stay */
    assert_string_equal(textfmt_utf8_valid(&scratch, "a\x80"
                                                     "b\x01\xE2\x82"),
                        "a\xEF\xBF\xBD"
                        "b\x01\xEF\xBF\xBD\xEF\xBF\xBD");
    textbuf_free(&scratch);
}

static void test_utf8_checks(void **state)
{
    (void)state;
    assert_true(
        utf8_is_valid("plain, \xC3\xA9, \xE6\xBC\xA2, \xF0\x9F\x98\x80"));
    assert_false(utf8_is_valid("\xff"));
    assert_false(utf8_is_valid("\xc0\xaf"));         /* overlong '/' */
    assert_false(utf8_is_valid("\xed\xa0\x80"));     /* a surrogate */
    assert_false(utf8_is_valid("\xf4\x90\x80\x80")); /* past U+10FFFF */
    assert_int_equal(utf8_valid_prefix("ab\xC3\xA9\xffz"), 4);
    /* "a\xC3\xA9b": a cut at 2 would split the e-acute, so it moves to 1 */
    assert_int_equal(utf8_cut("a\xC3\xA9"
                              "b",
                              2),
                     1);
    assert_int_equal(utf8_cut("a\xC3\xA9"
                              "b",
                              3),
                     3);
    assert_int_equal(utf8_cut("a\xC3\xA9"
                              "b",
                              0),
                     0);
    /* each invalid byte becomes U+FFFD (was utf8_clean in core/daemon) */
    textbuf scratch = TEXTBUF_INIT;
    assert_string_equal(textfmt_utf8_valid(&scratch, "a\xff"
                                                     "b\xe2\x82"),
                        "a\xef\xbf\xbd"
                        "b\xef\xbf\xbd\xef\xbf\xbd");
    textbuf_free(&scratch);
}

static void test_markdown(void **state)
{
    (void)state;
    expect(textfmt_md_text, "a|b *c* [d](e) <f> `g` #h ~i \\j",
           "a\\|b \\*c\\* \\[d\\](e) \\<f\\> \\`g\\` \\#h \\~i \\\\j");
    expect(textfmt_md_text, "null_rate _x_ y_", "null_rate \\_x\\_ y\\_");
    expect(textfmt_md_text, "two\nlines", "two lines");
    expect(md_code_prose, "a|b", "`a|b`");
    expect(md_code_table, "a|b", "`a\\|b`");
    expect(md_code_table, "a\\|b", "`a\xE2\xA7\xB5\\|b`");
    expect(md_code_prose, "x`y", "`` x`y ``");
    expect(md_code_prose, "", "` `");
}

static void test_prometheus_names(void **state)
{
    (void)state;
    expect(textfmt_prom_metric_name, "nbaq", "nbaq");
    expect(textfmt_prom_metric_name, "a:b-c.d e", "a:b_c_d_e");
    expect(textfmt_prom_metric_name, "9lives", "_9lives");
    expect(textfmt_prom_metric_name, "", "_");
    expect(textfmt_prom_metric_name, "\xC3\xA9t\xC3\xA9", "_t_");
    expect(textfmt_prom_label_name, "a:b", "a_b");
    expect(textfmt_prom_label_name, "__name__", "x__name__");
    expect(textfmt_prom_label_value, "a\"b\\c\nd\te", "a\\\"b\\\\c\\nd\te");
    expect(textfmt_prom_help, "a\"b\\c\nd", "a\"b\\\\c\\nd");
}

static void expect_prom_value(double v, const char *want)
{
    textbuf b;
    textbuf_init(&b);
    textfmt_prom_value(&b, v);
    assert_string_equal(b.data, want);
    textbuf_free(&b);
}

static void test_numbers(void **state)
{
    (void)state;
    char s[TEXTFMT_NUMBER_SIZE];
    struct {
        double v;
        const char *want;
    } cases[] = {{0, "0"},
                 {-0.0, "0"},
                 {1500000, "1500000"},
                 {0.0123, "0.0123"},
                 {12.345678, "12.3457"},
                 {1234567.891, "1234567.89"},
                 {0.000012, "1.2e-05"},
                 {1.5e20, "1.5e+20"},
                 {NAN, "n/a"},
                 {-INFINITY, "-inf"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        textfmt_number(s, sizeof(s), cases[i].v);
        assert_string_equal(s, cases[i].want);
    }
    textfmt_percent_change(s, sizeof(s), 60.78431);
    assert_string_equal(s, "+60.8%");
    textfmt_percent_change(s, sizeof(s), -0.04);
    assert_string_equal(s, "0.0%");
    textfmt_percent_change(s, sizeof(s), NAN);
    assert_string_equal(s, "n/a");
    textfmt_seconds(s, sizeof(s), 1250);
    assert_string_equal(s, "1.250");
    expect_prom_value(1500, "1500");
    expect_prom_value(0.1, "0.1");
    expect_prom_value(1777874404.25, "1777874404.25");
    expect_prom_value(NAN, "NaN");
    expect_prom_value(-INFINITY, "-Inf");
    /* the cases of the host's old /metrics writer (core/daemon) */
    expect_prom_value(42, "42");
    expect_prom_value(-1.5e-7, "-1.5e-07");
    expect_prom_value(INFINITY, "+Inf");
    /* 0.1 + 0.2 needs 17 digits to read back the same */
    expect_prom_value(0.1 + 0.2, "0.30000000000000004");
}

static void test_prometheus_family(void **state)
{
    (void)state;
    textbuf b = TEXTBUF_INIT;
    textfmt_prom_family(&b, "nbaq_up", "counter", "Up \\ down\nnext");
    assert_string_equal(textbuf_cstr(&b), "# HELP nbaq_up Up \\\\ down\\nnext\n"
                                          "# TYPE nbaq_up counter\n");
    textbuf_free(&b);
}

static void test_textbuf_grows(void **state)
{
    (void)state;
    textbuf b;
    textbuf_init(&b);
    for (int i = 0; i < 10000; i++)
        textbuf_printf(&b, "%05d,", i);
    assert_false(textbuf_failed(&b));
    assert_int_equal(b.len, 60000);
    assert_memory_equal(b.data + 59994, "09999,", 6);
    char big[1000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    textbuf_printf(&b, "%s", big);
    assert_int_equal(b.len, 60999);
    textbuf_free(&b);
}

static void test_textbuf_clear_and_fail(void **state)
{
    (void)state;
    textbuf b;
    textbuf_init(&b);
    textbuf_clear(&b); /* nothing allocated yet */
    assert_int_equal(b.len, 0);
    textbuf_puts(&b, "first");
    textbuf_fail(&b);
    textbuf_puts(&b, " more");
    assert_true(textbuf_failed(&b));
    assert_int_equal(b.len, 5); /* appends after a failure do nothing */
    textbuf_clear(&b);
    assert_false(textbuf_failed(&b));
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    textbuf_puts(&b, "second");
    assert_string_equal(b.data, "second");
    textbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_xml),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_checks),
        cmocka_unit_test(test_markdown),
        cmocka_unit_test(test_prometheus_names),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_prometheus_family),
        cmocka_unit_test(test_line_text),
        cmocka_unit_test(test_exact_numbers),
        cmocka_unit_test(test_textbuf_grows),
        cmocka_unit_test(test_textbuf_clear_and_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
