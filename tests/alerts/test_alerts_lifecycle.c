/*
 * The alert state machine (core/alerts/lifecycle.c, flapping.c) on
 * sequences of runs worked out by hand. Each run is one letter: F a
 * failing run, P a passing one; runs are ten minutes apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flapping.h"
#include "lifecycle.h"

#define T0 1714559400000LL /* 2024-05-01T10:30:00Z */
#define MIN 60000LL
#define RUN(i) (T0 + (int64_t)(i)*10 * MIN)

static lifecycle_policy plain(void)
{
    lifecycle_policy p = {.open_after = 1, .resolve_after = 1};
    return p; /* no escalation, no flap damping */
}

/* Feeds the letters of runs to a from run index `first`; returns the
 * events, one letter each: - none, O opened, E escalated, F flapping,
 * R resolved. */
static void feed(history_alert *a, const lifecycle_policy *p, const char *runs,
                 int first, nbaq_severity base, char *events)
{
    static const char letters[] = "-OEFR";
    size_t i = 0;
    for (; runs[i]; i++) {
        lifecycle_event e =
            lifecycle_step(a, p, runs[i] == 'F', RUN(first + (int)i), base);
        events[i] = letters[e];
    }
    events[i] = '\0';
}

static void test_opens_repeats_and_resolves(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FFP", 0, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "O-R");
    assert_int_equal(a.open, 0);
    assert_int_equal(a.state, NBAQ_ALERT_RESOLVED);
    assert_int_equal(a.episode, 1);
    /* Opened at the first failing run, ended at the first passing one:
     * it lasted 20 minutes. */
    assert_int_equal(a.started_ms, RUN(0));
    assert_int_equal(a.ended_ms, RUN(2));
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
}

static void test_open_after_needs_consecutive_failures(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.open_after = 3;
    history_alert a = {0};
    char events[64];
    /* F F P resets the count; the next three F open at the third, and
     * the alert starts at the first of the three (run 3). */
    feed(&a, &p, "FFPFFF", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "-----O");
    assert_int_equal(a.started_ms, RUN(3));
    assert_int_equal(a.failing_runs, 3);
    assert_int_equal(a.state, NBAQ_ALERT_NEW);
}

static void test_resolve_after_needs_consecutive_passes(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.resolve_after = 2;
    history_alert a = {0};
    char events[64];
    /* Opens at run 0; P F breaks the passing streak; P P resolves at
     * run 4 with the end at run 3, the first of the two passes. */
    feed(&a, &p, "FPFPP", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "O---R");
    assert_int_equal(a.ended_ms, RUN(3));
    assert_int_equal(a.started_ms, RUN(0));
}

