/*
 * The history store on a real PostgreSQL (ctest fixture `postgres`): the
 * shared store suite, each test in a database of its own, then an
 * unreachable server whose URL carries a password that must not show.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "history_testlib.h"
#include "store_suite.h"

/* The name messages give a store's URL: its user info dropped. */
static char *shown_name(const char *url)
{
    const char *at = strchr(url, '@');
    const char *rest = at ? at + 1 : strstr(url, "://") + 3;
    size_t len = strlen(rest) + sizeof "postgresql://";
    char *name = malloc(len);
    snprintf(name, len, "postgresql://%s", rest);
    return name;
}

static int setup_pg(void **state)
{
    store_env *env = calloc(1, sizeof *env);
    env->url = tl_pg_create_database();
    env->name = shown_name(env->url);
    env->is_pg = 1;
    *state = env;
    return 0;
}

static int teardown_pg(void **state)
{
    store_env *env = *state;
    tl_pg_drop_database(env->url);
    free(env->url);
    free(env->name);
    free(env);
    return 0;
}

/* A port on 127.0.0.1 where nothing listens (bound, then released). */
static int closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof addr), 0);
    socklen_t len = sizeof addr;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static void test_unreachable_server_hides_password(void **state)
{
    (void)state;
    int port = closed_port();
    char url[256], name[256], err[1024];
    history_open_options quick = {0, 2};
    history_store *store;

    snprintf(url, sizeof url, "postgresql://nbaq:S3cretPw42@127.0.0.1:%d/nbaq",
             port);
    snprintf(name, sizeof name, "postgresql://127.0.0.1:%d/nbaq", port);
    assert_int_equal(history_open(url, NULL, &quick, &store, err, sizeof err),
                     -1);
    assert_null(strstr(err, "S3cretPw42"));
    char prefix[300];
    snprintf(prefix, sizeof prefix, "history store %s: ", name);
    assert_memory_equal(err, prefix, strlen(prefix));
    assert_non_null(strstr(err, "127.0.0.1"));
    assert_non_null(strstr(err, "refused"));

    snprintf(url, sizeof url,
             "postgres://127.0.0.1:%d/nbaq?user=nbaq&password=S3cretPw42&"
             "sslmode=disable",
             port);
    assert_int_equal(history_open(url, NULL, &quick, &store, err, sizeof err),
                     -1);
    assert_null(strstr(err, "S3cretPw42"));
    assert_memory_equal(err, prefix, strlen(prefix)); /* no query string */
}

static void test_wrong_database_names_it(void **state)
{
    store_env *env = *state;
    char url[512], err[1024];
    snprintf(url, sizeof url, "%.*s/nbaq_no_such_db",
             (int)(strrchr(env->url, '/') - env->url), env->url);
    history_store *store;
    assert_int_equal(history_open(url, NULL, NULL, &store, err, sizeof err),
                     -1);
    char prefix[600];
    char *name = shown_name(url);
    snprintf(prefix, sizeof prefix, "history store %s: ", name);
    free(name);
    assert_memory_equal(err, prefix, strlen(prefix));
    assert_non_null(strstr(err, "nbaq_no_such_db\" does not exist"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        STORE_SUITE_TESTS(setup_pg, teardown_pg),
        cmocka_unit_test(test_unreachable_server_hides_password),
        cmocka_unit_test_setup_teardown(test_wrong_database_names_it, setup_pg,
                                        teardown_pg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
