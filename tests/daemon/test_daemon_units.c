/* Units of --daemon: the schedule, board, rendering, text helpers and the
 * `daemon:` config section. Expected values are worked out by hand in
 * the comments. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "../unit/unit_support.h"
#include "board.h"
#include "config.h"
#include "conn_guard.h"
#include "http.h"
#include "render.h"
#include "round.h"
#include "route.h"
#include "schedule.h"

/* ---- schedule --------------------------------------------------------- */

static void sync_one(schedule *s, const char *name, int64_t interval,
                     int64_t now)
{
    const char *names[] = {name};
    int64_t intervals[] = {interval};
    assert_int_equal(schedule_sync(s, names, intervals, 1, s->jitter, now), 0);
}

static void test_schedule_without_jitter(void **state)
{
    (void)state;
    schedule s;
    schedule_init(&s, 42);
    const char *names[] = {"a", "b"};
    int64_t intervals[] = {1000, 3000};
    assert_int_equal(schedule_sync(&s, names, intervals, 2, 0.0, 10000), 0);
    /* New checks are due at once (no jitter). */
    size_t idx[4];
    assert_int_equal(schedule_due(&s, 10000, idx, 4), 2);
    schedule_started(&s, 0, 10000);
    schedule_started(&s, 1, 10000);
    /* Running: never due, whatever the time. */
    assert_int_equal(schedule_due(&s, 99999, idx, 4), 0);
    assert_int_equal(schedule_next_due(&s), INT64_MAX);
    schedule_finished(&s, 0);
    schedule_finished(&s, 1);
    /* Next slots: 10000 + 1000 and 10000 + 3000. */
    assert_int_equal(s.entries[0].due_ms, 11000);
    assert_int_equal(s.entries[1].due_ms, 13000);
    assert_int_equal(schedule_next_due(&s), 11000);
    assert_int_equal(schedule_due(&s, 10999, idx, 4), 0);
    assert_int_equal(schedule_due(&s, 13000, idx, 4), 2);
    assert_int_equal(idx[0], 0); /* earliest first */
    assert_int_equal(idx[1], 1);
    assert_int_equal(schedule_due(&s, 13000, idx, 1), 1);
    assert_int_equal(idx[0], 0);
    /* Started late, at 13500: slots 11000..13000 are behind; the next is
     * 14000. */
    schedule_started(&s, 0, 13500);
    assert_int_equal(s.entries[0].slot_ms, 14000);
    schedule_free(&s);
}

static void test_schedule_rounds_group_equal_due_times(void **state)
{
    (void)state;
    schedule s;
    schedule_init(&s, 3);
    const char *names[] = {"a", "b", "c"};
    int64_t intervals[] = {1000, 1000, 2000};
    assert_int_equal(schedule_sync(&s, names, intervals, 3, 0.0, 0), 0);
    /* No jitter: all three share the instant 0, one round. */
    size_t idx[4];
    assert_int_equal(schedule_due_round(&s, 0, idx, 4), 3);
    for (size_t i = 0; i < 3; i++)
        schedule_started(&s, i, 0);
    schedule_finished(&s, 0);
    schedule_finished(&s, 2);
    /* b ran long, until 2500: a is due at 1000, b at 1000 (late), c at
     * 2000. At 2500 all are due, but only the earliest instant (a and b
     * at 1000) makes the round; c waits for the next one. */
    schedule_finished(&s, 1);
    assert_int_equal(schedule_due(&s, 2500, idx, 4), 3);
    assert_int_equal(schedule_due_round(&s, 2500, idx, 4), 2);
    assert_int_equal(s.entries[idx[0]].due_ms, 1000);
    assert_int_equal(s.entries[idx[1]].due_ms, 1000);
    schedule_free(&s);
}

static void test_schedule_jitter_bounds(void **state)
{
    (void)state;
    schedule s;
    schedule_init(&s, 7);
    s.jitter = 0.1;
    sync_one(&s, "a", 10000, 0);
    /* Every due time: slot + [0, 10% of 10 s). */
    for (int i = 0; i < 200; i++) {
        int64_t slot = s.entries[0].slot_ms;
        int64_t due = s.entries[0].due_ms;
        assert_true(due >= slot && due < slot + 1000);
        schedule_started(&s, 0, due);
        schedule_finished(&s, 0);
        assert_int_equal(s.entries[0].slot_ms, slot + 10000);
    }
    schedule_free(&s);
}

