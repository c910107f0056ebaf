/*
 * The history store on SQLite: the shared store suite in a temporary
 * directory, then what goes wrong with files: a missing directory, a
 * read-only, corrupt or locked file, a URL of an unknown kind.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history_testlib.h"
#include "store_suite.h"

static int setup_sqlite(void **state)
{
    store_env *env = calloc(1, sizeof *env);
    env->dir = tl_temp_dir();
    size_t len = strlen(env->dir) + 32;
    env->url = malloc(len);
    snprintf(env->url, len, "%s/history.db", env->dir);
    env->name = strdup(env->url);
    *state = env;
    return 0;
}

static int teardown_sqlite(void **state)
{
    store_env *env = *state;
    tl_rmtree(env->dir);
    free(env->dir);
    free(env->url);
    free(env->name);
    free(env);
    return 0;
}

/* history_open must fail; err must start with "history store <name>: "
 * and contain `reason`. */
static void assert_open_fails(const char *url, const char *base_dir,
                              const char *name, const char *reason,
                              const history_open_options *options)
{
    history_store *store = (history_store *)1;
    char err[512];
    assert_int_equal(
        history_open(url, base_dir, options, &store, err, sizeof err), -1);
    assert_null(store);
    char prefix[600];
    snprintf(prefix, sizeof prefix, "history store %s: ", name);
    if (strncmp(err, prefix, strlen(prefix)) != 0 || !strstr(err, reason))
        fail_msg("error '%s' lacks '%s' or '%s'", err, prefix, reason);
}

static void test_relative_and_sqlite_urls(void **state)
{
    store_env *env = *state;
    char path[600], url[700];
    history_store *store;
    char err[512];
    /* a bare path and sqlite://path are relative to the base directory */
    assert_int_equal(
        history_open("h1.db", env->dir, NULL, &store, err, sizeof err), 0);
    snprintf(path, sizeof path, "%s/h1.db", env->dir);
    assert_string_equal(history_store_name(store), path);
    history_close(store);
    assert_int_equal(access(path, F_OK), 0);
    assert_int_equal(history_open("sqlite://sub.db", env->dir, NULL, &store,
                                  err, sizeof err),
                     0);
    history_close(store);
    snprintf(path, sizeof path, "%s/sub.db", env->dir);
    assert_int_equal(access(path, F_OK), 0);
    /* sqlite:///abs ignores the base directory */
    snprintf(url, sizeof url, "sqlite://%s/abs.db", env->dir);
    assert_int_equal(
        history_open(url, "/nonexistent", NULL, &store, err, sizeof err), 0);
    history_close(store);
    snprintf(path, sizeof path, "%s/abs.db", env->dir);
    assert_int_equal(access(path, F_OK), 0);
    /* and other schemes are refused */
    assert_int_equal(
        history_open("mysql://db/x", NULL, NULL, &store, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown URL scheme"));
    assert_int_equal(history_open("", NULL, NULL, &store, err, sizeof err), -1);
}

static void test_missing_directory(void **state)
{
    store_env *env = *state;
    char path[600], reason[700];
    snprintf(path, sizeof path, "%s/no/such/dir/history.db", env->dir);
    snprintf(reason, sizeof reason,
             "directory %s/no/such/dir: No such file or directory", env->dir);
    assert_open_fails(path, NULL, path, reason, NULL);
}

static void test_corrupt_file(void **state)
{
    store_env *env = *state;
    FILE *f = fopen(env->url, "w");
    assert_non_null(f);
    for (int i = 0; i < 512; i++)
        fputs("this is not an SQLite database\n", f);
    fclose(f);
    assert_open_fails(env->url, NULL, env->name, "file is not a database",
                      NULL);
}

/* Root writes through any mode bits: check a read-only file as the
 * unprivileged user `nobody` then. */
static void test_read_only_file(void **state)
{
    store_env *env = *state;
    history_store *store;
    char err[512];
    assert_int_equal(
        history_open(env->url, NULL, NULL, &store, err, sizeof err), 0);
    history_close(store);
    assert_int_equal(chmod(env->url, 0444), 0);
    if (geteuid() != 0) {
        assert_open_fails(env->url, NULL, env->name, "read-only", NULL);
        return;
    }
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        close(fds[0]);
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(2);
        int rc = history_open(env->url, NULL, NULL, &store, err, sizeof err);
        if (rc == 0)
            snprintf(err, sizeof err, "opened");
        ssize_t ignored = write(fds[1], err, strlen(err) + 1);
        (void)ignored;
        _exit(rc == 0 ? 1 : 0);
    }
    close(fds[1]);
    char got[512] = "";
    size_t used = 0;
    ssize_t n;
    while (used < sizeof got - 1 &&
           (n = read(fds[0], got + used, sizeof got - 1 - used)) > 0)
        used += (size_t)n;
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char expected[700];
    snprintf(expected, sizeof expected,
             "history store %s: the file is read-only", env->name);
    assert_string_equal(got, expected);
}

static void test_locked_file(void **state)
{
    store_env *env = *state;
    history_store *store;
    char err[512];
    assert_int_equal(
        history_open(env->url, NULL, NULL, &store, err, sizeof err), 0);
    /* another writer holds the lock past our busy timeout */
    sqlite3 *other;
    assert_int_equal(sqlite3_open(env->url, &other), SQLITE_OK);
    assert_int_equal(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
                     SQLITE_OK);
    history_open_options quick = {200, 0};
    assert_open_fails(env->url, NULL, env->name, "database is locked", &quick);
    tl_run *run = tl_run_new("locked", TL_WED_1030);
    tl_metric(run, "orders", "rows", 1);
    /* the open store (busy timeout 5 s) gives up too, and keeps working
     * once the lock is gone */
    sqlite3_busy_timeout(other, 0);
    history_close(store);
    assert_int_equal(
        history_open(env->url, NULL, &quick, &store, err, sizeof err), -1);
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    assert_int_equal(
        history_open(env->url, NULL, &quick, &store, err, sizeof err), 0);
    sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), -1);
    assert_non_null(strstr(err, "database is locked"));
    sqlite3_exec(other, "COMMIT", NULL, NULL, NULL);
    assert_int_equal(
        history_save_run(store, &run->run, NULL, 0, err, sizeof err), 0);
    tl_run_free(run);
    sqlite3_close(other);
    history_close(store);
}

