/* Option validation against a plugin's schema, the accessors of the host
 * API, plugin-bug detection and the schema check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "options.h"
#include "registry.h"
#include "unit_support.h"

static const char *const colors[] = {"red", "green", "blue", NULL};

static const nbaq_option_spec server_fields[] = {
    {.name = "user", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "password", .type = NBAQ_OPT_STRING, .secret = 1},
    {.name = "port",
     .type = NBAQ_OPT_INT,
     .default_value = "5432",
     .min = 1,
     .max = 65535},
    NBAQ_OPTION_END};

static const nbaq_option_spec table_fields[] = {
    {.name = "name", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "weight", .type = NBAQ_OPT_DOUBLE, .default_value = "1.5"},
    NBAQ_OPTION_END};

static const nbaq_option_spec specs[] = {
    {.name = "s", .type = NBAQ_OPT_STRING, .default_value = "dflt"},
    {.name = "i", .type = NBAQ_OPT_INT, .min = 1, .max = 10},
    {.name = "d", .type = NBAQ_OPT_DOUBLE, .min = -1, .max = 1},
    {.name = "b", .type = NBAQ_OPT_BOOL},
    {.name = "dur",
     .type = NBAQ_OPT_DURATION,
     .default_value = "30s",
     .min = 1000,
     .max = 3600000},
    {.name = "sz", .type = NBAQ_OPT_SIZE, .default_value = "1K"},
    {.name = "e", .type = NBAQ_OPT_ENUM, .choices = colors},
    {.name = "sl", .type = NBAQ_OPT_STRING_LIST},
    {.name = "sl_default",
     .type = NBAQ_OPT_STRING_LIST,
     .default_value = "[x, y]"},
    {.name = "sm", .type = NBAQ_OPT_STRING_MAP},
    {.name = "server", .type = NBAQ_OPT_OBJECT, .fields = server_fields},
    {.name = "tables", .type = NBAQ_OPT_OBJECT_LIST, .fields = table_fields},
    {.name = "token", .type = NBAQ_OPT_STRING, .secret = 1},
    {.name = "level", .type = NBAQ_OPT_ENUM, .choices = colors, .secret = 1},
    {.name = "pin", .type = NBAQ_OPT_INT, .secret = 1},
    NBAQ_OPTION_END};

static const nbaq_option_spec required_specs[] = {
    {.name = "bucket", .type = NBAQ_OPT_STRING, .required = 1},
    NBAQ_OPTION_END};

static arena mem;
static ydoc *doc;
static char last_bug[512];

static void record_bug(const char *message)
{
    snprintf(last_bug, sizeof last_bug, "%s", message);
}

static int setup(void **state)
{
    (void)state;
    options_set_bug_handler(record_bug);
    return 0;
}

static int cleanup(void **state)
{
    (void)state;
    ydoc_free(doc);
    doc = NULL;
    arena_free(&mem);
    last_bug[0] = '\0';
    return 0;
}

static int build(const nbaq_option_spec *schema, const char *yaml,
                 nbaq_options **out, char *err, size_t err_size)
{
    char yerr[512];
    ydoc_free(doc);
    doc = ydoc_load_string(yaml, strlen(yaml), "c.yaml", 1, yerr, sizeof yerr);
    if (!doc)
        fail_msg("bad test YAML: %s", yerr);
    return options_build(&mem, schema, doc->root, doc->root, "check 'x'", "p",
                         out, err, err_size);
}

static nbaq_options *build_ok(const char *yaml)
{
    nbaq_options *o = NULL;
    char err[1024] = "";
    if (build(specs, yaml, &o, err, sizeof err) != 0)
        fail_msg("unexpected error: %s", err);
    return o;
}

static void expect_error(const nbaq_option_spec *schema, const char *yaml,
                         const char *needle)
{
    nbaq_options *o = NULL;
    char err[1024] = "";
    if (build(schema, yaml, &o, err, sizeof err) == 0)
        fail_msg("expected an error containing '%s'", needle);
    if (!strstr(err, needle))
        fail_msg("error '%s' does not contain '%s'", err, needle);
}

static void test_every_type(void **state)
{
    (void)state;
    nbaq_options *o = build_ok("i: 3\n"
                               "d: -0.5\n"
                               "b: on\n"
                               "dur: 1m30s\n"
                               "sz: 2M\n"
                               "e: green\n"
                               "sl: [a, b, c]\n"
                               "sm: {k1: v1, k2: 7}\n"
                               "server: {user: bob, password: hunter2}\n"
                               "tables:\n"
                               "  - name: t1\n"
                               "  - name: t2\n"
                               "    weight: 3\n");
    assert_string_equal(options_string(o, "s"), "dflt");
    assert_string_equal(options_location(o, "s"), "");
    assert_int_equal(options_int(o, "i"), 3);
    assert_string_equal(options_location(o, "i"), "c.yaml:1:4");
    assert_true(options_double(o, "i") == 3.0);
    assert_true(options_double(o, "d") == -0.5);
    assert_int_equal(options_bool(o, "b"), 1);
    assert_int_equal(options_int(o, "dur"), 90000);
    assert_int_equal(options_int(o, "sz"), 2 * 1024 * 1024);
    assert_string_equal(options_string(o, "e"), "green");
    assert_int_equal(options_count(o, "sl"), 3);
    assert_string_equal(options_list_string(o, "sl", 2), "c");
    assert_int_equal(options_count(o, "sl_default"), 2);
    assert_string_equal(options_list_string(o, "sl_default", 1), "y");
    assert_int_equal(options_count(o, "sm"), 2);
    assert_string_equal(options_map_key(o, "sm", 1), "k2");
    assert_string_equal(options_map_value(o, "sm", 1), "7");
    const nbaq_options *server = options_object(o, "server");
    assert_non_null(server);
    assert_string_equal(options_string(server, "user"), "bob");
    assert_int_equal(options_int(server, "port"), 5432);
    assert_string_equal(options_location(server, NULL), "c.yaml:9:9");
    assert_int_equal(options_count(o, "tables"), 2);
    const nbaq_options *t2 = options_list_object(o, "tables", 1);
    assert_string_equal(options_string(t2, "name"), "t2");
    assert_true(options_double(t2, "weight") == 3.0);
    assert_true(options_double(options_list_object(o, "tables", 0), "weight") ==
                1.5);
    assert_int_equal(options_is_set(o, "token"), 0);
    assert_null(options_string(o, "token"));
    assert_int_equal(options_count(o, "tables"), 2);
    assert_string_equal(last_bug, "");
}

static void test_lone_scalar_list(void **state)
{
    (void)state;
    nbaq_options *o = build_ok("sl: only\n");
    assert_int_equal(options_count(o, "sl"), 1);
    assert_string_equal(options_list_string(o, "sl", 0), "only");
}

static void test_unset_options(void **state)
{
    (void)state;
    nbaq_options *o = build_ok("{}\n");
    assert_int_equal(options_is_set(o, "i"), 0);
    assert_int_equal(options_int(o, "i"), 0);
    assert_int_equal(options_count(o, "sl"), 0);
    assert_null(options_object(o, "server"));
    assert_int_equal(options_is_set(o, "dur"), 1); /* has a default */
    assert_int_equal(options_int(o, "dur"), 30000);
    assert_int_equal(options_int(o, "sz"), 1024);
    assert_string_equal(last_bug, "");
}

