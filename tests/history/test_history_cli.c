/*
 * The `history` command (history_cli_main) on an SQLite store: its tables,
 * its JSON, its exit codes and messages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_testlib.h"

#define NOW TL_WED_1030

typedef struct cli_env {
    char *dir;
    history_cli_env env;
    char *out;
    char err[512];
} cli_env;

static rule_better rows_higher(void *arg, const char *check, const char *metric)
{
    (void)arg;
    return strcmp(check, "orders") == 0 && strcmp(metric, "rows") == 0
               ? RULE_BETTER_HIGHER
               : RULE_BETTER_NONE;
}

/* orders/rows: 10, 20, 30 at 3, 2 and 1 hours before NOW. */
static int setup_cli(void **state)
{
    cli_env *c = calloc(1, sizeof *c);
    c->dir = tl_temp_dir();
    c->env.url = "history.db";
    c->env.base_dir = c->dir;
    c->env.monitor = "shop";
    c->env.now_ms = NOW;
    history_store *store;
    char err[512];
    if (history_open(c->env.url, c->dir, NULL, &store, err, sizeof err) != 0)
        fail_msg("%s", err);
    for (int k = 3; k >= 1; k--)
        tl_save_value(store, "orders", "rows", NOW - k * TL_HOUR,
                      10.0 * (4 - k), 0);
    history_close(store);
    *state = c;
    return 0;
}

static int teardown_cli(void **state)
{
    cli_env *c = *state;
    tl_rmtree(c->dir);
    free(c->dir);
    free(c->out);
    free(c);
    return 0;
}

/* Runs `history ARGS...`; the output lands in c->out. */
static int run_cli(cli_env *c, const char *args)
{
    char *copy = strdup(args);
    char *argv[32];
    int argc = 0;
    argv[argc++] = "history";
    for (char *tok = strtok(copy, " "); tok && argc < 31;
         tok = strtok(NULL, " "))
        argv[argc++] = tok;
    argv[argc] = NULL;
    free(c->out);
    c->out = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&c->out, &len);
    int rc = history_cli_main(argc, argv, &c->env, out, c->err, sizeof c->err);
    fclose(out);
    free(copy);
    return rc;
}

static void test_show_table(void **state)
{
    cli_env *c = *state;
    assert_int_equal(run_cli(c, "show --check orders --metric rows"), 0);
    assert_string_equal(
        c->out,
        "shop / orders / rows: 3 values from 2024-04-24T10:30:00Z to "
        "2024-05-01T10:30:00Z\n"
        "TIME                  VALUE  UNIT  STATUS  ANOMALOUS  EXPECTED  "
        "BAND  SCORE  REASON\n"
        "2024-05-01T07:30:00Z  10     rows  PASS    no\n"
        "2024-05-01T08:30:00Z  20     rows  PASS    no\n"
        "2024-05-01T09:30:00Z  30     rows  PASS    no\n");
    /* a range holding only the middle value */
    assert_int_equal(
        run_cli(c, "show --check orders --metric rows "
                   "--since 2024-05-01T08:00 --until=2024-05-01T09:00Z"),
        0);
    assert_non_null(strstr(c->out, ": 1 value from 2024-05-01T08:00:00Z to "
                                   "2024-05-01T09:00:00Z\n"));
    assert_non_null(strstr(c->out, "08:30:00Z  20"));
}

static void test_show_unknown_metric_is_empty(void **state)
{
    cli_env *c = *state;
    assert_int_equal(run_cli(c, "show --check orders --metric nope"), 0);
    assert_string_equal(c->out, "shop / orders / nope: 0 values from "
                                "2024-04-24T10:30:00Z to "
                                "2024-05-01T10:30:00Z\n");
}

static void test_show_json(void **state)
{
    cli_env *c = *state;
    assert_int_equal(
        run_cli(c, "show --check orders --metric rows --since 150m --json"), 0);
    cJSON *root = cJSON_Parse(c->out);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "check")->valuestring,
                        "orders");
    assert_string_equal(cJSON_GetObjectItem(root, "since")->valuestring,
                        "2024-05-01T08:00:00Z");
    cJSON *values = cJSON_GetObjectItem(root, "values");
    assert_int_equal(cJSON_GetArraySize(values), 2);
    cJSON *first = cJSON_GetArrayItem(values, 0);
    assert_true(cJSON_GetObjectItem(first, "value")->valuedouble == 20);
    assert_true(cJSON_GetObjectItem(first, "ts_ms")->valuedouble ==
                (double)(NOW - 2 * TL_HOUR));
    assert_string_equal(cJSON_GetObjectItem(first, "time")->valuestring,
                        "2024-05-01T08:30:00Z");
    assert_string_equal(cJSON_GetObjectItem(first, "unit")->valuestring,
                        "rows");
    assert_string_equal(cJSON_GetObjectItem(first, "status")->valuestring,
                        "PASS");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(first, "anomalous")));
    cJSON_Delete(root);
}