static void test_open_alert_passing_once_stays_firing(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.resolve_after = 3;
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FP", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "O-");
    assert_int_equal(a.open, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
    assert_int_equal(a.failing_runs, 0);
    assert_int_equal(a.passing_runs, 1);
}

static void test_escalates_after_runs_once(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.escalate_after_runs = 3;
    history_alert a = {0};
    char events[64];
    /* Runs 0..2 fail: open, firing, escalated at the third consecutive
     * failure; more failures do not escalate again. */
    feed(&a, &p, "FFFFF", 0, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "O-E--");
    assert_int_equal(a.severity, NBAQ_SEV_CRITICAL);
    assert_int_equal(a.escalated, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
    /* It resolves with the raised severity; the next episode starts at
     * the configured one again. */
    feed(&a, &p, "PF", 5, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "RO");
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
    assert_int_equal(a.escalated, 0);
    assert_int_equal(a.episode, 2);
}

static void test_escalates_after_duration(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.escalate_after_ms = 30 * MIN;
    history_alert a = {0};
    char events[64];
    /* Open at 0; 10 and 20 minutes are short of 30; at run 3 (30
     * minutes) it escalates. */
    feed(&a, &p, "FFFF", 0, NBAQ_SEV_LOW, events);
    assert_string_equal(events, "O--E");
    assert_int_equal(a.severity, NBAQ_SEV_MEDIUM);
}

static void test_critical_cannot_escalate(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.escalate_after_runs = 2;
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FFF", 0, NBAQ_SEV_CRITICAL, events);
    assert_string_equal(events, "O--");
    assert_int_equal(a.severity, NBAQ_SEV_CRITICAL);
}

static void test_flap_percent_by_hand(void **state)
{
    (void)state;
    uint64_t bits = 0;
    uint32_t count = 0;
    /* Oldest first: F P F P: three changes over a window of 10 runs,
     * 3 / 9 = 33.3 %. */
    const char *runs = "FPFP";
    for (const char *r = runs; *r; r++)
        flap_record(&bits, &count, *r == 'F');
    assert_int_equal(count, 4);
    assert_int_equal(bits, 0xA); /* latest in bit 0: P F P F -> 1010 */
    assert_float_equal(flap_percent(bits, count, 10), 100.0 / 3, 1e-9);
    /* A window of 3 looks at the latest three only: P F P, 2 changes
     * over 2 = 100 %. */
    assert_float_equal(flap_percent(bits, count, 3), 100.0, 1e-9);
    /* 63 results at most are kept. */
    for (int i = 0; i < 100; i++)
        flap_record(&bits, &count, 1);
    assert_int_equal(count, 63);
    assert_int_equal(bits, (1ULL << 63) - 1);
}

static lifecycle_policy flapping(void)
{
    lifecycle_policy p = plain();
    p.flap = (flap_policy){1, 10, 30.0, 25.0};
    return p;
}

static void test_flapping_is_notified_once_then_settles(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    /* Window 10 (9 changes possible), start above 30 %, stop below 25 %.
     *   run 0 F: 0 changes, opens          O
     *   run 1 P: 1 change (11 %), resolves R
     *   run 2 F: 2 changes (22 %), opens   O
     *   run 3 P: 3 changes (33 %) > 30 %: flapping starts: F (the alert
     *            of run 2 stays open, now FLAPPING)
     *   runs 4..10 F: flapping, nothing notified; at run 10 the window
     *            holds runs 1..10 = P F P F F F F F F F: 3 changes, 33 %
     *   run 11 F: runs 2..11: F P F F F F F F F F: 2 changes, 22 % < 25:
     *            flapping stops; still failing: FIRING, nothing sent
     *   run 12 P: runs 3..12: 2 changes, 22 %: resolves. */
    feed(&a, &p, "FPFPFFFFFFFFP", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "OROF--------R");
    assert_int_equal(a.episode, 2);
    assert_int_equal(a.started_ms, RUN(2));
    assert_int_equal(a.ended_ms, RUN(12));
    assert_int_equal(a.flapping, 0);
}

static void test_flapping_state_while_it_lasts(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FPFPF", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "OROF-");
    assert_int_equal(a.flapping, 1);
    assert_int_equal(a.open, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FLAPPING);
    /* A pass while flapping does not resolve. */
    feed(&a, &p, "P", 5, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "-");
    assert_int_equal(a.open, 1);
}

static void test_flapping_opens_an_alert_that_never_opened(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    p.open_after = 2;
    history_alert a = {0};
    char events[64];
    /* open_after 2 keeps F P F from opening; at run 3 (P) the 3 changes
     * reach 33 %: flapping opens an alert, started then. */
    feed(&a, &p, "FPFP", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "---F");
    assert_int_equal(a.open, 1);
    assert_int_equal(a.started_ms, RUN(3));
    assert_int_equal(a.state, NBAQ_ALERT_FLAPPING);
}

static void test_forgettable_after_the_flap_window(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FP", 0, NBAQ_SEV_MEDIUM, events);
    assert_string_equal(events, "OR");
    /* The failure of run 0 is inside the window of 10: keep the row. */
    assert_false(lifecycle_forgettable(&a, &p));
    feed(&a, &p, "PPPPPPPP", 2, NBAQ_SEV_MEDIUM, events);
    assert_false(lifecycle_forgettable(&a, &p)); /* runs 0..9 hold F */
    feed(&a, &p, "P", 10, NBAQ_SEV_MEDIUM, events);
    assert_true(lifecycle_forgettable(&a, &p));
    /* Without flap damping a closed row with no failing streak goes. */
    lifecycle_policy q = plain();
    assert_true(lifecycle_forgettable(&a, &q));
    history_alert pending = {0};
    q.open_after = 2;
    feed(&pending, &q, "F", 0, NBAQ_SEV_MEDIUM, events);
    assert_false(lifecycle_forgettable(&pending, &q));
}

static void test_close_resolves_an_open_alert(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    history_alert a = {0};
    char events[8];
    feed(&a, &p, "F", 0, NBAQ_SEV_MEDIUM, events);
    assert_int_equal(lifecycle_close(&a, RUN(1)), LIFECYCLE_RESOLVED);
    assert_int_equal(a.ended_ms, RUN(1));
    assert_int_equal(lifecycle_close(&a, RUN(2)), LIFECYCLE_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_opens_repeats_and_resolves),
        cmocka_unit_test(test_open_after_needs_consecutive_failures),
        cmocka_unit_test(test_resolve_after_needs_consecutive_passes),
        cmocka_unit_test(test_open_alert_passing_once_stays_firing),
        cmocka_unit_test(test_escalates_after_runs_once),
        cmocka_unit_test(test_escalates_after_duration),
        cmocka_unit_test(test_critical_cannot_escalate),
        cmocka_unit_test(test_flap_percent_by_hand),
        cmocka_unit_test(test_flapping_is_notified_once_then_settles),
        cmocka_unit_test(test_flapping_state_while_it_lasts),
        cmocka_unit_test(test_flapping_opens_an_alert_that_never_opened),
        cmocka_unit_test(test_forgettable_after_the_flap_window),
        cmocka_unit_test(test_close_resolves_an_open_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
