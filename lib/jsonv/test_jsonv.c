/*
 * test_jsonv.c - the validator against hand-written documents.
 *
 * The y_/n_ tables follow the categories of the JSONTestSuite (accepted,
 * rejected); every case is written here by hand, with the verdict, and for
 * rejected ones the reason and, where it matters, the position worked out
 * by counting bytes. Every case is also fed split at every position, byte
 * by byte, and in random pieces: the result must not change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonv.h"
#include "jsonv_blocks.h"
#include "jsonv_ws.h"

typedef struct field_spec {
    const char *pointer;
    jsonv_type type;
} field_spec;

typedef struct json_case {
    const char *name;
    const char *text;
    size_t len;
    jsonv_verdict verdict;
    const char *reason; /* substring of the reason; NULL: not checked   */
    uint64_t line;      /* 0: position not checked                       */
    uint64_t column;
    uint64_t offset;
} json_case;

#define Y(n, t)                                                                \
    {                                                                          \
        n, t, sizeof(t) - 1, JSONV_VALID, NULL, 0, 0, 0                        \
    }
#define N(n, t, r)                                                             \
    {                                                                          \
        n, t, sizeof(t) - 1, JSONV_INVALID, r, 0, 0, 0                         \
    }
#define NP(n, t, r, l, c, o)                                                   \
    {                                                                          \
        n, t, sizeof(t) - 1, JSONV_INVALID, r, l, c, o                         \
    }
#define E(n, t)                                                                \
    {                                                                          \
        n, t, sizeof(t) - 1, JSONV_EMPTY, NULL, 0, 0, 0                        \
    }

/* ------------------------------------------------------------------------ */
/* Feeding helpers                                                          */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t rng_next(void)
{
    /* xorshift64*: deterministic, so a failure can be replayed */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Dull;
}

static jsonv_validator *make_validator(const jsonv_options *opt,
                                       const field_spec *fields)
{
    jsonv_validator *v = jsonv_new(opt);
    assert_non_null(v);
    for (size_t i = 0; fields && fields[i].pointer; i++) {
        char err[256];
        assert_int_equal(jsonv_require(v, fields[i].pointer, fields[i].type,
                                       err, sizeof err),
                         0);
    }
    return v;
}

/* Feeds text in pieces cut at cuts[0..ncuts) (ascending offsets). */
static jsonv_result feed_cut(const jsonv_options *opt, const field_spec *fields,
                             const char *text, size_t len, const size_t *cuts,
                             size_t ncuts)
{
    jsonv_validator *v = make_validator(opt, fields);
    size_t from = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t to = i < ncuts ? cuts[i] : len;
        /* copy each piece so that ASan sees reads past its end */
        char *piece = malloc(to - from + 1);
        assert_non_null(piece);
        memcpy(piece, text + from, to - from);
        jsonv_feed(v, piece, to - from);
        free(piece);
        from = to;
    }
    jsonv_finish(v);
    jsonv_result r = *jsonv_get_result(v);
    jsonv_free(v);
    return r;
}

static void assert_same_result(const jsonv_result *a, const jsonv_result *b,
                               const char *name, const char *how)
{
    if (a->verdict != b->verdict || a->offset != b->offset ||
        a->line != b->line || a->column != b->column ||
        strcmp(a->reason, b->reason) != 0 || a->documents != b->documents) {
        char da[256], db[256];
        fail_msg("%s (%s): got '%s' [%d, docs %llu], whole input gave '%s' "
                 "[%d, docs %llu]",
                 name, how, jsonv_describe(b, db, sizeof db), b->verdict,
                 (unsigned long long)b->documents,
                 jsonv_describe(a, da, sizeof da), a->verdict,
                 (unsigned long long)a->documents);
    }
}

/* The whole input at once, then every split into two, byte by byte, and
 * random pieces: all must agree. Returns the whole-input result.        */
static jsonv_result check_splits(const jsonv_options *opt,
                                 const field_spec *fields, const char *name,
                                 const char *text, size_t len)
{
    jsonv_result whole = feed_cut(opt, fields, text, len, NULL, 0);
    for (size_t cut = 0; cut <= len; cut++) {
        jsonv_result r = feed_cut(opt, fields, text, len, &cut, 1);
        assert_same_result(&whole, &r, name, "two pieces");
    }
    size_t *cuts = malloc((len + 1) * sizeof *cuts);
    assert_non_null(cuts);
    for (size_t i = 0; i < len; i++)
        cuts[i] = i;
    jsonv_result r = feed_cut(opt, fields, text, len, cuts, len);
    assert_same_result(&whole, &r, name, "byte by byte");
    for (int round = 0; round < 8; round++) {
        size_t n = 0;
        for (size_t at = 0; at < len; at += 1 + rng_next() % 23)
            cuts[n++] = at;
        r = feed_cut(opt, fields, text, len, cuts, n);
        assert_same_result(&whole, &r, name, "random pieces");
    }
    free(cuts);
    return whole;
}

static void check_case(const jsonv_options *opt, const field_spec *fields,
                       const json_case *c)
{
    jsonv_result r = check_splits(opt, fields, c->name, c->text, c->len);
    char desc[256];
    if (r.verdict != c->verdict)
        fail_msg("%s: expected verdict %d, got %d: %s", c->name, c->verdict,
                 r.verdict, jsonv_describe(&r, desc, sizeof desc));
    if (c->reason && !strstr(r.reason, c->reason))
        fail_msg("%s: expected reason containing \"%s\", got \"%s\"", c->name,
                 c->reason, r.reason);
    if (c->line &&
        (r.line != c->line || r.column != c->column || r.offset != c->offset))
        fail_msg("%s: expected line %llu column %llu byte %llu, got %s",
                 c->name, (unsigned long long)c->line,
                 (unsigned long long)c->column, (unsigned long long)c->offset,
                 jsonv_describe(&r, desc, sizeof desc));
}

static void check_table(const jsonv_options *opt, const field_spec *fields,
                        const json_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++)
        check_case(opt, fields, &cases[i]);
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */
/* y_: accepted                                                             */