static void test_schedule_sync_keeps_and_drops(void **state)
{
    (void)state;
    schedule s;
    schedule_init(&s, 1);
    const char *names[] = {"a", "b"};
    int64_t intervals[] = {1000, 2000};
    assert_int_equal(schedule_sync(&s, names, intervals, 2, 0.0, 0), 0);
    schedule_started(&s, 0, 0); /* a: running, next slot 1000 */
    /* Reload: a stays (interval now 5 s), b goes, c comes at 500. */
    const char *names2[] = {"c", "a"};
    int64_t intervals2[] = {4000, 5000};
    assert_int_equal(schedule_sync(&s, names2, intervals2, 2, 0.0, 500), 0);
    assert_int_equal(s.count, 2);
    assert_int_equal(schedule_find(&s, "b"), -1);
    long a = schedule_find(&s, "a");
    assert_true(a >= 0);
    assert_true(s.entries[a].running);
    /* Last slot 0, new interval: next slot 0 + 5000. */
    assert_int_equal(s.entries[a].slot_ms, 5000);
    long c = schedule_find(&s, "c");
    assert_int_equal(s.entries[c].due_ms, 500);
    schedule_free(&s);
}

/* ---- text helpers ----------------------------------------------------- */

static void test_token_equal(void **state)
{
    (void)state;
    assert_true(http_token_equal("s3cret-token", "s3cret-token"));
    assert_false(http_token_equal("s3cret-tokem", "s3cret-token"));
    assert_false(http_token_equal("s3cret", "s3cret-token"));
    assert_false(http_token_equal("s3cret-token-longer", "s3cret-token"));
    assert_false(http_token_equal("", "s3cret-token"));
}

static void test_listen_split(void **state)
{
    (void)state;
    char host[64], err[128];
    unsigned port;
    assert_int_equal(daemon_listen_split("127.0.0.1:9464", host, sizeof host,
                                         &port, err, sizeof err),
                     0);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 9464);
    assert_int_equal(daemon_listen_split("[::1]:80", host, sizeof host, &port,
                                         err, sizeof err),
                     0);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 80);
    assert_int_equal(
        daemon_listen_split(":0", host, sizeof host, &port, err, sizeof err),
        0);
    assert_string_equal(host, "");
    assert_int_equal(daemon_listen_split("::1:80", host, sizeof host, &port,
                                         err, sizeof err),
                     -1);
    assert_int_equal(daemon_listen_split("host:99999", host, sizeof host, &port,
                                         err, sizeof err),
                     -1);
    assert_int_equal(
        daemon_listen_split("host", host, sizeof host, &port, err, sizeof err),
        -1);
}

/* ---- config ----------------------------------------------------------- */

static config *load(const char *dir, const char *text, char *err,
                    size_t err_size)
{
    char *path = write_temp_file(dir, "m.yaml", text);
    config *cfg = config_load(path, err, err_size);
    free(path);
    return cfg;
}