static void test_trends_table(void **state)
{
    cli_env *c = *state;
    /* previous (now-4h, now-2h]: 10, 20; current (now-2h, now]: 30 */
    assert_int_equal(run_cli(c, "trends --window 2h"), 0);
    assert_string_equal(
        c->out,
        "shop: 1 metric, window 2h ending 2024-05-01T10:30:00Z, against the "
        "2h before\n"
        "CHECK   METRIC  COUNT  LAST  MIN  MAX  MEAN  MEDIAN  STDDEV  "
        "PREV MEAN  TREND\n"
        "orders  rows    1      30    30   30   30.0  30.0    0.0     "
        "15.0       up\n");
    c->env.better = rows_higher;
    assert_int_equal(run_cli(c, "trends --window 2h"), 0);
    assert_non_null(strstr(c->out, "15.0       improving\n"));
}

static void test_trends_json(void **state)
{
    cli_env *c = *state;
    /* 24h: everything in the current window, nothing before */
    assert_int_equal(run_cli(c, "trends --json"), 0);
    cJSON *root = cJSON_Parse(c->out);
    assert_non_null(root);
    assert_string_equal(cJSON_GetObjectItem(root, "window")->valuestring, "1d");
    assert_true(cJSON_GetObjectItem(root, "window_ms")->valuedouble ==
                86400000.0);
    cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "metrics"), 0);
    assert_non_null(m);
    assert_true(cJSON_GetObjectItem(m, "count")->valuedouble == 3);
    assert_true(cJSON_GetObjectItem(m, "mean")->valuedouble == 20);
    assert_true(cJSON_GetObjectItem(m, "median")->valuedouble == 20);
    assert_true(cJSON_GetObjectItem(m, "stddev")->valuedouble == 10);
    assert_true(cJSON_GetObjectItem(m, "last")->valuedouble == 30);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "previous_window_mean")));
    assert_string_equal(cJSON_GetObjectItem(m, "trend")->valuestring,
                        "unknown");
    cJSON_Delete(root);
    /* another monitor has nothing */
    assert_int_equal(run_cli(c, "trends --monitor warehouse"), 0);
    assert_string_equal(c->out, "warehouse: 0 metrics, window 1d ending "
                                "2024-05-01T10:30:00Z, against the 1d "
                                "before\n");
}

static void test_prune(void **state)
{
    cli_env *c = *state;
    assert_int_equal(run_cli(c, "prune --older-than 90m"), 0);
    assert_string_equal(c->out, "shop: deleted 2 runs started before "
                                "2024-05-01T09:00:00Z\n");
    assert_int_equal(run_cli(c, "show --check orders --metric rows"), 0);
    assert_non_null(strstr(c->out, ": 1 value from"));
}

static void test_usage_errors(void **state)
{
    cli_env *c = *state;
    const struct {
        const char *args;
        const char *message;
    } cases[] = {
        {"", "history: no command given (see `history --help`)"},
        {"list", "history: unknown command 'list' (see `history --help`)"},
        {"show --metric rows",
         "history: show needs --check and --metric (see `history --help`)"},
        {"show --check a --metric b --window 2h",
         "history: unknown option '--window' (see `history --help`)"},
        {"show --check a --metric b --since",
         "history: option '--since' needs a value (see `history --help`)"},
        {"show --check a --metric b --since lastweek",
         "history: --since 'lastweek' is not a time (see `history --help`)"},
        {"show --check a --metric b --since 2024-02-31",
         "history: --since '2024-02-31' is not a time (see `history "
         "--help`)"},
        {"show --check a --metric b --since 1h --until 2h",
         "history: --since is after --until (see `history --help`)"},
        {"trends --window 0h",
         "history: --window '0h' is not a duration (see `history --help`)"},
        {"prune", "history: prune needs --older-than (see `history --help`)"},
        {"trends extra",
         "history: unexpected argument 'extra' (see `history --help`)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(run_cli(c, cases[i].args), HISTORY_EXIT_USAGE);
        assert_string_equal(c->err, cases[i].message);
    }
    assert_int_equal(run_cli(c, "--help"), 0);
    assert_non_null(strstr(c->out, "usage: nbaq-host -c FILE history"));
    assert_int_equal(run_cli(c, "trends --help"), 0);
    assert_non_null(strstr(c->out, "exit status: 0 done, 64 usage error"));
}

static void test_store_errors(void **state)
{
    cli_env *c = *state;
    c->env.url = "missing/dir/history.db";
    assert_int_equal(run_cli(c, "trends"), HISTORY_EXIT_STORE);
    char expected[700];
    snprintf(expected, sizeof expected,
             "history store %s/missing/dir/history.db: directory "
             "%s/missing/dir: No such file or directory",
             c->dir, c->dir);
    assert_string_equal(c->err, expected);
    c->env.url = NULL;
    assert_int_equal(run_cli(c, "trends"), HISTORY_EXIT_STORE);
    assert_string_equal(
        c->err, "history: no history store is configured (history.url)");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup_cli, teardown_cli)
    const struct CMUnitTest tests[] = {
        T(test_show_table),   T(test_show_unknown_metric_is_empty),
        T(test_show_json),    T(test_trends_table),
        T(test_trends_json),  T(test_prune),
        T(test_usage_errors), T(test_store_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