static void test_type_errors(void **state)
{
    (void)state;
    expect_error(specs, "i: x\n",
                 "c.yaml:1:4: check 'x': option 'i': "
                 "expected an integer, got 'x'");
    expect_error(specs, "i: 1.5\n", "expected an integer, got '1.5'");
    expect_error(specs, "d: abc\n", "option 'd': expected a number");
    expect_error(specs, "b: maybe\n", "expected true or false, got 'maybe'");
    expect_error(specs, "dur: 5\n", "option 'dur': expected a duration");
    expect_error(specs, "sz: big\n", "option 'sz': expected a size");
    expect_error(specs, "s: [a]\n",
                 "option 's': expected a string, got a list");
    expect_error(specs, "sl: {a: b}\n", "expected a list of strings");
    expect_error(specs, "sl: [a, [b]]\n", "item 2: expected a string");
    expect_error(specs, "sm: [a]\n", "option 'sm': expected a mapping");
    expect_error(specs, "sm: {a: [1]}\n", "key 'a': expected a string");
    expect_error(specs, "server: 5\n", "option 'server': expected a mapping");
    expect_error(specs, "tables: {name: a}\n",
                 "option 'tables': 'name': expected a mapping, got a scalar");
    expect_error(specs, "tables: a\n", "expected a list of mappings");
    expect_error(specs, "tables: [a]\n",
                 "option 'tables[0]': expected a "
                 "mapping, got a scalar");
    expect_error(specs, "i:\n", "option 'i': has no value");
    expect_error(specs, "[1, 2]\n", "expected a mapping, got a list");
}