static void test_config_section(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char err[1024];
    free(write_temp_file(dir, "token.txt", "from-a-file\n"));
    config *cfg = load(dir,
                       "daemon:\n  listen: 0.0.0.0:8080\n  interval: 30s\n"
                       "  jitter: 0.25\n  max_connections: 5\n"
                       "  history_points: 50\n  refresh: 5s\n"
                       "  token_file: token.txt\n"
                       "checks:\n  - {name: a, plugin: exec, interval: 2m}\n"
                       "  - {name: b, plugin: exec}\n",
                       err, sizeof err);
    assert_non_null(cfg);
    assert_string_equal(cfg->daemon.listen, "0.0.0.0:8080");
    assert_int_equal(cfg->daemon.interval_ms, 30000);
    assert_true(cfg->daemon.jitter == 0.25);
    assert_int_equal(cfg->daemon.max_connections, 5);
    assert_int_equal(cfg->daemon.history_points, 50);
    assert_int_equal(cfg->daemon.refresh_ms, 5000);
    assert_string_equal(cfg->daemon.token, "from-a-file");
    assert_int_equal(board_interval_of(cfg, &cfg->checks[0]), 120000);
    assert_int_equal(board_interval_of(cfg, &cfg->checks[1]), 30000);
    config_free(cfg);

    cfg = load(dir, "checks: []\n", err, sizeof err);
    assert_non_null(cfg); /* defaults without the section */
    assert_string_equal(cfg->daemon.listen, "127.0.0.1:9464");
    assert_null(cfg->daemon.token);
    assert_int_equal(cfg->daemon.interval_ms, 300000);
    assert_int_equal(cfg->daemon.fleet_lease_ms, 15000);
    assert_null(cfg->daemon.heartbeat_url);
    config_free(cfg);

    cfg = load(dir,
               "daemon:\n  fleet: {lease: 3s}\n"
               "  heartbeat: {url: \"https://hc.example/p/k\", interval: 2m}\n"
               "checks: []\n",
               err, sizeof err);
    assert_non_null(cfg);
    assert_int_equal(cfg->daemon.fleet_lease_ms, 3000);
    assert_string_equal(cfg->daemon.heartbeat_url, "https://hc.example/p/k");
    assert_int_equal(cfg->daemon.heartbeat_interval_ms, 120000);
    config_free(cfg);

    /* daemon.watchdog: the defaults, then every key */
    cfg = load(dir, "checks: []\n", err, sizeof err);
    assert_non_null(cfg);
    assert_true(cfg->daemon.watchdog_enabled);
    assert_int_equal(cfg->daemon.watchdog_interval_ms, 30000);
    assert_true(cfg->daemon.watchdog_stale_after == 2.0);
    assert_int_equal(cfg->daemon.watchdog_member_dead_after_ms, 0);
    config_free(cfg);
    cfg = load(dir,
               "daemon:\n  watchdog: {interval: 5s, stale_after: 3.5x,\n"
               "             member_dead_after: 1m, enabled: false}\n"
               "checks: []\n",
               err, sizeof err);
    assert_non_null(cfg);
    assert_false(cfg->daemon.watchdog_enabled);
    assert_int_equal(cfg->daemon.watchdog_interval_ms, 5000);
    assert_true(cfg->daemon.watchdog_stale_after == 3.5);
    assert_int_equal(cfg->daemon.watchdog_member_dead_after_ms, 60000);
    config_free(cfg);
    /* A route may name the watchdog (not another name with a ':'). */
    cfg = load(dir,
               "checks: []\nreporters:\n  - {name: pager, plugin: webhook}\n"
               "alerts:\n  routes:\n"
               "    - {channel: pager, checks: [\"nbaq:watchdog\"]}\n",
               err, sizeof err);
    assert_non_null(cfg);
    assert_string_equal(cfg->alerts.routes[0].checks[0], "nbaq:watchdog");
    config_free(cfg);

    const char *bad[][2] = {
        {"daemon: {listn: x}\n", "did you mean 'listen'?"},
        {"daemon: {jitter: 0.9}\n", "'jitter' is a fraction"},
        {"daemon: {token: a, token_file: b}\n", "not both"},
        {"daemon: {token_file: missing.txt}\n", "missing.txt: cannot open"},
        {"daemon: {max_connections: 0}\n", "max_connections"},
        {"checks:\n  - {name: a, plugin: exec, interval: 0}\n",
         "'interval' must be at least 1s"},
        {"daemon: {fleet: {leese: 2s}}\n", "did you mean 'lease'?"},
        {"daemon: {fleet: {lease: 0}}\n", "'lease' must be at least 1s"},
        {"daemon:\n  heartbeat: {interval: 5s}\n",
         "m.yaml:2:14: daemon.heartbeat: 'url' (a URL to ping) or "
         "'alertmanager'"},
        {"daemon:\n  heartbeat: {url: \"ftp://x/\"}\n",
         "'url' must start with http:// or https://"},
        {"checks: []\nreporters:\n  - {name: pager, plugin: webhook}\n"
         "alerts:\n  routes:\n"
         "    - {channel: pager, checks: [\"nbaq:other\"]}\n",
         "m.yaml:6:33: alerts.routes[1]: 'checks' must match"},
        {"daemon:\n  watchdog: {stale_after: 0.5x}\n",
         "m.yaml:2:27: daemon.watchdog: 'stale_after' is a factor of the "
         "check's interval from 1 to 1000 such as 2x, got '0.5x'"},
        {"daemon:\n  watchdog: {stale_after: twice}\n", "got 'twice'"},
        {"daemon:\n  watchdog: {interval: 0}\n",
         "m.yaml:2:24: daemon.watchdog: 'interval' must be at least 1s"},
        {"daemon:\n  watchdog: {stale: 2}\n",
         "m.yaml:2:14: unknown key 'stale' in daemon.watchdog"},
        {"daemon:\n  watchdog: {member_dead_after: 10ms}\n",
         "'member_dead_after' must be at least 1s"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cfg = load(dir, bad[i][0], err, sizeof err);
        assert_null(cfg);
        if (!strstr(err, bad[i][1]))
            fail_msg("%s: got '%s'", bad[i][0], err);
    }
    remove_temp_dir(dir);
}

/* ---- board and rendering ---------------------------------------------- */

static const char round_json[] =
    "{\"checks\":[{\"name\":\"a\",\"plugin\":\"exec\",\"status\":\"FAIL\","
    "\"message\":\"too few\",\"severity\":\"HIGH\",\"started_ms\":1000,"
    "\"duration_ms\":250,\"metrics\":[{\"name\":\"rows\",\"value\":3,"
    "\"unit\":\"rows\",\"status\":\"FAIL\",\"reason\":\"x\","
    "\"anomalous\":false},{\"name\":\"lag\",\"value\":\"+Inf\",\"unit\":"
    "\"s\",\"status\":\"UNKNOWN\",\"reason\":\"\",\"anomalous\":true}]}],"
    "\"alerts\":[{\"fingerprint\":\"f1\",\"check\":\"a\",\"metric\":\"rows\","
    "\"summary\":\"s\",\"severity\":\"HIGH\",\"state\":\"NEW\"},"
    "{\"fingerprint\":\"f2\",\"check\":\"a\",\"metric\":\"\",\"summary\":"
    "\"s\",\"severity\":\"LOW\",\"state\":\"RESOLVED\"}]}";

static config *two_checks(char *dir)
{
    char err[512];
    config *cfg = load(dir,
                       "monitor: m\ndaemon: {interval: 1m}\nchecks:\n"
                       "  - {name: a, plugin: exec, severity: high}\n"
                       "  - {name: b, plugin: exec, interval: 5s}\n"
                       "  - {name: c, plugin: exec, enabled: false}\n",
                       err, sizeof err);
    assert_non_null(cfg);
    return cfg;
}

static void test_board_and_status(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    config *cfg = two_checks(dir);
    board b;
    assert_int_equal(board_init(&b), 0);
    assert_int_equal(board_sync(&b, cfg), 0);
    assert_int_equal(b.count, 2); /* c is disabled */
    cJSON *round = cJSON_Parse(round_json);
    const char *names[] = {"a"};
    board_apply(&b, names, 1, round);
    cJSON_Delete(round);
    /* f2 is RESOLVED: not kept. */
    assert_int_equal(cJSON_GetArraySize(b.alerts), 1);

    daemon_stats st = {.version = "9.9", .config_path = "/x.yaml"};
    size_t len;
    char *text = render_status(&b, &st, cfg, 5000, &len);
    cJSON *doc = cJSON_Parse(text);
    assert_non_null(doc);
    assert_string_equal(cJSON_GetObjectItem(doc, "status")->valuestring,
                        "FAIL");
    cJSON *checks = cJSON_GetObjectItem(doc, "checks");
    cJSON *a = cJSON_GetArrayItem(checks, 0);
    cJSON *bb = cJSON_GetArrayItem(checks, 1);
    assert_string_equal(cJSON_GetObjectItem(a, "message")->valuestring,
                        "too few");
    assert_int_equal(cJSON_GetObjectItem(a, "interval_ms")->valueint, 60000);
    assert_int_equal(cJSON_GetObjectItem(a, "last_run_ms")->valueint, 1000);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(a, "metrics")), 2);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(bb, "status")));
    assert_int_equal(cJSON_GetObjectItem(bb, "interval_ms")->valueint, 5000);
    cJSON *counts =
        cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "alerts"), "counts");
    assert_int_equal(cJSON_GetObjectItem(counts, "HIGH")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(counts, "LOW")->valueint, 0);
    cJSON_Delete(doc);
    free(text);

    text = render_metrics(&b, &st, cfg, &len);
    assert_non_null(strstr(text, "nbaq_check_status{monitor=\"m\",check=\"a\","
                                 "plugin=\"exec\",severity=\"HIGH\"} 2\n"));
    assert_non_null(strstr(text, "nbaq_metric_value{monitor=\"m\",check=\"a\","
                                 "metric=\"lag\",unit=\"s\"} +Inf\n"));
    assert_non_null(strstr(text, "nbaq_metric_anomalous{monitor=\"m\","
                                 "check=\"a\",metric=\"lag\"} 1\n"));
    assert_non_null(strstr(text, "nbaq_alerts_open{monitor=\"m\","
                                 "severity=\"HIGH\"} 1\n"));
    assert_null(strstr(text, "check=\"b\",plugin")); /* b has not run */
    free(text);

    /* A reload without a: its result and alert go; b stays. */
    config *cfg2 = load(dir, "checks:\n  - {name: b, plugin: exec}\n",
                        (char[256]){0}, 256);
    assert_int_equal(board_sync(&b, cfg2), 0);
    assert_int_equal(b.count, 1);
    assert_int_equal(cJSON_GetArraySize(b.alerts), 0);
    config_free(cfg2);
    board_free(&b);
    config_free(cfg);
    remove_temp_dir(dir);
}

