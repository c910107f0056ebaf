/* The daemon's watchdog (core/daemon/watchdog.c): when a check is stale
 * and a member dead (its config section is tested with the others' in
 * test_daemon_units.c). Expected values are worked out by hand in the
 * comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "watchdog.h"

#define NOW 1000000

static const nbaq_metric *metric_named(const nbaq_check_result *r,
                                       const char *name)
{
    for (size_t i = 0; i < r->metric_count; i++) {
        if (strcmp(r->metrics[i]->name, name) == 0)
            return r->metrics[i];
    }
    fail_msg("no metric %s", name);
    return NULL;
}

static void test_stale_limit(void **state)
{
    (void)state;
    watchdog_policy p = {.stale_after = 2.0, .jitter = 0.1};
    /* max(2 x 60 s, 60 s + 10% of it) */
    assert_int_equal(watchdog_stale_limit_ms(&p, 60000), 120000);
    p.stale_after = 1.0;
    /* max(60 s, 66 s): jitter alone never makes a check stale */
    assert_int_equal(watchdog_stale_limit_ms(&p, 60000), 66000);
    /* Held by a dead member until 995 s: not before 995 + 60 + 6 s. */
    watchdog_check_age c = {.check = "a",
                            .interval_ms = 60000,
                            .started_ms = 900000,
                            .held_until_ms = 995000};
    assert_int_equal(watchdog_stale_at_ms(&p, &c), 1061000);
    c.held_until_ms = 0; /* 900 + 66 s */
    assert_int_equal(watchdog_stale_at_ms(&p, &c), 966000);
}

static void test_judge_checks_and_members(void **state)
{
    (void)state;
    watchdog_policy p = {
        .stale_after = 2.0, .jitter = 0, .member_dead_after_ms = 15000};
    watchdog_check_age checks[] = {
        /* 20 s since the start, limit 2 x 10 s: not yet */
        {.check = "on_time", .interval_ms = 10000, .started_ms = NOW - 20000},
        /* 1 ms more: stale */
        {.check = "late",
         .interval_ms = 10000,
         .started_ms = NOW - 20001,
         .running_on = "h1:7"},
        /* 30 s, but a dead member's lease ran to NOW - 5 s: the takeover
         * has until NOW + 5 s */
        {.check = "taken_over",
         .interval_ms = 10000,
         .started_ms = NOW - 30000,
         .held_until_ms = NOW - 5000},
    };
    watchdog_member_age members[] = {
        {.member = "h1:7",
         .host = "h1",
         .started_ms = 1,
         .heartbeat_ms = NOW - 1000},
        /* 16 s without a heartbeat, dead after 15 s */
        {.member = "h2:8",
         .host = "h2",
         .started_ms = 1,
         .heartbeat_ms = NOW - 16000},
        /* stopped cleanly long ago */
        {.member = "h3:9",
         .host = "h3",
         .started_ms = 1,
         .heartbeat_ms = NOW - 500000,
         .stopped_ms = NOW - 500000},
        /* dead, but h1:7 joined after its last heartbeat: restarted */
        {.member = "h1:5", .host = "h1", .started_ms = 0, .heartbeat_ms = 0},
    };
    watchdog_input in = {NOW, checks, 3, members, 4};
    arena mem = ARENA_INIT;
    nbaq_check_result *r = watchdog_judge(&mem, &p, &in);
    assert_non_null(r);
    assert_string_equal(r->name, "nbaq:watchdog");
    assert_int_equal(r->status, NBAQ_FAIL);
    assert_string_equal(r->message, "1 stale check, 1 dead member");
    assert_int_equal(r->metric_count, 7);

    const nbaq_metric *m = metric_named(r, "stale:on_time");
    assert_int_equal(m->status, NBAQ_PASS);
    assert_true(m->value == 20.0);
    m = metric_named(r, "stale:late");
    assert_int_equal(m->status, NBAQ_FAIL);
    assert_true(m->value == 20.001);
    assert_string_equal(m->reason,
                        "check 'late' has not started for 20s (interval 10s, "
                        "stale after 20s); still running on h1:7");
    assert_int_equal(metric_named(r, "stale:taken_over")->status, NBAQ_PASS);

    assert_int_equal(metric_named(r, "member:h1:7")->status, NBAQ_PASS);
    m = metric_named(r, "member:h2:8");
    assert_int_equal(m->status, NBAQ_FAIL);
    assert_true(m->value == 16.0);
    assert_string_equal(m->reason, "fleet member h2:8 stopped heartbeating "
                                   "16s ago without a clean stop");
    assert_int_equal(metric_named(r, "member:h3:9")->status, NBAQ_PASS);
    assert_int_equal(metric_named(r, "member:h1:5")->status, NBAQ_PASS);
    arena_free(&mem);

    /* All well: PASS, no message. */
    watchdog_input fine = {NOW, checks, 1, members, 1};
    r = watchdog_judge(&mem, &p, &fine);
    assert_non_null(r);
    assert_int_equal(r->status, NBAQ_PASS);
    assert_string_equal(r->message, "");
    arena_free(&mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stale_limit),
        cmocka_unit_test(test_judge_checks_and_members),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