static void test_limits_and_choices(void **state)
{
    (void)state;
    expect_error(specs, "i: 11\n",
                 "option 'i': '11' is out of range (1 to "
                 "10)");
    expect_error(specs, "i: 0\n", "out of range (1 to 10)");
    build_ok("i: 10\n");
    build_ok("i: 1\n");
    expect_error(specs, "d: 1.01\n", "out of range (-1 to 1)");
    expect_error(specs, "dur: 500ms\n", "out of range (1s to 1h)");
    expect_error(specs, "dur: 2h\n", "out of range (1s to 1h)");
    expect_error(specs, "e: gren\n",
                 "'gren' is not one of: red, green, blue (did you mean "
                 "'green'?)");
    expect_error(specs, "e: purple\n", "is not one of: red, green, blue");
    expect_error(specs, "server: {user: a, port: 70000}\n",
                 "option 'server.port': '70000' is out of range (1 to "
                 "65535)");
}

static void test_unknown_and_required(void **state)
{
    (void)state;
    expect_error(specs, "dru: 5s\n",
                 "c.yaml:1:1: check 'x': unknown option 'dru' (did you mean "
                 "'dur'?)");
    expect_error(specs, "server: {user: a, prot: 1}\n",
                 "unknown option 'server.prot' (did you mean 'server.port'?)");
    expect_error(specs, "completely_unrelated: 1\n",
                 "unknown option 'completely_unrelated'");
    expect_error(specs, "server: {password: x}\n",
                 "check 'x': missing required option 'server.user'");
    expect_error(specs, "tables: [{weight: 2}]\n",
                 "missing required option 'tables[0].name'");
    expect_error(required_specs, "{}\n",
                 "check 'x': missing required option 'bucket'");
    expect_error(NULL, "a: 1\n", "plugin 'p' takes no options");
}

static void test_secrets_never_printed(void **state)
{
    (void)state;
    char err[1024] = "";
    nbaq_options *o;
    assert_int_equal(build(specs, "pin: s3cr3t-pin\n", &o, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "option 'pin': expected an integer, got "
                                "<secret>"));
    assert_null(strstr(err, "s3cr3t"));
    assert_int_equal(build(specs, "level: s3cr3t-level\n", &o, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "<secret> is not one of"));
    assert_null(strstr(err, "s3cr3t"));
    assert_null(strstr(err, "did you mean"));
    assert_int_equal(build(specs, "server: {user: a, password: [s3cr3t]}\n", &o,
                           err, sizeof err),
                     -1);
    assert_null(strstr(err, "s3cr3t"));
    o = build_ok("token: s3cr3t\n");
    assert_string_equal(options_string(o, "token"), "s3cr3t");
}

static void test_plugin_bugs(void **state)
{
    (void)state;
    nbaq_options *o = build_ok("sl: [a]\n");
    assert_null(options_string(o, "nope"));
    assert_string_equal(last_bug, "plugin bug: opt_string(): option 'nope' "
                                  "is not declared by plugin 'p'");
    assert_int_equal(options_int(o, "s"), 0);
    assert_string_equal(last_bug,
                        "plugin bug: opt_int() used on option 's' of type "
                        "string");
    assert_null(options_list_string(o, "sl", 1));
    assert_string_equal(last_bug,
                        "plugin bug: opt_list_string(): index 1 out of range "
                        "for option 'sl' (1 items)");
    last_bug[0] = '\0';
    assert_null(options_object(o, "tables"));
    assert_non_null(strstr(last_bug, "opt_object() used on option 'tables' "
                                     "of type object list"));
    assert_int_equal(options_bool(NULL, "b"), 0);
    assert_non_null(strstr(last_bug, "NULL options"));
}

static void test_schema_check(void **state)
{
    (void)state;
    char err[1024];
    assert_int_equal(options_check_schema(specs, "p", NULL, err, sizeof err),
                     0);
    static const nbaq_option_spec bad_default[] = {
        {.name = "t", .type = NBAQ_OPT_DURATION, .default_value = "soon"},
        NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(bad_default, "p", NULL, err, sizeof err), -1);
    assert_non_null(strstr(err, "the default does not parse: option 't'"));
    static const nbaq_option_spec out_of_range[] = {{.name = "n",
                                                     .type = NBAQ_OPT_INT,
                                                     .default_value = "99",
                                                     .min = 1,
                                                     .max = 10},
                                                    NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(out_of_range, "p", NULL, err, sizeof err), -1);
    static const nbaq_option_spec enum_without_choices[] = {
        {.name = "e", .type = NBAQ_OPT_ENUM}, NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(enum_without_choices, "p", NULL, err, sizeof err),
        -1);
    assert_non_null(strstr(err, "has no choices"));
    static const nbaq_option_spec object_without_fields[] = {
        {.name = "o", .type = NBAQ_OPT_OBJECT}, NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(object_without_fields, "p", NULL, err, sizeof err),
        -1);
    assert_non_null(strstr(err, "has no fields"));
    static const nbaq_option_spec twice[] = {
        {.name = "a", .type = NBAQ_OPT_INT},
        {.name = "a", .type = NBAQ_OPT_INT},
        NBAQ_OPTION_END};
    assert_int_equal(options_check_schema(twice, "p", NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "declared twice"));
    static const nbaq_option_spec bad_type[] = {
        {.name = "a", .type = (nbaq_option_type)99}, NBAQ_OPTION_END};
    assert_int_equal(options_check_schema(bad_type, "p", NULL, err, sizeof err),
                     -1);
    static const nbaq_option_spec required_default[] = {{.name = "a",
                                                         .type = NBAQ_OPT_INT,
                                                         .required = 1,
                                                         .default_value = "1"},
                                                        NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(required_default, "p", NULL, err, sizeof err), -1);
    static const nbaq_option_spec takes_output[] = {
        {.name = "output", .type = NBAQ_OPT_STRING}, NBAQ_OPTION_END};
    const char *const reserved[] = {"output", "output_dir", NULL};
    assert_int_equal(
        options_check_schema(takes_output, "p", reserved, err, sizeof err), -1);
    assert_non_null(strstr(err, "reserved"));
    static const nbaq_option_spec bad_list_default[] = {
        {.name = "l", .type = NBAQ_OPT_STRING_LIST, .default_value = "{a: b}"},
        NBAQ_OPTION_END};
    assert_int_equal(
        options_check_schema(bad_list_default, "p", NULL, err, sizeof err), -1);
}