static void test_round_encoding(void **state)
{
    (void)state;
    nbaq_metric m = {.name = "bad\xffname",
                     .value = NAN,
                     .unit = "",
                     .status = NBAQ_UNKNOWN,
                     .reason = "not a finite number"};
    const nbaq_metric *metrics[] = {&m};
    nbaq_check_result c = {.name = "a",
                           .plugin = "exec",
                           .status = NBAQ_UNKNOWN,
                           .message = "m",
                           .severity = NBAQ_SEV_LOW,
                           .started_ms = 7,
                           .duration_ms = 3,
                           .metrics = metrics,
                           .metric_count = 1};
    const nbaq_check_result *checks[] = {&c};
    nbaq_run run = {.run_id = "r", .checks = checks, .check_count = 1};
    cJSON *doc = round_encode_run(&run);
    cJSON *mj = cJSON_GetArrayItem(
        cJSON_GetObjectItem(
            cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "checks"), 0),
            "metrics"),
        0);
    assert_string_equal(cJSON_GetObjectItem(mj, "name")->valuestring,
                        "bad\xef\xbf\xbdname");
    assert_string_equal(cJSON_GetObjectItem(mj, "value")->valuestring, "NaN");
    cJSON_Delete(doc);
}

/* The evidence of a judged metric travels to the dashboard (its band);
 * a metric no history rule judged carries none. */
