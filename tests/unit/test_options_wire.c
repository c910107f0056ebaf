/* An nbaq_options tree sent to a fork server's check child
 * (core/options_wire.h) reads back the same through every accessor of
 * the host API, and a cut-short request is refused, never misread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "options.h"
#include "options_wire.h"
#include "unit_support.h"

static const char *const colors[] = {"red", "green", "blue", NULL};

static const nbaq_option_spec server_fields[] = {
    {.name = "user", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "port", .type = NBAQ_OPT_INT, .default_value = "5432"},
    NBAQ_OPTION_END};

static const nbaq_option_spec specs[] = {
    {.name = "s", .type = NBAQ_OPT_STRING, .default_value = "dflt"},
    {.name = "unset", .type = NBAQ_OPT_STRING},
    {.name = "i", .type = NBAQ_OPT_INT},
    {.name = "d", .type = NBAQ_OPT_DOUBLE},
    {.name = "b", .type = NBAQ_OPT_BOOL},
    {.name = "dur", .type = NBAQ_OPT_DURATION},
    {.name = "sz", .type = NBAQ_OPT_SIZE},
    {.name = "e", .type = NBAQ_OPT_ENUM, .choices = colors},
    {.name = "sl", .type = NBAQ_OPT_STRING_LIST},
    {.name = "sm", .type = NBAQ_OPT_STRING_MAP},
    {.name = "server", .type = NBAQ_OPT_OBJECT, .fields = server_fields},
    {.name = "servers", .type = NBAQ_OPT_OBJECT_LIST, .fields = server_fields},
    NBAQ_OPTION_END};

static const char yaml[] = "i: -42\n"
                           "d: 0.125\n"
                           "b: yes\n"
                           "dur: 1m30s\n"
                           "sz: 2K\n"
                           "e: blue\n"
                           "sl: [a, '', c]\n"
                           "sm: {k1: v1, k2: ''}\n"
                           "server: {user: bob}\n"
                           "servers:\n"
                           "  - {user: ann, port: 1}\n"
                           "  - {user: cy}\n";

static arena mem;
static ydoc *doc;

static const nbaq_options *build(void)
{
    char err[512];
    doc = ydoc_load_string(yaml, strlen(yaml), "c.yaml", 1, err, sizeof err);
    assert_non_null(doc);
    nbaq_options *o = NULL;
    if (options_build(&mem, specs, doc->root, doc->root, "check 'x'", "p", &o,
                      err, sizeof err) != 0)
        fail_msg("%s", err);
    return o;
}

static int cleanup(void **state)
{
    (void)state;
    ydoc_free(doc);
    doc = NULL;
    arena_free(&mem);
    return 0;
}

static void assert_same_server(const nbaq_options *a, const nbaq_options *b)
{
    assert_string_equal(options_string(a, "user"), options_string(b, "user"));
    assert_int_equal(options_int(a, "port"), options_int(b, "port"));
    assert_string_equal(options_location(a, "user"),
                        options_location(b, "user"));
}

static void assert_same(const nbaq_options *a, const nbaq_options *b)
{
    assert_string_equal(options_string(b, "s"), "dflt");
    assert_false(options_is_set(b, "unset"));
    assert_null(options_string(b, "unset"));
    assert_int_equal(options_int(b, "i"), -42);
    assert_true(options_double(b, "d") == 0.125);
    assert_true(options_bool(b, "b"));
    assert_int_equal(options_int(b, "dur"), 90000);
    assert_int_equal(options_int(b, "sz"), 2048);
    assert_string_equal(options_string(b, "e"), "blue");
    assert_int_equal(options_count(b, "sl"), 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(options_list_string(a, "sl", i),
                            options_list_string(b, "sl", i));
    assert_int_equal(options_count(b, "sm"), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_string_equal(options_map_key(a, "sm", i),
                            options_map_key(b, "sm", i));
        assert_string_equal(options_map_value(a, "sm", i),
                            options_map_value(b, "sm", i));
    }
    assert_same_server(options_object(a, "server"),
                       options_object(b, "server"));
    assert_int_equal(options_count(b, "servers"), 2);
    for (size_t i = 0; i < 2; i++)
        assert_same_server(options_list_object(a, "servers", i),
                           options_list_object(b, "servers", i));
    assert_string_equal(options_location(b, "sl"), "c.yaml:7:5");
}

static void test_round_trip(void **state)
{
    (void)state;
    const nbaq_options *o = build();
    textbuf sb = TEXTBUF_INIT;
    options_encode(&sb, o);
    assert_false(sb.failed);
    wire_reader r = {.pos = sb.data, .left = sb.len};
    const nbaq_options *back = options_decode(&mem, &r, specs, "p");
    assert_false(r.bad);
    assert_int_equal(r.left, 0);
    assert_non_null(back);
    assert_same(o, back);
    textbuf_free(&sb);
}

static void test_no_options(void **state)
{
    (void)state;
    textbuf sb = TEXTBUF_INIT;
    options_encode(&sb, NULL);
    wire_reader r = {.pos = sb.data, .left = sb.len};
    assert_null(options_decode(&mem, &r, specs, "p"));
    assert_false(r.bad);
    textbuf_free(&sb);
}

static void test_every_cut_is_refused(void **state)
{
    (void)state;
    textbuf sb = TEXTBUF_INIT;
    options_encode(&sb, build());
    for (size_t len = 0; len < sb.len; len++) {
        char *copy = malloc(len ? len : 1); /* ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, sb.data, len);
        wire_reader r = {.pos = copy, .left = len};
        const nbaq_options *back = options_decode(&mem, &r, specs, "p");
        if (!r.bad)
            fail_msg("a request cut at %zu of %zu bytes was accepted", len,
                     sb.len);
        assert_null(back);
        free(copy);
    }
    textbuf_free(&sb);
}

static void test_another_schema_is_refused(void **state)
{
    (void)state;
    textbuf sb = TEXTBUF_INIT;
    options_encode(&sb, build());
    wire_reader r = {.pos = sb.data, .left = sb.len};
    assert_null(options_decode(&mem, &r, server_fields, "p"));
    assert_true(r.bad);
    textbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, cleanup),
        cmocka_unit_test_teardown(test_no_options, cleanup),
        cmocka_unit_test_teardown(test_every_cut_is_refused, cleanup),
        cmocka_unit_test_teardown(test_another_schema_is_refused, cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
