/* Unit tests: name sanitizing, unique names, the unit mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cw_names.h"
#include "cw_units.h"

static void sanitize_keeps_printable_ascii(void **state)
{
    char out[CW_NAME_MAX + 1];
    (void)state;
    assert_int_equal(cw_sanitize("email.null_rate", CW_TEXT_NAME, out), 0);
    assert_string_equal(out, "email.null_rate");
    assert_int_equal(cw_sanitize("a b/c#d:e", CW_TEXT_NAME, out), 0);
    assert_string_equal(out, "a b/c#d:e");
}

static void sanitize_replaces_each_code_point(void **state)
{
    char out[CW_NAME_MAX + 1];
    (void)state;
    /* é (2 bytes), tab, 漢 (3 bytes), newline: one _ each */
    assert_int_equal(
        cw_sanitize("caf\xC3\xA9\t\xE6\xBC\xA2\n", CW_TEXT_NAME, out), 1);
    assert_string_equal(out, "caf____");
    /* three invalid bytes: three '_' */
    cw_sanitize("x\xFF\xFE\xC3", CW_TEXT_NAME, out);
    assert_string_equal(out, "x___");
}

static void sanitize_leading_colon_and_blank(void **state)
{
    char out[CW_DIM_VALUE_MAX + 1];
    (void)state;
    cw_sanitize(":name", CW_TEXT_NAME, out);
    assert_string_equal(out, "_name");
    cw_sanitize(":value", CW_TEXT_VALUE, out);
    assert_string_equal(out, ":value");
    cw_sanitize("", CW_TEXT_NAME, out);
    assert_string_equal(out, "_");
    cw_sanitize(NULL, CW_TEXT_VALUE, out);
    assert_string_equal(out, "_");
    cw_sanitize("   ", CW_TEXT_NAME, out);
    assert_string_equal(out, "_");
}

static void sanitize_cuts_to_the_limit(void **state)
{
    char in[2000], out[CW_DIM_VALUE_MAX + 1];
    (void)state;
    memset(in, 'a', sizeof in - 1);
    in[sizeof in - 1] = '\0';
    cw_sanitize(in, CW_TEXT_NAME, out);
    assert_int_equal(strlen(out), 255);
    cw_sanitize(in, CW_TEXT_VALUE, out);
    assert_int_equal(strlen(out), 1024);
}

static void text_problems(void **state)
{
    (void)state;
    assert_null(cw_text_problem("nbaq/quality", CW_TEXT_NAME));
    assert_non_null(cw_text_problem("", CW_TEXT_NAME));
    assert_non_null(cw_text_problem(":x", CW_TEXT_NAME));
    assert_null(cw_text_problem(":x", CW_TEXT_VALUE));
    assert_non_null(cw_text_problem("  ", CW_TEXT_VALUE));
    assert_non_null(cw_text_problem("caf\xC3\xA9", CW_TEXT_VALUE));
}

static void nameset_suffixes(void **state)
{
    cw_nameset set;
    char a[CW_NAME_MAX + 1] = "rows", b[CW_NAME_MAX + 1] = "rows";
    char c[CW_NAME_MAX + 1] = "CheckStatus", d[CW_NAME_MAX + 1] = "rows_2";
    (void)state;
    cw_nameset_init(&set);
    assert_int_equal(cw_nameset_reset(&set, 8), 0);
    assert_int_equal(cw_nameset_reserve(&set, "CheckStatus"), 0);
    assert_int_equal(cw_nameset_claim(&set, a), 0);
    assert_int_equal(cw_nameset_claim(&set, b), 1);
    assert_string_equal(b, "rows_2");
    assert_int_equal(cw_nameset_claim(&set, c), 1);
    assert_string_equal(c, "CheckStatus_2");
    assert_int_equal(cw_nameset_claim(&set, d), 1);
    assert_string_equal(d, "rows_2_2");
    cw_nameset_free(&set);
}

static void nameset_suffix_fits_the_limit(void **state)
{
    cw_nameset set;
    char a[CW_NAME_MAX + 1], b[CW_NAME_MAX + 1];
    (void)state;
    memset(a, 'n', CW_NAME_MAX);
    a[CW_NAME_MAX] = '\0';
    memcpy(b, a, sizeof a);
    cw_nameset_init(&set);
    assert_int_equal(cw_nameset_reset(&set, 2), 0);
    cw_nameset_claim(&set, a);
    assert_int_equal(cw_nameset_claim(&set, b), 1);
    assert_int_equal(strlen(b), CW_NAME_MAX);
    assert_string_equal(b + CW_NAME_MAX - 2, "_2");
    assert_int_equal(strncmp(a, b, CW_NAME_MAX - 2), 0);
    cw_nameset_free(&set);
}

static void units(void **state)
{
    (void)state;
    assert_string_equal(cw_unit_for("s"), "Seconds");
    assert_string_equal(cw_unit_for("seconds"), "Seconds");
    assert_string_equal(cw_unit_for("ms"), "Milliseconds");
    assert_string_equal(cw_unit_for("B"), "Bytes");
    assert_string_equal(cw_unit_for("MiB"), "Megabytes");
    assert_string_equal(cw_unit_for("%"), "Percent");
    assert_string_equal(cw_unit_for("rows"), "Count");
    assert_string_equal(cw_unit_for("Objects"), "Count");
    assert_string_equal(cw_unit_for("rows/s"), "Count/Second");
    assert_string_equal(cw_unit_for("MB/s"), "Megabytes/Second");
    assert_string_equal(cw_unit_for("count/second"), "Count/Second");
    assert_string_equal(cw_unit_for("ratio"), "None");
    assert_string_equal(cw_unit_for("b"), "None");
    assert_string_equal(cw_unit_for(""), "None");
    assert_string_equal(cw_unit_for(NULL), "None");
    assert_string_equal(cw_unit_canonical("count/SECOND"), "Count/Second");
    assert_null(cw_unit_canonical("rows"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sanitize_keeps_printable_ascii),
        cmocka_unit_test(sanitize_replaces_each_code_point),
        cmocka_unit_test(sanitize_leading_colon_and_blank),
        cmocka_unit_test(sanitize_cuts_to_the_limit),
        cmocka_unit_test(text_problems),
        cmocka_unit_test(nameset_suffixes),
        cmocka_unit_test(nameset_suffix_fits_the_limit),
        cmocka_unit_test(units),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