static void test_null_store_does_nothing(void **state)
{
    (void)state;
    char err[64] = "";
    history_past past = HISTORY_PAST_INIT;
    history_verdict v;
    nbaq_metric m = {0};
    m.name = "rows";
    m.value = 5;
    assert_int_equal(history_evaluate_metric(NULL, "shop", "orders", NULL,
                                             TL_WED_1030, NULL, &m, &past, &v,
                                             err, sizeof err),
                     0);
    assert_int_equal(m.has_previous, 0);
    assert_int_equal(m.stats.count, 0);
    assert_int_equal(m.trend, NBAQ_TREND_UNKNOWN);
    assert_int_equal(v.status, NBAQ_PASS);
    history_state st;
    assert_int_equal(
        history_state_load(NULL, "shop", "orders", &st, err, sizeof err), 0);
    assert_int_equal(st.count, 0);
    assert_int_equal(history_save_run(NULL, NULL, NULL, 0, err, sizeof err), 0);
    assert_int_equal(history_prune(NULL, NULL, 0, NULL, err, sizeof err), 0);
    history_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        STORE_SUITE_TESTS(setup_sqlite, teardown_sqlite),
        cmocka_unit_test_setup_teardown(test_relative_and_sqlite_urls,
                                        setup_sqlite, teardown_sqlite),
        cmocka_unit_test_setup_teardown(test_missing_directory, setup_sqlite,
                                        teardown_sqlite),
        cmocka_unit_test_setup_teardown(test_corrupt_file, setup_sqlite,
                                        teardown_sqlite),
        cmocka_unit_test_setup_teardown(test_read_only_file, setup_sqlite,
                                        teardown_sqlite),
        cmocka_unit_test_setup_teardown(test_locked_file, setup_sqlite,
                                        teardown_sqlite),
        cmocka_unit_test(test_null_store_does_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