static void test_round_encodes_evidence(void **state)
{
    (void)state;
    nbaq_metric judged = {.name = "amount",
                          .value = 20,
                          .unit = "",
                          .reason = "",
                          .trend = NBAQ_TREND_DOWN,
                          .evidence = {.state = NBAQ_JUDGEMENT_JUDGED,
                                       .points_used = 7,
                                       .expected = 100,
                                       .scale = 1.7,
                                       .score = -46.8,
                                       .lower = 95,
                                       .upper = 105,
                                       .season = "none"}};
    nbaq_metric plain = judged;
    plain.name = "rows";
    plain.evidence = (nbaq_evidence){.state = NBAQ_JUDGEMENT_NONE,
                                     .expected = NAN,
                                     .lower = NAN,
                                     .upper = NAN};
    const nbaq_metric *metrics[] = {&judged, &plain};
    nbaq_check_result c = {.name = "sales",
                           .plugin = "exec",
                           .message = "",
                           .metrics = metrics,
                           .metric_count = 2};
    const nbaq_check_result *checks[] = {&c};
    nbaq_run run = {.run_id = "r", .checks = checks, .check_count = 1};
    cJSON *doc = round_encode_run(&run);
    cJSON *ms = cJSON_GetObjectItem(
        cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "checks"), 0), "metrics");
    cJSON *ev = cJSON_GetObjectItem(cJSON_GetArrayItem(ms, 0), "evidence");
    assert_string_equal(cJSON_GetObjectItem(ev, "state")->valuestring,
                        "JUDGED");
    assert_float_equal(cJSON_GetObjectItem(ev, "lower")->valuedouble, 95, 0);
    assert_float_equal(cJSON_GetObjectItem(ev, "upper")->valuedouble, 105, 0);
    assert_float_equal(cJSON_GetObjectItem(ev, "expected")->valuedouble, 100,
                       0);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(ms, 0), "trend")->valuestring,
        "down");
    assert_null(cJSON_GetObjectItem(cJSON_GetArrayItem(ms, 1), "evidence"));
    cJSON_Delete(doc);
}