static const json_case accepted[] = {
    Y("y_array_empty", "[]"),
    Y("y_object_empty", "{}"),
    Y("y_array_nested_empty", "[[[]]]"),
    Y("y_whitespace_around", " \t\r\n[ 1 , 2 ]\n\t "),
    Y("y_structure_string_root", "\"x\""),
    Y("y_structure_number_root", "42"),
    Y("y_structure_number_root_ws", " 7 "),
    Y("y_structure_true_root", "true"),
    Y("y_structure_false_root", "false"),
    Y("y_structure_null_root", "null"),
    Y("y_number_zero", "0"),
    Y("y_number_minus_zero", "-0"),
    Y("y_number_frac_exp", "-1.5e+10"),
    Y("y_number_capital_e_neg", "[1E-2]"),
    Y("y_number_zero_frac", "[0.0]"),
    Y("y_number_minus_zero_frac_exp", "[-0.0e-0]"),
    Y("y_number_exp_no_sign", "[1e1]"),
    Y("y_number_exp_plus", "[1.0E+2]"),
    Y("y_number_huge", "[123456789012345678901234567890]"),
    Y("y_number_tiny_exp", "[1e-99999999999999999999]"),
    Y("y_object_simple",
      "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}"),
    Y("y_object_empty_key", "{\"\":0}"),
    Y("y_object_duplicate_keys", "{\"a\":1,\"a\":2}"),
    Y("y_object_spaces", "{ \"a\" : [ 1 , { } ] , \"b\" : \"\" }"),
    Y("y_string_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
    Y("y_string_escaped_nul", "[\"\\u0000\"]"),
    Y("y_string_escaped_nonchar", "[\"\\uFFFF\"]"),
    Y("y_string_escaped_lowercase_hex", "[\"\\u00e9\\u00E9\"]"),
    Y("y_string_surrogate_pair", "[\"\\uD834\\uDD1E\"]"),
    Y("y_string_surrogate_pair_max", "[\"\\uDBFF\\uDFFF\"]"),
    Y("y_string_utf8_2", "[\"\xC3\xA9\"]"),
    Y("y_string_utf8_3", "[\"\xE2\x82\xAC\"]"),
    Y("y_string_utf8_3_e0", "[\"\xE0\xA0\x80\"]"),
    Y("y_string_utf8_3_ed_max", "[\"\xED\x9F\xBF\"]"),
    Y("y_string_utf8_4", "[\"\xF0\x9D\x84\x9E\"]"),
    Y("y_string_utf8_max", "[\"\xF4\x8F\xBF\xBF\"]"),
    Y("y_string_u2028_raw", "[\"\xE2\x80\xA8\"]"),
    Y("y_string_del_raw", "[\"\x7F\"]"),
    Y("y_string_long_ascii",
      "[\"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\"]"),
    Y("y_string_long_mixed",
      "[\"abcdefghijklmno\\\"pqrstuvwxyz\xC3\xA9\xC3\xA9\xC3\xA9 0123456789"
      "abcdef\\u0041ghijklmnopq\xF0\x9D\x84\x9Erstuvwxyz\"]"),
    Y("y_string_backslash_at_16", "[\"0123456789abcde\\n0123456789abcdef\"]"),
    Y("y_literals_in_array", "[true, false, null]"),
    Y("y_deep_mixed", "[{\"a\":[{\"b\":[[{}]]}]}]"),
    Y("y_crlf_pretty", "{\r\n  \"a\": [\r\n    1,\r\n    2\r\n  ]\r\n}\r\n"),
};

static void test_accepted(void **state)
{
    (void)state;
    check_table(NULL, NULL, accepted, COUNT(accepted));
}

/* ------------------------------------------------------------------------ */
/* n_: rejected                                                             */

static const json_case rejected[] = {
    /* trailing and missing commas */
    NP("n_array_trailing_comma", "[1,]", "trailing comma before ']'", 1, 4, 3),
    NP("n_object_trailing_comma", "{\"a\":1,}", "trailing comma before '}'", 1,
       8, 7),
    NP("n_array_trailing_comma_multiline", "[\n  1,\n  ]",
       "trailing comma before ']'", 3, 3, 9),
    N("n_array_leading_comma", "[,1]", "expected a value in the array"),
    N("n_array_double_comma", "[1,,2]", "expected a value"),
    N("n_object_only_comma", "{,}", "expected a member name"),
    NP("n_array_missing_comma", "[1 2]", "expected ',' or ']'", 1, 4, 3),
    N("n_object_missing_comma", "{\"a\":1 \"b\":2}", "expected ',' or '}'"),
    /* numbers */
    NP("n_number_leading_zero", "[01]", "leading zero", 1, 3, 2),
    N("n_number_minus_leading_zero", "[-01]", "leading zero"),
    N("n_number_double_zero", "[00]", "leading zero"),
    N("n_number_plus", "[+1]", "may not start with '+'"),
    N("n_number_dot_first", "[.5]", "digit before '.'"),
    N("n_number_dot_last", "[1.]", "expected a digit after '.'"),
    N("n_number_dot_exp", "[1.e5]", "expected a digit after '.'"),
    N("n_number_exp_empty", "[1e]", "expected a digit in the exponent"),
    N("n_number_exp_sign_only", "[1e+]", "expected a digit in the exponent"),
    N("n_number_minus_only", "[-]", "expected a digit after '-'"),
    N("n_number_double_minus", "[--1]", "expected a digit after '-'"),
    N("n_number_hex", "[0x10]", "expected ',' or ']'"),
    N("n_number_two_dots", "[1.5.3]", "expected ',' or ']'"),
    N("n_number_nan", "[NaN]", "NaN is not JSON"),
    N("n_number_infinity", "[Infinity]", "Infinity is not JSON"),
    N("n_number_minus_infinity", "[-Infinity]", "-Infinity is not JSON"),
    N("n_number_root_leading_zero", "012", "leading zero"),
    N("n_number_root_dot", "1.", "unexpected end of input inside a number"),
    N("n_number_root_minus", "-", "unexpected end of input inside a number"),
    /* literals */
    N("n_literal_short", "[tru]", "expected 'true'"),
    N("n_literal_capital", "[True]", "expected a value in the array"),
    N("n_literal_nan_lower", "[nan]", "expected 'null'"),
    N("n_literal_long", "[truee]", "expected ',' or ']'"),
    N("n_literal_root_cut", "fals",
      "unexpected end of input inside a "
      "literal"),
    /* comments and quotes */
    N("n_comment_line_after", "[1]//c", "unexpected '/' after the end"),
    N("n_comment_block_before", "/* c */[1]", "comments are not allowed"),
    N("n_comment_inside", "[1/**/]", "comments are not allowed"),
    N("n_string_single_quotes", "['a']", "double quotes, not single"),
    N("n_object_unquoted_key", "{a:1}", "member name in double quotes"),
    N("n_object_number_key", "{1:1}", "member name in double quotes"),
    /* structure */
    NP("n_object_missing_colon", "{\"a\" 1}", "expected ':'", 1, 6, 5),
    N("n_object_missing_value", "{\"a\":}", "expected a value after ':'"),
    N("n_array_unclosed", "[", "unexpected end of input inside an array"),
    N("n_array_unclosed_value", "[1", "unexpected end of input"),
    N("n_array_unclosed_comma", "[1,", "unexpected end of input after ','"),
    N("n_object_unclosed", "{\"a\":1",
      "unexpected end of input inside an "
      "object"),
    N("n_object_unclosed_after_value", "{\"a\":true",
      "unexpected end of input inside an object"),
    N("n_object_key_only", "{\"a\"",
      "unexpected end of input after a "
      "member name"),
    N("n_object_after_colon", "{\"a\":", "unexpected end of input after ':'"),
    NP("n_string_unclosed", "\"abc",
       "unexpected end of input inside a "
       "string",
       1, 5, 4),
    N("n_string_unclosed_escape", "[\"\\u12", "inside a string"),
    N("n_array_extra_close", "[1]]", "unexpected ']' after the end"),
    N("n_object_extra_close", "{}}", "unexpected '}' after the end"),
    N("n_structure_close_only", "]", "expected a value, found ']'"),
    N("n_structure_mismatch_array", "[1}", "expected ',' or ']'"),
    N("n_structure_mismatch_object", "{\"a\":1]", "expected ',' or '}'"),
    NP("n_structure_two_arrays", "[1][2]", "after the end of the document", 1,
       4, 3),
    N("n_structure_two_numbers", "1 2", "unexpected '2' after the end"),
    N("n_structure_two_objects", "{} {}", "unexpected '{' after the end"),
    N("n_structure_two_strings", "\"a\"\"b\"", "after the end"),
    NP("n_structure_bom", "\xEF\xBB\xBF[]", "byte order mark", 1, 1, 0),
    N("n_structure_utf8_outside_string", "[\xC3\xA9]",
      "expected a value in the array, found byte 0xC3"),
    N("n_structure_nul_outside", "[1]\0", "unexpected byte 0x00 after"),
    /* strings: control characters and escapes */
    NP("n_string_raw_tab", "[\"a\tb\"]", "unescaped control character U+0009",
       1, 4, 3),
    N("n_string_raw_newline", "[\"a\nb\"]",
      "unescaped control character U+000A"),
    N("n_string_raw_nul", "[\"a\0b\"]", "unescaped control character U+0000"),
    N("n_string_raw_unit_sep", "[\"\x1F\"]",
      "unescaped control character U+001F"),
    NP("n_string_bad_escape", "[\"\\x\"]",
       "invalid escape: '\\' followed by "
       "'x'",
       1, 4, 3),
    N("n_string_escaped_quote_single", "[\"\\'\"]", "invalid escape"),
    N("n_string_escape_capital_u", "[\"\\U0041\"]", "invalid escape"),
    N("n_string_bad_hex", "[\"\\u00G0\"]", "'G' is not a hex digit"),
    N("n_string_short_hex", "[\"\\u12\"]", "'\"' is not a hex digit"),
    NP("n_string_lone_high_surrogate", "[\"\\uD800\"]",
       "unpaired surrogate \\uD800", 1, 9, 8),
    N("n_string_high_then_char", "[\"\\uD800x\"]",
      "unpaired surrogate \\uD800"),
    NP("n_string_high_then_bmp", "[\"\\uD800\\u0041\"]",
       "\\u0041 is not a low surrogate", 1, 9, 8),
    N("n_string_high_then_high", "[\"\\uD800\\uD800\"]",
      "is not a low surrogate"),
    NP("n_string_lone_low_surrogate", "[\"\\uDC00\"]",
       "unpaired low surrogate \\uDC00", 1, 3, 2),
    N("n_string_high_then_escape", "[\"\\uD800\\n\"]",
      "no \\uDC00..\\uDFFF follows"),
    /* strings: UTF-8 */
    NP("n_utf8_lone_continuation", "[\"\x80\"]",
       "unexpected continuation byte 0x80", 1, 3, 2),
    N("n_utf8_overlong_c0", "[\"\xC0\xAF\"]",
      "overlong encoding (lead byte "
      "0xC0)"),
    N("n_utf8_overlong_c1", "[\"\xC1\xBF\"]", "overlong encoding"),
    NP("n_utf8_overlong_3", "[\"\xE0\x80\xAF\"]",
       "overlong encoding (0xE0 0x80)", 1, 4, 3),
    N("n_utf8_overlong_4", "[\"\xF0\x80\x80\xAF\"]",
      "overlong encoding (0xF0 0x80)"),
    N("n_utf8_surrogate_high", "[\"\xED\xA0\x80\"]", "encoded surrogate"),
    N("n_utf8_surrogate_low", "[\"\xED\xBF\xBF\"]", "encoded surrogate"),
    N("n_utf8_above_max", "[\"\xF4\x90\x80\x80\"]", "above U+10FFFF (0xF4"),
    N("n_utf8_lead_f5", "[\"\xF5\x80\x80\x80\"]",
      "above U+10FFFF (lead "
      "byte 0xF5)"),
    N("n_utf8_byte_ff", "[\"\xFF\"]", "byte 0xFF never appears"),
    N("n_utf8_truncated_2", "[\"\xC3\"]",
      "truncated sequence (lead byte "
      "0xC3, then byte 0x22)"),
    N("n_utf8_truncated_3", "[\"\xE2\x82\"]", "truncated sequence"),
    N("n_utf8_truncated_ascii", "[\"\xC3\x28\"]", "truncated sequence"),
    N("n_utf8_truncated_at_end", "[\"\xF0\x9D\x84", "inside a string"),
    /* column counts characters: '[' '"' 'é' '"' ',' ' ' 'x' */
    NP("n_column_counts_characters", "[\"\xC3\xA9\", x]",
       "expected a value in the array, found 'x'", 1, 7, 7),
    NP("n_column_after_4_byte", "{\"\xF0\x9D\x84\x9E\xE2\x82\xAC\":1,}",
       "trailing comma", 1, 9, 13),
};

static void test_rejected(void **state)
{
    (void)state;
    check_table(NULL, NULL, rejected, COUNT(rejected));
}

static const json_case empty_inputs[] = {
    E("empty_nothing", ""),
    E("empty_whitespace", " \t\r\n \n"),
};

static void test_empty(void **state)
{
    (void)state;
    check_table(NULL, NULL, empty_inputs, COUNT(empty_inputs));
    jsonv_options lines = {.mode = JSONV_MODE_LINES};
    check_table(&lines, NULL, empty_inputs, COUNT(empty_inputs));
}

/* ------------------------------------------------------------------------ */
/* JSON Lines                                                               */

static const json_case lines_cases[] = {
    Y("lines_two", "{\"a\":1}\n{\"a\":2}\n"),
    Y("lines_blank_and_no_final_newline", "\n{\"a\":1}\n\n  \t\n[2]"),
    Y("lines_crlf", "[1]\r\n[2]\r\n"),
    Y("lines_scalars", "1\n\"two\"\nnull\n-4.5e1\n"),
    NP("lines_document_spans_lines", "{\"a\":1}\n{\"a\":\n2}\n",
       "line ends before the document is complete", 2, 6, 13),
    NP("lines_trailing_comma_line_3", "[1]\n[2]\n[3,]\n[4]\n",
       "trailing comma before ']'", 3, 4, 11),
    NP("lines_two_documents_on_a_line", "{\"a\":1} {\"b\":2}\n",
       "unexpected '{' after the document (one document per line)", 1, 9, 8),
    NP("lines_unclosed_last_line", "[1]\n[2", "unexpected end of input", 2, 3,
       6),
    N("lines_string_with_raw_newline", "[\"a\nb\"]\n",
      "unescaped control character U+000A"),
};

static void test_lines(void **state)
{
    (void)state;
    jsonv_options lines = {.mode = JSONV_MODE_LINES};
    check_table(&lines, NULL, lines_cases, COUNT(lines_cases));

    jsonv_result r;
    assert_int_equal(jsonv_validate(&lines, "[1]\n\n[2]\n{}", 11, &r), 0);
    assert_int_equal(r.documents, 3);
    /* the same text is one document too many in DOCUMENT mode */
    assert_int_equal(jsonv_validate(NULL, "[1]\n\n[2]\n{}", 11, &r), -1);
    assert_int_equal(r.line, 3);
    assert_int_equal(r.column, 1);
}

/* ------------------------------------------------------------------------ */
/* Required fields                                                          */

static const field_spec id_integer[] = {{"/id", JSONV_TYPE_INTEGER}, {0}};

static const json_case id_cases[] = {
    Y("field_integer", "{\"id\":5}"),
    Y("field_integer_negative_root_order", "{\"x\":[1],\"id\":-12}"),
    NP("field_integer_is_fraction", "{\"id\":5.0}",
       "field '/id' is a number with a fraction or exponent, expected integer",
       1, 10, 9),
    N("field_integer_is_exponent", "{\"id\":5e0}", "expected integer"),
    NP("field_integer_is_string", "{\"id\":\"5\"}",
       "field '/id' is a string, expected integer", 1, 7, 6),
    NP("field_missing", "{\"ID\":5}", "missing required field '/id'", 1, 9, 8),
    N("field_deeper_does_not_count", "{\"x\":{\"id\":1}}",
      "missing required field '/id'"),
    N("field_root_not_object", "[{\"id\":1}]", "missing required field"),
    N("field_second_occurrence_checked", "{\"id\":1,\"id\":\"x\"}",
      "is a string"),
};

static const field_spec nested[] = {
    {"/user/name", JSONV_TYPE_STRING},
    {"/items/1/sku", JSONV_TYPE_STRING},
    {"/a~1b", JSONV_TYPE_NUMBER},
    {"/m~0n", JSONV_TYPE_ANY},
    {"/\xC3\xA9", JSONV_TYPE_BOOLEAN},
    {"/tags", JSONV_TYPE_ARRAY},
    {"/meta", JSONV_TYPE_OBJECT},
    {"/gone", JSONV_TYPE_NULL},
    {0},
};

#define NESTED_OK_TAIL                                                         \
    "\"a/b\":1.5,\"m~n\":[],\"\\u00e9\":true,\"tags\":[],\"meta\":{},"         \
    "\"gone\":null}"

static const json_case nested_cases[] = {
    Y("nested_all_present",
      "{\"user\":{\"name\":\"ann\"},\"items\":[{\"sku\":\"a\"},{\"sku\":"
      "\"b\"}]," NESTED_OK_TAIL),
    Y("nested_escaped_names",
      "{\"u\\u0073er\":{\"na\\u006De\":\"ann\"},\"items\":[0,{\"sku\":\"b\"}],"
      "\"a\\/b\":2,\"m~n\":0,\"\xC3\xA9\":false,\"tags\":[1],\"meta\":{\"x\""
      ":1},\"gone\":null}"),
    N("nested_index_missing",
      "{\"user\":{\"name\":\"ann\"},\"items\":[{\"sku\":\"a\"}]"
      "," NESTED_OK_TAIL,
      "missing required field '/items/1/sku'"),
    N("nested_wrong_type_in_array",
      "{\"user\":{\"name\":\"ann\"},\"items\":[{},{\"sku\":7}]," NESTED_OK_TAIL,
      "field '/items/1/sku' is a number, expected string"),
    /* an object: /items/1/sku names its member "1" (RFC 6901) */
    Y("nested_items_is_object", "{\"user\":{\"name\":\"ann\"},\"items\":{\"1\":"
                                "{\"sku\":\"b\"}}," NESTED_OK_TAIL),
    N("nested_all_missing", "{}",
      "missing required field '/user/name' (and 7 more)"),
    N("nested_null_is_not_object",
      "{\"user\":{\"name\":\"ann\"},\"items\":[{},{\"sku\":\"b\"}],"
      "\"a/b\":1,\"m~n\":0,\"\\u00e9\":true,\"tags\":[],\"meta\":null,"
      "\"gone\":null}",
      "field '/meta' is null, expected object"),
};

static void test_required_fields(void **state)
{
    (void)state;
    check_table(NULL, id_integer, id_cases, COUNT(id_cases));
    check_table(NULL, nested, nested_cases, COUNT(nested_cases));
}

static void test_required_root_and_index(void **state)
{
    (void)state;
    static const field_spec root_object[] = {{"", JSONV_TYPE_OBJECT}, {0}};
    static const json_case root_cases[] = {
        Y("root_object", "{}"),
        NP("root_array", "[1]", "field '' is an array, expected object", 1, 1,
           0),
    };
    check_table(NULL, root_object, root_cases, COUNT(root_cases));

    /* "01" is not an array index: it only names a member "01" */
    static const field_spec leading_zero[] = {{"/01", JSONV_TYPE_ANY}, {0}};
    static const json_case index_cases[] = {
        N("index_leading_zero", "[0,1]", "missing required field '/01'"),
        Y("index_leading_zero_member", "{\"01\":0}"),
    };
    check_table(NULL, leading_zero, index_cases, COUNT(index_cases));

    static const field_spec second[] = {{"/1", JSONV_TYPE_INTEGER}, {0}};
    static const json_case second_cases[] = {
        Y("index_second", "[\"a\",7,\"c\"]"),
        N("index_second_wrong", "[\"a\",\"b\"]", "field '/1' is a string"),
        N("index_second_missing", "[\"a\"]", "missing required field '/1'"),
        Y("index_second_member", "{\"1\":3}"),
    };
    check_table(NULL, second, second_cases, COUNT(second_cases));
}

static void test_required_lines(void **state)
{
    (void)state;
    jsonv_options lines = {.mode = JSONV_MODE_LINES};
    static const json_case cases[] = {
        Y("lines_fields_ok", "{\"id\":1}\n{\"id\":2,\"x\":[]}\n"),
        NP("lines_fields_missing_line_2", "{\"id\":1}\n{\"x\":2}\n{\"id\":3}\n",
           "missing required field '/id'", 2, 8, 16),
        NP("lines_fields_number_at_end", "{\"id\":1}\n5", "missing required", 2,
           2, 10),
    };
    check_table(&lines, id_integer, cases, COUNT(cases));
}

static void test_required_number_at_end(void **state)
{
    (void)state;
    static const field_spec root_integer[] = {{"", JSONV_TYPE_INTEGER}, {0}};
    static const json_case cases[] = {
        Y("root_integer", "12"),
        NP("root_integer_fraction", "1.5", "expected integer", 1, 4, 3),
    };
    check_table(NULL, root_integer, cases, COUNT(cases));
}

static void test_required_long_name(void **state)
{
    (void)state;
    /* a member name longer than any token is not copied, and cannot match;
     * one exactly as long as the token matches */
    size_t long_len = JSONV_MAX_TOKEN_BYTES * 6 + 100;
    char token[JSONV_MAX_TOKEN_BYTES + 2];
    memset(token, 'k', JSONV_MAX_TOKEN_BYTES);
    token[JSONV_MAX_TOKEN_BYTES] = '\0';
    char pointer[JSONV_MAX_TOKEN_BYTES + 8];
    snprintf(pointer, sizeof pointer, "/%s", token);
    field_spec fields[] = {{pointer, JSONV_TYPE_INTEGER}, {0}};

    char *doc = malloc(long_len + JSONV_MAX_TOKEN_BYTES + 64);
    assert_non_null(doc);
    size_t n = 0;
    doc[n++] = '{';
    doc[n++] = '"';
    memset(doc + n, 'k', long_len);
    n += long_len;
    n += (size_t)sprintf(doc + n, "\":1,\"%s\":2}", token);
    jsonv_validator *v = make_validator(NULL, fields);
    jsonv_feed(v, doc, n);
    assert_int_equal(jsonv_finish(v), 0);
    jsonv_free(v);

    /* only the over-long name: missing */
    n = 2 + long_len;
    n += (size_t)sprintf(doc + n, "\":1}");
    v = make_validator(NULL, fields);
    jsonv_feed(v, doc, n);
    assert_int_equal(jsonv_finish(v), -1);
    assert_non_null(strstr(jsonv_get_result(v)->reason, "missing required"));
    jsonv_free(v);
    free(doc);
}

static void test_pointer_errors(void **state)
{
    (void)state;
    jsonv_validator *v = jsonv_new(NULL);
    char err[256];
    assert_int_equal(jsonv_require(v, "a/b", JSONV_TYPE_ANY, err, sizeof err),
                     -1);
    assert_string_equal(err, "JSON Pointer 'a/b' must be empty or start "
                             "with '/'");
    assert_int_equal(jsonv_require(v, "/a~2", JSONV_TYPE_ANY, err, sizeof err),
                     -1);
    assert_string_equal(err, "JSON Pointer '/a~2': '~' must be followed by "
                             "0 or 1");
    assert_int_equal(jsonv_require(v, "/a~", JSONV_TYPE_ANY, err, sizeof err),
                     -1);
    char deep[JSONV_MAX_POINTER_DEPTH * 2 + 8] = "";
    for (int i = 0; i <= JSONV_MAX_POINTER_DEPTH; i++)
        strcat(deep, "/x");
    assert_int_equal(jsonv_require(v, deep, JSONV_TYPE_ANY, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "has more than 32 tokens"));
    for (int i = 0; i < JSONV_MAX_FIELDS; i++) {
        char p[16];
        snprintf(p, sizeof p, "/f%d", i);
        assert_int_equal(jsonv_require(v, p, JSONV_TYPE_ANY, err, sizeof err),
                         0);
    }
    assert_int_equal(
        jsonv_require(v, "/one_more", JSONV_TYPE_ANY, err, sizeof err), -1);
    assert_non_null(strstr(err, "more than 64 required fields"));
    jsonv_free(v);

    jsonv_type t;
    assert_int_equal(jsonv_type_parse("integer", &t), 0);
    assert_int_equal(t, JSONV_TYPE_INTEGER);
    assert_int_equal(jsonv_type_parse("int", &t), -1);
    assert_string_equal(jsonv_type_name(JSONV_TYPE_NULL), "null");
}

/* ------------------------------------------------------------------------ */
/* Depth                                                                    */

static char *nested_arrays(size_t depth, int close, size_t *len)
{
    char *s = malloc(depth * 2);
    assert_non_null(s);
    memset(s, '[', depth);
    if (close)
        memset(s + depth, ']', depth);
    *len = close ? depth * 2 : depth;
    return s;
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t len;
    char *doc = nested_arrays(1000000, 1, &len);
    jsonv_result r;
    assert_int_equal(jsonv_validate(NULL, doc, len, &r), 0);

    /* the same, 4 KB at a time */
    jsonv_validator *v = jsonv_new(NULL);
    for (size_t at = 0; at < len; at += 4096)
        assert_int_equal(
            jsonv_feed(v, doc + at, len - at < 4096 ? len - at : 4096), 0);
    assert_int_equal(jsonv_finish(v), 0);
    jsonv_free(v);
    free(doc);

    doc = nested_arrays(1000000, 0, &len);
    assert_int_equal(jsonv_validate(NULL, doc, len, &r), -1);
    assert_string_equal(r.reason, "unexpected end of input inside an array");
    assert_int_equal(r.offset, 1000000);
    free(doc);

    /* objects and arrays alternating, deep: {"a":[{"a":[ ... ]}]} */
    size_t levels = 200000;
    char *mixed = malloc(levels * 8 + 16);
    assert_non_null(mixed);
    size_t n = 0;
    for (size_t i = 0; i < levels; i++)
        n += (size_t)sprintf(mixed + n, i % 2 ? "[" : "{\"a\":");
    for (size_t i = levels; i-- > 0;)
        mixed[n++] = i % 2 ? ']' : '}';
    assert_int_equal(jsonv_validate(NULL, mixed, n, &r), 0);
    mixed[n - 1] = ']'; /* the last closer must be '}' */
    assert_int_equal(jsonv_validate(NULL, mixed, n, &r), -1);
    assert_non_null(strstr(r.reason, "expected ',' or '}'"));
    free(mixed);
}

static void test_depth_limit(void **state)
{
    (void)state;
    jsonv_options opt = {.max_depth = 100};
    size_t len;
    char *doc = nested_arrays(100, 1, &len);
    jsonv_result r;
    assert_int_equal(jsonv_validate(&opt, doc, len, &r), 0);
    free(doc);
    doc = nested_arrays(101, 1, &len);
    assert_int_equal(jsonv_validate(&opt, doc, len, &r), -1);
    assert_int_equal(r.verdict, JSONV_INVALID);
    assert_string_equal(r.reason, "nesting deeper than 100 levels "
                                  "(max_depth)");
    assert_int_equal(r.offset, 100);
    assert_int_equal(r.column, 101);
    free(doc);
    /* objects count too */
    opt.max_depth = 2;
    assert_int_equal(jsonv_validate(&opt, "{\"a\":[1]}", 9, &r), 0);
    assert_int_equal(jsonv_validate(&opt, "{\"a\":[{}]}", 10, &r), -1);
    assert_int_equal(r.offset, 6);
}

/* ------------------------------------------------------------------------ */
/* A larger document, every split, and single-byte corruptions              */

static size_t append(char *buf, size_t n, const char *s)
{
    size_t len = strlen(s);
    memcpy(buf + n, s, len);
    return n + len;
}

/* ~6 KB with every token kind, strings of every length 0..40 with a
 * special (escape, UTF-8) at every position relative to 16-byte blocks. */
static char *realistic_document(size_t *len)
{
    static const char *const specials[] = {"\\n",     "\xC3\xA9",
                                           "\\u20AC", "\xF0\x9F\x98\x80",
                                           "\\\"",    "\\uD83D\\uDE00"};
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    size_t n = append(buf, 0, "{\n  \"records\": [\n");
    for (int i = 0; i < 40; i++) {
        char item[512];
        int k = 0;
        k += sprintf(item + k, "    {\"id\": %d, \"score\": %d.%03de%+d, ",
                     i * 7919, i, i * 37 % 1000, i % 5 - 2);
        k += sprintf(item + k, "\"ok\": %s, \"none\": null, \"s\": \"",
                     i % 3 ? "true" : "false");
        for (int j = 0; j < i; j++)
            item[k++] = (char)('a' + j % 26);
        k += sprintf(item + k, "%s", specials[i % 6]);
        for (int j = 0; j < 40 - i; j++)
            item[k++] = (char)('A' + j % 26);
        k += sprintf(item + k, "\", \"t\": [%d, -0.5, \"\", []]}%s\n", -i,
                     i == 39 ? "" : ",");
        item[k] = '\0';
        n = append(buf, n, item);
    }
    n = append(buf, n, "  ]\n}\n");
    *len = n;
    return buf;
}

static void test_realistic_splits(void **state)
{
    (void)state;
    size_t len;
    char *doc = realistic_document(&len);
    static const field_spec fields[] = {{"/records/39/s", JSONV_TYPE_STRING},
                                        {"/records/0/id", JSONV_TYPE_INTEGER},
                                        {0}};
    jsonv_result r = check_splits(NULL, fields, "realistic", doc, len);
    char desc[256];
    if (r.verdict != JSONV_VALID)
        fail_msg("realistic document: %s",
                 jsonv_describe(&r, desc, sizeof desc));
    free(doc);
}

/* Every single-byte corruption of a document gives the same result fed
 * whole, byte by byte and in random pieces.                              */
static void test_corruptions_agree(void **state)
{
    (void)state;
    static const char base[] =
        "{\"a\": [1, -2.5e3, true, null], \"b\\u00e9\": \"x\xC3\xA9y\", "
        "\"c\": {\"d\": []}}";
    static const uint8_t replacements[] = {'"', '\\', ',',  ']',  '}', '0',
                                           ' ', 0x80, 0xC3, 0x00, 'e'};
    size_t len = sizeof base - 1;
    char copy[sizeof base];
    for (size_t at = 0; at < len; at++) {
        for (size_t k = 0; k < sizeof replacements; k++) {
            memcpy(copy, base, sizeof base);
            copy[at] = (char)replacements[k];
            jsonv_result whole = feed_cut(NULL, NULL, copy, len, NULL, 0);
            size_t cuts[sizeof base];
            for (size_t i = 0; i < len; i++)
                cuts[i] = i;
            jsonv_result bytes = feed_cut(NULL, NULL, copy, len, cuts, len);
            assert_same_result(&whole, &bytes, "corruption", "byte by byte");
            size_t mid = at;
            jsonv_result halves = feed_cut(NULL, NULL, copy, len, &mid, 1);
            assert_same_result(&whole, &halves, "corruption", "split at it");
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Whitespace runs: every length up to past the widest vector block (64), */
/* of several mixes of the four whitespace bytes, at several alignments.  */

/* A run of n whitespace bytes; which byte goes where depends on `seed`. */
static void whitespace_run(char *out, size_t n, unsigned seed)
{
    static const char ws[] = {' ', ' ', ' ', '\t', '\r', '\n'};
    for (size_t i = 0; i < n; i++)
        out[i] = seed == 0 ? ' ' : ws[(i * 7 + seed * 13 + i / 5) % 6];
}

/* Line and column of byte `at` of text (ASCII), counted here. */
static void position_of(const char *text, size_t at, uint64_t *line,
                        uint64_t *column)
{
    *line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at; i++) {
        if (text[i] == '\n') {
            (*line)++;
            line_start = i + 1;
        }
    }
    *column = at - line_start + 1;
}

static void test_whitespace_runs(void **state)
{
    (void)state;
    jsonv_options doc = {0}, lines = {.mode = JSONV_MODE_LINES};
    char text[256], name[64];
    for (unsigned seed = 0; seed < 3; seed++) {
        for (size_t n = 1; n <= 140; n += n < 70 ? 1 : 7) {
            size_t pad = n % 5; /* shifts the run against the blocks */
            size_t len = 0;
            memcpy(text, "[\"abc\"", 6);
            len += 6;
            memset(text + len, ' ', pad);
            len += pad;
            text[len++] = ',';
            whitespace_run(text + len, n, seed);
            len += n;
            size_t bad = len;
            text[len++] = 'x'; /* may not stand there */
            text[len++] = ']';
            snprintf(name, sizeof name, "ws run %zu, mix %u", n, seed);
            json_case c = {name,        text, len, JSONV_INVALID,
                           "found 'x'", 0,    0,   bad};
            position_of(text, bad, &c.line, &c.column);
            check_case(&doc, NULL, &c);

            text[bad] = '1'; /* the same run before a valid element */
            json_case ok = {name, text, len, JSONV_VALID, NULL, 0, 0, 0};
            check_case(&doc, NULL, &ok);

            /* JSON Lines: a newline in the run ends the document early */
            const char *newline = memchr(text + 6, '\n', bad - 6);
            if (newline) {
                size_t at = (size_t)(newline - text);
                json_case cut = {name,
                                 text,
                                 len,
                                 JSONV_INVALID,
                                 "line ends before the document is complete",
                                 1,
                                 at + 1,
                                 at};
                check_case(&lines, NULL, &cut);
            }
        }
    }
}

/* ------------------------------------------------------------------------ */
/* The structural walker (jsonv_walk.c) against the byte-at-a-time scanner */
/* Fed whole, an input of 64 bytes or more goes through the walker; fed in */
/* pieces of less than 64 bytes, only through the scanner. The two must   */
/* give the same result, message, position and document count.           */

/* Pieces of 63 bytes: the scanner alone. */
static jsonv_result feed_scanner_only(const char *text, size_t len)
{
    size_t ncuts = len / 63;
    size_t *cuts = malloc((ncuts + 1) * sizeof *cuts);
    assert_non_null(cuts);
    for (size_t i = 0; i < ncuts; i++)
        cuts[i] = (i + 1) * 63;
    jsonv_result r = feed_cut(NULL, NULL, text, len, cuts, ncuts);
    free(cuts);
    return r;
}

/* `pad` whitespace bytes (spaces and newlines, some CRs and tabs), then
 * text: the text's tokens fall at every place of the blocks and of the
 * walker's window (JSONV_WINDOW_BLOCKS blocks of 64 bytes).             */
static char *padded(const char *text, size_t len, size_t pad, size_t *out_len)
{
    char *buf = malloc(pad + len + 1);
    assert_non_null(buf);
    for (size_t i = 0; i < pad; i++)
        buf[i] = i % 61 == 60 ? '\n' : i % 97 == 3 ? '\t' : ' ';
    memcpy(buf + pad, text, len);
    *out_len = pad + len;
    return buf;
}

static void check_walker_table(const json_case *cases, size_t count)
{
    const size_t window = JSONV_WINDOW_BLOCKS * JSONV_BLOCK_BYTES;
    const size_t pads[] = {64,          65,          100,         127,
                           window - 70, window - 50, window - 34, window - 1};
    char name[128];
    for (size_t i = 0; i < count; i++) {
        for (size_t k = 0; k < COUNT(pads); k++) {
            size_t len;
            char *text = padded(cases[i].text, cases[i].len, pads[k], &len);
            snprintf(name, sizeof name, "%s after %zu blank bytes",
                     cases[i].name, pads[k]);
            jsonv_result whole = feed_cut(NULL, NULL, text, len, NULL, 0);
            jsonv_result scanned = feed_scanner_only(text, len);
            assert_same_result(&whole, &scanned, name, "walked");
            if (whole.verdict != cases[i].verdict)
                fail_msg("%s: expected verdict %d, got %d", name,
                         cases[i].verdict, whole.verdict);
            if (pads[k] < 128) /* every split of the short ones */
                check_splits(NULL, NULL, name, text, len);
            free(text);
        }
    }
}

static void test_walker_agrees(void **state)
{
    (void)state;
    check_walker_table(accepted, COUNT(accepted));
    check_walker_table(rejected, COUNT(rejected));
    check_walker_table(empty_inputs, COUNT(empty_inputs));
}

/* Single-byte corruptions of the realistic document (escapes, UTF-8,
 * every token kind, strings across blocks), at every position, give the
 * same result walked as scanned.                                         */
static void test_walker_corruptions(void **state)
{
    (void)state;
    static const uint8_t replacements[] = {'"', '\\', ',',  ']',  '}',  '0',
                                           ' ', '\n', 0x80, 0xC3, 0x00, 'e'};
    size_t len;
    char *doc = realistic_document(&len);
    char *copy = malloc(len);
    assert_non_null(copy);
    jsonv_result whole = feed_cut(NULL, NULL, doc, len, NULL, 0);
    assert_int_equal(whole.verdict, JSONV_VALID);
    /* four of the replacements at each position, in turn */
    for (size_t at = 0; at < len; at++) {
        for (size_t j = 0; j < 4; j++) {
            size_t k = (at + j * 3) % sizeof replacements;
            memcpy(copy, doc, len);
            copy[at] = (char)replacements[k];
            whole = feed_cut(NULL, NULL, copy, len, NULL, 0);
            jsonv_result scanned = feed_scanner_only(copy, len);
            assert_same_result(&whole, &scanned, "corrupted document",
                               "walked");
        }
    }
    free(copy);
    free(doc);
}

/* Long strings: plain, with escapes and UTF-8 at every distance from the
 * window's end, closing inside or past it.                               */
static void test_walker_long_strings(void **state)
{
    (void)state;
    static const char *const inserts[] = {"",     "\\n",  "\xC3\xA9",
                                          "\\\\", "\\\"", "\\uD83D\\uDE00",
                                          "\x01", "\xC3"};
    const size_t window = JSONV_WINDOW_BLOCKS * JSONV_BLOCK_BYTES;
    size_t cap = window + 256;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t n = window - 100; n < window + 100; n += 3) {
        for (size_t k = 0; k < COUNT(inserts); k++) {
            size_t len = 0;
            memcpy(text, "{\"k\": [\"", 8);
            len = 8;
            memset(text + len, 'a', n);
            len += n;
            size_t ins = strlen(inserts[k]);
            memmove(text + 8 + n / 2 + ins, text + 8 + n / 2, n - n / 2);
            memcpy(text + 8 + n / 2, inserts[k], ins);
            len += ins;
            memcpy(text + len, "\", 1]}\n", 7);
            len += 7;
            jsonv_result whole = feed_cut(NULL, NULL, text, len, NULL, 0);
            jsonv_result scanned = feed_scanner_only(text, len);
            assert_same_result(&whole, &scanned, "long string", "walked");
            if (k < 6)
                assert_int_equal(whole.verdict, JSONV_VALID);
            else
                assert_int_equal(whole.verdict, JSONV_INVALID);
        }
    }
    free(text);
}

/* ------------------------------------------------------------------------ */
/* The API around the scanner                                               */

static void test_api(void **state)
{
    (void)state;
    jsonv_validator *v = jsonv_new(NULL);
    assert_int_equal(jsonv_feed(v, "[1,", 3), 0);
    assert_int_equal(jsonv_get_result(v)->verdict, JSONV_PENDING);
    assert_int_equal(jsonv_feed(v, "]", 1), -1);
    assert_int_equal(jsonv_feed(v, "2]", 2), -1); /* stays invalid */
    assert_int_equal(jsonv_finish(v), -1);
    assert_int_equal(jsonv_get_result(v)->verdict, JSONV_INVALID);
    assert_int_equal(jsonv_get_result(v)->offset, 3);

    jsonv_reset(v);
    assert_int_equal(jsonv_feed(v, "[1,2]", 5), 0);
    assert_int_equal(jsonv_finish(v), 0);
    assert_int_equal(jsonv_finish(v), 0);        /* twice is fine */
    assert_int_equal(jsonv_feed(v, " ", 1), -1); /* but no more input */
    assert_int_equal(jsonv_get_result(v)->documents, 1);
    jsonv_free(v);
    jsonv_free(NULL);

    jsonv_result r;
    char buf[256];
    jsonv_validate(NULL, "[1,]", 4, &r);
    assert_string_equal(jsonv_describe(&r, buf, sizeof buf),
                        "line 1, column 4 (byte 3): trailing comma before ']'");
    jsonv_validate(NULL, "", 0, &r);
    assert_string_equal(jsonv_describe(&r, buf, sizeof buf), "empty");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_rejected),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_required_fields),
        cmocka_unit_test(test_required_root_and_index),
        cmocka_unit_test(test_required_lines),
        cmocka_unit_test(test_required_number_at_end),
        cmocka_unit_test(test_required_long_name),
        cmocka_unit_test(test_pointer_errors),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_realistic_splits),
        cmocka_unit_test(test_corruptions_agree),
        cmocka_unit_test(test_whitespace_runs),
        cmocka_unit_test(test_walker_agrees),
        cmocka_unit_test(test_walker_corruptions),
        cmocka_unit_test(test_walker_long_strings),
        cmocka_unit_test(test_api),
    };
    /* every whitespace kernel this build and CPU can run */
    int failed = 0, kernels = 0;
    for (int k = 0; k < JSONV_WS_KERNELS; k++) {
        if (jsonv_ws_use((jsonv_ws_kernel)k) != 0)
            continue;
        kernels++;
        printf("whitespace kernel: %s\n",
               jsonv_ws_kernel_name((jsonv_ws_kernel)k));
        failed |= cmocka_run_group_tests(tests, NULL, NULL);
    }
    return failed || kernels == 0;
}
