/*
 * The alert state machine (core/alerts/lifecycle.c, flapping.c) on
 * sequences of runs worked out by hand. Each run is one letter: F a
 * failing run, P a passing one (and, where said, W a WARNING run); runs
 * are ten minutes apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config_alerts.h"
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

/* The severity of a run's letter under the default severity_from_status:
 * FAIL the check's declared severity, WARNING one level lower. */
static nbaq_severity severity_of(char run, nbaq_severity declared)
{
    alerts_config ac;
    alerts_config_defaults(&ac);
    return alerts_severity_of(&ac, run == 'W' ? NBAQ_WARNING : NBAQ_FAIL,
                              declared);
}

/* Feeds the letters of runs (F FAIL, W WARNING, P PASS) to a from run
 * index `first`, for a check declared with severity base; returns the
 * events, one letter each: - none, O opened, E escalated, F flapping,
 * R resolved, L severity lowered, S stopped flapping while failing. */
static void feed(history_alert *a, const lifecycle_policy *p, const char *runs,
                 int first, nbaq_severity base, char *events)
{
    static const char letters[] = "-OEFRLS";
    size_t i = 0;
    for (; runs[i]; i++) {
        lifecycle_event e =
            lifecycle_step(a, p, runs[i] != 'P', RUN(first + (int)i),
                           severity_of(runs[i], base));
        events[i] = letters[e];
    }
    events[i] = '\0';
}

/* Feeds runs as feed() does and checks the events they gave. */
static void expect_events(history_alert *a, const lifecycle_policy *p,
                          const char *runs, int first, nbaq_severity base,
                          const char *expected)
{
    char events[64];
    feed(a, p, runs, first, base, events);
    assert_string_equal(events, expected);
}

/* How many of events are notified (to every routed channel), with the
 * default alerts.notify_lowered (off). */
static int notified(const char *events)
{
    static const char letters[] = "-OEFRLS";
    int n = 0;
    for (const char *e = events; *e; e++)
        n += lifecycle_notifies(
            (lifecycle_event)(strchr(letters, *e) - letters), 0);
    return n;
}

static void test_opens_repeats_and_resolves(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    history_alert a = {0};
    expect_events(&a, &p, "FFP", 0, NBAQ_SEV_HIGH, "O-R");
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
    /* F F P resets the count; the next three F open at the third, and
     * the alert starts at the first of the three (run 3). */
    expect_events(&a, &p, "FFPFFF", 0, NBAQ_SEV_MEDIUM, "-----O");
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
    /* Opens at run 0; P F breaks the passing streak; P P resolves at
     * run 4 with the end at run 3, the first of the two passes. */
    expect_events(&a, &p, "FPFPP", 0, NBAQ_SEV_MEDIUM, "O---R");
    assert_int_equal(a.ended_ms, RUN(3));
    assert_int_equal(a.started_ms, RUN(0));
}