/* One connection of the guard: a socketpair whose far end tells whether
 * the guard cut it (its read then ends). */
typedef struct fake_conn {
    int near, far;
    conn_slot *slot;
} fake_conn;

static void open_fake(conn_guard *g, fake_conn *c, uint32_t ip, int64_t now)
{
    int fds[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, fds), 0);
    c->near = fds[0];
    c->far = fds[1];
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_addr.s_addr = htonl(ip)};
    assert_int_equal(conn_guard_admit(g, (const struct sockaddr *)&addr, now),
                     1);
    c->slot = conn_guard_add(g, c->near, (const struct sockaddr *)&addr, now);
    assert_non_null(c->slot);
}

static int was_cut(const fake_conn *c)
{
    char b;
    return recv(c->far, &b, 1, MSG_DONTWAIT) == 0;
}

static void close_fake(conn_guard *g, fake_conn *c)
{
    conn_guard_remove(g, c->slot);
    close(c->near);
    close(c->far);
}

static void test_conn_guard_cuts_oldest_after_grace(void **state)
{
    (void)state;
    conn_guard g;
    /* 2 in all, 2 per address, 1 s timeout: a grace of 250 ms. */
    assert_int_equal(conn_guard_init(&g, 2, 2, 1000, 20), 0);
    fake_conn c[3];
    open_fake(&g, &c[0], 0x7f000001, 0);
    open_fake(&g, &c[1], 0x7f000001, 10);
    open_fake(&g, &c[2], 0x7f000001, 200);
    conn_guard_expire(&g, 200); /* the newest is in its grace: no cut */
    assert_false(was_cut(&c[0]) || was_cut(&c[1]) || was_cut(&c[2]));
    assert_int_equal(conn_guard_wait_ms(&g, 200), 51); /* c[2]'s grace */
    conn_guard_restart(c[0].slot, 300); /* c[0] was answered: now newer */
    conn_guard_expire(&g, 460);
    assert_false(was_cut(&c[0]));
    assert_true(was_cut(&c[1])); /* its request began longest ago */
    assert_false(was_cut(&c[2]));
    assert_int_equal(g.cut_for_room, 1);
    conn_guard_expire(&g, 1200); /* c[2]'s request is past the timeout */
    assert_true(was_cut(&c[2]));
    assert_false(was_cut(&c[0]));
    assert_int_equal(g.cut_slow, 1);
    for (int i = 0; i < 3; i++)
        close_fake(&g, &c[i]);
    assert_int_equal(g.open, 0);
    conn_guard_free(&g);
}

static void test_conn_guard_per_address(void **state)
{
    (void)state;
    conn_guard g;
    assert_int_equal(conn_guard_init(&g, 10, 1, 5000, 40), 0);
    fake_conn a[2], b;
    open_fake(&g, &a[0], 0x0a000001, 0);
    open_fake(&g, &b, 0x0a000002, 1);
    open_fake(&g, &a[1], 0x0a000001, 2);
    conn_guard_expire(&g, 1000);
    assert_true(was_cut(&a[0])); /* one per address: the older goes */
    assert_false(was_cut(&a[1]));
    assert_false(was_cut(&b)); /* another address is not touched */
    close_fake(&g, &a[0]);
    close_fake(&g, &a[1]);
    close_fake(&g, &b);
    conn_guard_free(&g);
}

