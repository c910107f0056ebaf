/*
 * schedule.h - when each check of the daemon runs next.
 *
 * Every check has its own interval and a slot clock: slots fall every
 * interval from the check's first slot; each run starts at its slot plus a
 * random delay of up to `jitter` times the interval, so that checks with
 * the same interval do not all start at once. A check that is running is
 * never due (no run overlaps the previous one). Slots missed while a run
 * lasted longer than its interval are skipped; when the next slot has
 * already passed as the run ends, the check starts again at once.
 *
 * Times are CLOCK_MONOTONIC milliseconds. Pure logic, no I/O: the caller
 * says what time it is.
 *
 * Ownership: the schedule owns its entries and their names (malloc'd);
 * schedule_free() releases them.
 */
#ifndef NBAQ_DAEMON_SCHEDULE_H
#define NBAQ_DAEMON_SCHEDULE_H

#include <stddef.h>
#include <stdint.h>

typedef struct schedule_entry {
    char *name;
    int64_t interval_ms;
    int64_t slot_ms; /* the slot of the next run                         */
    int64_t due_ms;  /* slot_ms plus its jitter                          */
    int running;
    int64_t started_ms; /* the last start; before the first, when the
                           check was scheduled (the watchdog's age)  */
} schedule_entry;

typedef struct schedule {
    schedule_entry *entries;
    size_t count;
    double jitter; /* 0 .. 0.5                                        */
    uint64_t rng;  /* xorshift64 state; never 0                       */
} schedule;

/* An empty schedule; seed 0 picks one from getrandom(). */
void schedule_init(schedule *s, uint64_t seed);
void schedule_free(schedule *s);

/*
 * Makes the entries those of names[i] with intervals[i] (n of them),
 * keeping the slots of checks that stay (an interval that changed
 * reschedules from the last slot), adding new checks with their first
 * slot at now and dropping the others (a running one is dropped too; the
 * caller forgets its results). Returns 0, or -1 when out of memory (the
 * schedule is then unchanged).
 */
int schedule_sync(schedule *s, const char *const *names,
                  const int64_t *intervals, size_t n, double jitter,
                  int64_t now_ms);

/* Index of the entry named name, or -1. */
long schedule_find(const schedule *s, const char *name);

/* Fills idx with up to max entries that are due at now and not running,
 * the earliest first; returns how many. */
size_t schedule_due(const schedule *s, int64_t now_ms, size_t *idx, size_t max);

/* The next round: like schedule_due, but only the entries due at the
 * same instant as the earliest one (with jitter that is most often one
 * entry; with jitter 0, every check of the same slot). Entries due later
 * form their own rounds, so that no check waits for a slow check it
 * merely fell due together with while both were late. */
size_t schedule_due_round(const schedule *s, int64_t now_ms, size_t *idx,
                          size_t max);

/* Entry i starts a run now: running, and its next slot and due time. */
void schedule_started(schedule *s, size_t i, int64_t now_ms);

/* Entry i did not start (another member of the fleet ran it, or will):
 * it is due again at due_ms, with its slot unchanged. */
void schedule_defer(schedule *s, size_t i, int64_t due_ms);

/* The run of entry i ended (it may start again when due). */
void schedule_finished(schedule *s, size_t i);

/* The earliest due time of an entry that is not running; INT64_MAX when
 * there is none. */
int64_t schedule_next_due(const schedule *s);

#endif