static void test_output_options(void **state)
{
    (void)state;
    /* The host's own options: "-" is a literal default, not YAML. */
    nbaq_options *o = NULL;
    char err[512];
    assert_int_equal(
        build(registry_output_options, "{}\n", &o, err, sizeof err), 0);
    assert_string_equal(options_string(o, "output"), "-");
    assert_null(options_string(o, "output_dir"));
}

/* A bound is set when it is not NBAQ_NO_BOUND; a lone bound is refused
 * by the schema check, since the other one is then 0 (sdk/nbaq.h). */
static void test_one_sided_bounds(void **state)
{
    (void)state;
    static const nbaq_option_spec one_sided[] = {
        {.name = "at_least",
         .type = NBAQ_OPT_INT,
         .min = 1,
         .max = NBAQ_NO_BOUND},
        {.name = "at_most",
         .type = NBAQ_OPT_DOUBLE,
         .min = NBAQ_NO_BOUND,
         .max = 100},
        {.name = "any", .type = NBAQ_OPT_DOUBLE},
        NBAQ_OPTION_END};
    char err[1024];
    assert_int_equal(
        options_check_schema(one_sided, "p", NULL, err, sizeof err), 0);
    nbaq_options *o = NULL;
    assert_int_equal(build(one_sided,
                           "at_least: 5000000000\nat_most: -1e9\n"
                           "any: -7\n",
                           &o, err, sizeof err),
                     0);
    expect_error(one_sided, "at_least: 0\n",
                 "option 'at_least': '0' is out of range (at least 1)");
    expect_error(one_sided, "at_most: 100.5\n",
                 "option 'at_most': '100.5' is out of range (at most 100)");

    static const nbaq_option_spec lone_min[] = {
        {.name = "n", .type = NBAQ_OPT_INT, .min = 1}, NBAQ_OPTION_END};
    assert_int_equal(options_check_schema(lone_min, "p", NULL, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "option 'n' has min 1 above max 0"));
}

/* An object list whose first field is `name`, written as a mapping. */
static void test_keyed_object_list(void **state)
{
    (void)state;
    nbaq_options *o = build_ok("tables:\n"
                               "  t1: {}\n"
                               "  t2: {weight: 3}\n");
    assert_int_equal(options_count(o, "tables"), 2);
    const nbaq_options *t2 = options_list_object(o, "tables", 1);
    assert_string_equal(options_string(t2, "name"), "t2");
    assert_string_equal(options_location(t2, "name"), "c.yaml:3:3");
    assert_true(options_double(t2, "weight") == 3.0);
    assert_string_equal(
        options_string(options_list_object(o, "tables", 0), "name"), "t1");
    expect_error(specs, "tables:\n  t1: {name: x}\n",
                 "c.yaml:2:14: check 'x': option 'tables': 't1': 'name' is "
                 "the key of the entry");
    expect_error(specs, "tables:\n  t1: {wieght: 1}\n",
                 "unknown option 'tables.t1.wieght'");
}

#define T(f) cmocka_unit_test_setup_teardown(f, NULL, cleanup)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_type),
        T(test_lone_scalar_list),
        T(test_unset_options),
        T(test_type_errors),
        T(test_limits_and_choices),
        T(test_unknown_and_required),
        T(test_secrets_never_printed),
        T(test_plugin_bugs),
        T(test_schema_check),
        T(test_output_options),
        T(test_one_sided_bounds),
        T(test_keyed_object_list),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