static void test_conn_guard_hard_limit(void **state)
{
    (void)state;
    conn_guard g;
    /* capacity 6: at most 5 open; crowd limit (6 + 1) / 2 = 3 live. */
    assert_int_equal(conn_guard_init(&g, 1, 1, 5000, 6), 0);
    fake_conn c[5];
    for (int i = 0; i < 5; i++)
        open_fake(&g, &c[i], 0x7f000001, i);
    /* The 4th and 5th newcomers found 3 live: each cut the oldest. */
    assert_true(was_cut(&c[0]) && was_cut(&c[1]));
    assert_false(was_cut(&c[2]) || was_cut(&c[3]) || was_cut(&c[4]));
    struct sockaddr_in addr = {.sin_family = AF_INET};
    assert_int_equal(conn_guard_admit(&g, (const struct sockaddr *)&addr, 10),
                     0);
    assert_int_equal(g.refused, 1);
    for (int i = 0; i < 5; i++)
        close_fake(&g, &c[i]);
    conn_guard_free(&g);
}

static void test_routes(void **state)
{
    (void)state;
    size_t asset;
    assert_int_equal(route_of_uri("/healthz", &asset), ROUTE_HEALTH);
    assert_int_equal(route_of_uri("/metrics?x=1#y", &asset), ROUTE_METRICS);
    assert_int_equal(route_of_uri("/api/history?check=a", &asset),
                     ROUTE_HISTORY);
    assert_int_equal(route_of_uri("/", &asset), ROUTE_ASSET);
    const char *not_found[] = {
        "/metrics/", "//metrics", "/x/../metrics", "/%2e%2e/metrics",
        "/METRICS",  "",          "/api"};
    for (size_t i = 0; i < sizeof not_found / sizeof not_found[0]; i++)
        assert_int_equal(route_of_uri(not_found[i], &asset), ROUTE_NOT_FOUND);
    char long_path[1100];
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[0] = '/';
    long_path[sizeof long_path - 1] = '\0';
    assert_int_equal(route_of_uri(long_path, &asset), ROUTE_NOT_FOUND);
    assert_true(route_is_protected(ROUTE_STATUS));
    assert_false(route_is_protected(ROUTE_HEALTH));
    /* The dashboard's routes, an alert's fingerprint in the path. */
    assert_int_equal(route_of_uri("/api/marks?check=a", &asset),
                     ROUTE_DASHBOARD);
    assert_int_equal(route_of_uri("/api/timeline", &asset), ROUTE_DASHBOARD);
    assert_int_equal(route_of_uri("/api/alerts/0a9f?x=1", &asset),
                     ROUTE_DASHBOARD);
    assert_int_equal(route_of_uri("/api/alerts/0a9f/silence", &asset),
                     ROUTE_DASHBOARD);
    const char *not_alerts[] = {"/api/alerts/", "/api/alerts/0A9F",
                                "/api/alerts/0a9f/", "/api/alerts/0a9f/drop",
                                "/api/alerts/0a9f/ack/x"};
    for (size_t i = 0; i < sizeof not_alerts / sizeof not_alerts[0]; i++)
        assert_int_equal(route_of_uri(not_alerts[i], &asset), ROUTE_NOT_FOUND);
    assert_true(route_is_protected(ROUTE_DASHBOARD));
    char fingerprint[ROUTE_FINGERPRINT_MAX];
    const char *action;
    assert_int_equal(
        route_alert_path("/api/alerts/0a9f/ack", fingerprint, &action), 0);
    assert_string_equal(fingerprint, "0a9f");
    assert_string_equal(action, "ack");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_without_jitter),
        cmocka_unit_test(test_schedule_rounds_group_equal_due_times),
        cmocka_unit_test(test_schedule_jitter_bounds),
        cmocka_unit_test(test_schedule_sync_keeps_and_drops),
        cmocka_unit_test(test_token_equal),
        cmocka_unit_test(test_conn_guard_cuts_oldest_after_grace),
        cmocka_unit_test(test_conn_guard_per_address),
        cmocka_unit_test(test_conn_guard_hard_limit),
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_listen_split),
        cmocka_unit_test(test_config_section),
        cmocka_unit_test(test_board_and_status),
        cmocka_unit_test(test_round_encoding),
        cmocka_unit_test(test_round_encodes_evidence),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