static void test_open_alert_passing_once_stays_firing(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.resolve_after = 3;
    history_alert a = {0};
    expect_events(&a, &p, "FP", 0, NBAQ_SEV_MEDIUM, "O-");
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
    /* Runs 0..2 fail: open, firing, escalated at the third consecutive
     * failure; more failures do not escalate again. */
    expect_events(&a, &p, "FFFFF", 0, NBAQ_SEV_HIGH, "O-E--");
    assert_int_equal(a.severity, NBAQ_SEV_CRITICAL);
    assert_int_equal(a.escalated, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
    /* It resolves with the raised severity; the next episode starts at
     * the configured one again. */
    expect_events(&a, &p, "PF", 5, NBAQ_SEV_HIGH, "RO");
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
    /* Open at 0; 10 and 20 minutes are short of 30; at run 3 (30
     * minutes) it escalates. */
    expect_events(&a, &p, "FFFF", 0, NBAQ_SEV_LOW, "O--E");
    assert_int_equal(a.severity, NBAQ_SEV_MEDIUM);
}

static void test_critical_cannot_escalate(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.escalate_after_runs = 2;
    history_alert a = {0};
    expect_events(&a, &p, "FFF", 0, NBAQ_SEV_CRITICAL, "O--");
    assert_int_equal(a.severity, NBAQ_SEV_CRITICAL);
}

static void test_warning_to_fail_escalates_and_notifies(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    history_alert a = {0};
    char events[64];
    /* A check declared high: WARNING opens at medium, FAIL raises it to
     * high: an escalation, notified. */
    feed(&a, &p, "WWF", 0, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "O-E");
    assert_int_equal(notified(events), 2);
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
    assert_int_equal(a.state, NBAQ_ALERT_ESCALATED);
    assert_int_equal(a.started_ms, RUN(0));
    assert_int_equal(a.episode, 1);
    /* Failing on, it is firing at the same severity. */
    expect_events(&a, &p, "F", 3, NBAQ_SEV_HIGH, "-");
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
}

static void test_fail_to_warning_lowers_without_notifying(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    history_alert a = {0};
    char events[64];
    feed(&a, &p, "FWW", 0, NBAQ_SEV_CRITICAL, events);
    assert_string_equal(events, "OL-");
    assert_int_equal(notified(events), 1); /* only the opening */
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
    assert_int_equal(a.open, 1);
    /* With alerts.notify_lowered the lowering is notified. */
    assert_true(lifecycle_notifies(LIFECYCLE_LOWERED, 1));
    /* Back to FAIL: escalated again, notified. */
    expect_events(&a, &p, "F", 3, NBAQ_SEV_CRITICAL, "E");
    assert_int_equal(a.severity, NBAQ_SEV_CRITICAL);
}

static void test_escalation_by_runs_follows_the_status(void **state)
{
    (void)state;
    lifecycle_policy p = plain();
    p.escalate_after_runs = 2;
    history_alert a = {0};
    /* Declared medium: W opens at low, the second failing run escalates
     * one level above what the status gives (low -> medium); FAIL then
     * gives medium, one above is high: escalated again by the status. */
    expect_events(&a, &p, "WWF", 0, NBAQ_SEV_MEDIUM, "OEE");
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
    assert_int_equal(a.escalated, 1);
}

static void test_flap_bits_by_hand(void **state)
{
    (void)state;
    flap_policy fp = {1, 10, 3};
    uint64_t bits = 0;
    uint32_t count = 0;
    /* Oldest first: F P F: the latest run begins a failing stretch; the
     * previous one (run 0) lasted 1 run (< settle 3): flapping starts. */
    const char *runs = "FPF";
    for (const char *r = runs; *r; r++)
        flap_record(&bits, &count, *r == 'F');
    assert_int_equal(count, 3);
    assert_int_equal(bits, 0x5); /* latest in bit 0: F P F -> 101 */
    assert_true(flap_starts(bits, count, &fp));
    assert_false(flap_settled(bits, count, 3));
    /* F F F P F: the previous stretch lasted 3 runs: a real failure, not
     * a flap. */
    bits = 0x1D; /* 11101 */
    count = 5;
    assert_false(flap_starts(bits, count, &fp));
    /* F P P P P P P P P P P F: the earlier failure is 11 runs back, out of
     * the window of 10. */
    bits = (1ULL << 11) | 1;
    count = 12;
    assert_false(flap_starts(bits, count, &fp));
    fp.window = 12;
    assert_true(flap_starts(bits, count, &fp));
    /* Settled: the latest three agree. */
    assert_true(flap_settled(0x7, 5, 3));  /* ..FFF */
    assert_true(flap_settled(0x18, 5, 3)); /* FFPPP */
    assert_false(flap_settled(0x3, 5, 3)); /* ..PFF */
    /* 63 results at most are kept. */
    for (int i = 0; i < 100; i++)
        flap_record(&bits, &count, 1);
    assert_int_equal(count, 63);
    assert_int_equal(bits, (1ULL << 63) - 1);
}

static lifecycle_policy flapping(void)
{
    lifecycle_policy p = plain();
    p.flap = (flap_policy){1, ALERTS_DEFAULT_FLAP_WINDOW,
                           ALERTS_DEFAULT_FLAP_SETTLE};
    return p;
}

static void test_alternation_from_the_first_run_is_damped_early(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    /* Defaults: window 10, settle 3.
     *   run 0 F: opens                                 O (notified)
     *   run 1 P: resolves                              R (notified)
     *   run 2 F: a 1-run failure back after 1 run:
     *            flapping, opens an alert              F (notified once)
     *   runs 3..9: never three equal results: nothing. */
    feed(&a, &p, "FPFPFPFPFP", 0, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "ORF-------");
    const char *damped = strchr(events, 'F');
    assert_non_null(damped);
    char before[64];
    memcpy(before, events, (size_t)(damped - events));
    before[damped - events] = '\0';
    assert_int_equal(notified(before), 2);
    assert_int_equal(notified(events), 3);
    assert_int_equal(a.flapping, 1);
    assert_int_equal(a.open, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FLAPPING);
    assert_int_equal(a.started_ms, RUN(2));
    assert_int_equal(a.episode, 2);
}

static void test_fail_once_and_recover_is_not_flapping(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    expect_events(&a, &p, "FPPPPPPPPP", 0, NBAQ_SEV_HIGH, "OR--------");
    assert_int_equal(a.flapping, 0);
    assert_int_equal(a.open, 0);
    /* A failure that lasted (3 runs) and comes back after a blip is a new
     * alert, not a flap. */
    history_alert b = {0};
    expect_events(&b, &p, "FFFPF", 0, NBAQ_SEV_HIGH, "O--RO");
    assert_int_equal(b.flapping, 0);
}

static void test_alternation_then_lasting_failure_is_notified(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    /*   runs 0..2 as above: O R F
     *   run 3 P, run 4 F, run 5 F: still flapping (P F F disagree)
     *   run 6 F: F F F: stops flapping while failing: S, notified as
     *            firing
     *   run 7 F: firing, nothing new. */
    feed(&a, &p, "FPFPFFFF", 0, NBAQ_SEV_HIGH, events);
    assert_string_equal(events, "ORF---S-");
    assert_int_equal(notified(events), 4);
    assert_int_equal(a.flapping, 0);
    assert_int_equal(a.open, 1);
    assert_int_equal(a.state, NBAQ_ALERT_FIRING);
    assert_int_equal(a.started_ms, RUN(2));
    assert_int_equal(a.severity, NBAQ_SEV_HIGH);
    /* Then it passes: resolved, notified. */
    expect_events(&a, &p, "P", 8, NBAQ_SEV_HIGH, "R");
    assert_int_equal(a.ended_ms, RUN(8));
}

static void test_alternation_then_lasting_pass_resolves(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    /* Flapping from run 2; P P P at runs 3..5 settle it: resolved at run
     * 5, ended at run 3, the first of the passes. */
    expect_events(&a, &p, "FPFPPP", 0, NBAQ_SEV_MEDIUM, "ORF--R");
    assert_int_equal(a.open, 0);
    assert_int_equal(a.ended_ms, RUN(3));
    assert_int_equal(a.flapping, 0);
}

static void test_flapping_opens_an_alert_that_never_opened(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    p.open_after = 2;
    history_alert a = {0};
    /* open_after 2 keeps F P from opening; at run 2 the 1-run failure is
     * back: flapping opens an alert, started then. */
    expect_events(&a, &p, "FPFP", 0, NBAQ_SEV_MEDIUM, "--F-");
    assert_int_equal(a.open, 1);
    assert_int_equal(a.started_ms, RUN(2));
    assert_int_equal(a.state, NBAQ_ALERT_FLAPPING);
}

static void test_forgettable_after_the_flap_window(void **state)
{
    (void)state;
    lifecycle_policy p = flapping();
    history_alert a = {0};
    char events[64];
    expect_events(&a, &p, "FP", 0, NBAQ_SEV_MEDIUM, "OR");
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
        cmocka_unit_test(test_warning_to_fail_escalates_and_notifies),
        cmocka_unit_test(test_fail_to_warning_lowers_without_notifying),
        cmocka_unit_test(test_escalation_by_runs_follows_the_status),
        cmocka_unit_test(test_flap_bits_by_hand),
        cmocka_unit_test(test_alternation_from_the_first_run_is_damped_early),
        cmocka_unit_test(test_fail_once_and_recover_is_not_flapping),
        cmocka_unit_test(test_alternation_then_lasting_failure_is_notified),
        cmocka_unit_test(test_alternation_then_lasting_pass_resolves),
        cmocka_unit_test(test_flapping_opens_an_alert_that_never_opened),
        cmocka_unit_test(test_forgettable_after_the_flap_window),
        cmocka_unit_test(test_close_resolves_an_open_alert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
