/* The checks behind NBAQ_OPT_URL and NBAQ_OPT_HTTP_HEADERS, and the name
 * index (nameset) the loader's duplicate checks use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "nameset.h"
#include "option_values.h"

static void url_ok(const char *url, const char *const *schemes)
{
    char reason[256] = "";
    if (option_check_url(url, schemes, reason, sizeof reason) != 0)
        fail_msg("'%s' refused: %s", url, reason);
}

static void url_refused(const char *url, const char *const *schemes,
                        const char *needle)
{
    char reason[256] = "";
    if (option_check_url(url, schemes, reason, sizeof reason) == 0)
        fail_msg("'%s' accepted", url);
    if (!strstr(reason, needle))
        fail_msg("'%s': reason '%s' lacks '%s'", url, reason, needle);
}

static void test_urls(void **state)
{
    (void)state;
    url_ok("http://127.0.0.1:9/hook", NULL);
    url_ok("HTTPS://example.com", NULL);
    url_ok("https://[::1]:8443/a?b=c#d", NULL);
    url_ok("https://host/path@not-userinfo", NULL);
    static const char *const smtp[] = {"smtp", "smtps", NULL};
    url_ok("smtps://mail.example.com:465", smtp);
    url_refused("not a url", NULL, "holds a space");
    url_refused("example.com/x", NULL, "is not a URL (want http://, https://");
    url_refused("ftp://h/x", NULL, "has scheme 'ftp'");
    url_refused("http://smtp.example.com", smtp, "(want smtp://, smtps://");
    url_refused("http://user:secret@h/x", NULL, "user:password@");
    url_refused("http://:80/x", NULL, "has no host");
    url_refused("http:///x", NULL, "has no host");
    url_refused("http://h:0/", NULL, "bad port");
    url_refused("http://h:65536/", NULL, "bad port");
    url_refused("http://h:8x/", NULL, "bad port");
    url_refused("http://[::1/", NULL, "bad IPv6");
    url_refused("http://h/\x1b[2J", NULL, "control character");
    /* The reason never quotes the URL (it may be a secret). */
    char reason[256];
    option_check_url("http://user:hunter2@h/", NULL, reason, sizeof reason);
    assert_null(strstr(reason, "hunter2"));
}

static void test_headers(void **state)
{
    (void)state;
    char reason[256];
    assert_int_equal(option_check_header("Authorization", "Bearer\tx y", reason,
                                         sizeof reason),
                     0);
    assert_int_equal(
        option_check_header("X-T", "a\r\nX-Evil: 1", reason, sizeof reason),
        -1);
    assert_string_equal(reason, "header 'X-T': the value holds a line break");
    assert_int_equal(option_check_header("X-T", "a\x01", reason, sizeof reason),
                     -1);
    assert_string_equal(reason,
                        "header 'X-T': the value holds a control character");
    assert_int_equal(
        option_check_header("Bad Name", "v", reason, sizeof reason), -1);
    assert_string_equal(reason, "header name 'Bad Name' is not an HTTP token");
    assert_int_equal(option_check_header("", "v", reason, sizeof reason), -1);
}

static void test_nameset(void **state)
{
    (void)state;
    enum { N = 5000 };
    static char names[N][16];
    nameset set = NAMESET_INIT;
    for (size_t i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "n%zu", i);
        assert_int_equal(nameset_put(&set, names[i], i, NULL), 0);
    }
    size_t value = 0;
    assert_int_equal(nameset_put(&set, "n4242", 99, &value), 1);
    assert_int_equal(value, 4242); /* the first value stays */
    for (size_t i = 0; i < N; i += 97) {
        assert_int_equal(nameset_get(&set, names[i], &value), 1);
        assert_int_equal(value, i);
    }
    assert_int_equal(nameset_get(&set, "n5000", &value), 0);
    assert_int_equal(set.count, N);
    nameset_free(&set);
    assert_int_equal(nameset_get(&set, "n1", &value), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_headers),
        cmocka_unit_test(test_nameset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
