/* What a fork server's check child knows of its check (core/check_wire.h)
 * is what the host would have given a child it forked: the context, the
 * state saved by earlier runs, the options; a cut-short request is
 * refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check_wire.h"
#include "options.h"
#include "unit_support.h"

static const nbaq_option_spec specs[] = {
    {.name = "table", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "limit", .type = NBAQ_OPT_INT, .default_value = "10"},
    NBAQ_OPTION_END};

static arena mem;
static ydoc *doc;
static history_state_item items[] = {{"runs", "41"}, {"last", ""}};
static history_state state = {items, 2};

static nbaq_ctx host_ctx(void)
{
    static const char yaml[] = "table: orders\n";
    char err[512];
    doc = ydoc_load_string(yaml, strlen(yaml), "m.yaml", 1, err, sizeof err);
    assert_non_null(doc);
    nbaq_options *o = NULL;
    if (options_build(&mem, specs, doc->root, doc->root, "check 'rows'", "tp",
                      &o, err, sizeof err) != 0)
        fail_msg("%s", err);
    return (nbaq_ctx){.kind = NBAQ_KIND_CHECKER,
                      .flags = 5,
                      .instance = "rows",
                      .plugin = "tp",
                      .monitor = "shop",
                      .config_dir = "/etc/nbaq",
                      .cache_dir = NULL,
                      .options = o,
                      .state = &state,
                      .run_started_ms = 1765000000123,
                      .stdout_fd = 7,
                      .deadline_ms = 99};
}

static int cleanup(void **unused)
{
    (void)unused;
    ydoc_free(doc);
    doc = NULL;
    arena_free(&mem);
    return 0;
}

static void test_round_trip(void **unused)
{
    (void)unused;
    nbaq_ctx sent = host_ctx();
    textbuf sb = TEXTBUF_INIT;
    check_wire_encode(&sb, &sent);
    wire_reader r = {.pos = sb.data, .left = sb.len};
    nbaq_ctx got;
    assert_int_equal(check_wire_decode(&mem, &r, specs, "tp", &got), 0);
    assert_int_equal(got.kind, NBAQ_KIND_CHECKER);
    assert_int_equal(got.flags, 5);
    assert_string_equal(got.instance, "rows");
    assert_string_equal(got.plugin, "tp");
    assert_string_equal(got.monitor, "shop");
    assert_string_equal(got.config_dir, "/etc/nbaq");
    assert_null(got.cache_dir);
    assert_int_equal(got.run_started_ms, 1765000000123);
    /* Set in the child, never sent. */
    assert_int_equal(got.stdout_fd, -1);
    assert_int_equal(got.deadline_ms, 0);
    assert_string_equal(history_state_find(got.state, "runs"), "41");
    assert_string_equal(history_state_find(got.state, "last"), "");
    assert_null(history_state_find(got.state, "other"));
    assert_string_equal(options_string(got.options, "table"), "orders");
    assert_int_equal(options_int(got.options, "limit"), 10);
    textbuf_free(&sb);
}

static void test_without_state(void **unused)
{
    (void)unused;
    nbaq_ctx sent = host_ctx();
    sent.state = NULL; /* no history store */
    textbuf sb = TEXTBUF_INIT;
    check_wire_encode(&sb, &sent);
    wire_reader r = {.pos = sb.data, .left = sb.len};
    nbaq_ctx got;
    assert_int_equal(check_wire_decode(&mem, &r, specs, "tp", &got), 0);
    assert_null(got.state);
    textbuf_free(&sb);
}

static void test_every_cut_is_refused(void **unused)
{
    (void)unused;
    nbaq_ctx sent = host_ctx();
    textbuf sb = TEXTBUF_INIT;
    check_wire_encode(&sb, &sent);
    for (size_t len = 0; len < sb.len; len++) {
        char *copy = malloc(len ? len : 1); /* ASan sees any overread */
        assert_non_null(copy);
        memcpy(copy, sb.data, len);
        wire_reader r = {.pos = copy, .left = len};
        nbaq_ctx got;
        if (check_wire_decode(&mem, &r, specs, "tp", &got) == 0)
            fail_msg("a request cut at %zu of %zu bytes was accepted", len,
                     sb.len);
        free(copy);
    }
    textbuf_free(&sb);
}

static void test_trailing_bytes_are_refused(void **unused)
{
    (void)unused;
    nbaq_ctx sent = host_ctx();
    textbuf sb = TEXTBUF_INIT;
    check_wire_encode(&sb, &sent);
    textbuf_puts(&sb, "x");
    wire_reader r = {.pos = sb.data, .left = sb.len};
    nbaq_ctx got;
    assert_int_equal(check_wire_decode(&mem, &r, specs, "tp", &got), -1);
    textbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_round_trip, cleanup),
        cmocka_unit_test_teardown(test_without_state, cleanup),
        cmocka_unit_test_teardown(test_every_cut_is_refused, cleanup),
        cmocka_unit_test_teardown(test_trailing_bytes_are_refused, cleanup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
