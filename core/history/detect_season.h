/*
 * detect_season.h - finds a daily or weekly cycle in a metric's own
 * history and removes it: each value is compared with the values of the
 * same phase (hour of day, day of week or hour of week).
 */
#ifndef NBAQ_HISTORY_DETECT_SEASON_H
#define NBAQ_HISTORY_DETECT_SEASON_H

#include <stddef.h>
#include <stdint.h>

#include "rules.h"

/* A cycle is kept when it removes at least this fraction of the variance
 * (as squared robust spreads), measured out of sample (leave one out). */
#define DETECT_SEASON_STRENGTH 0.5

/* Phases of a week of hours: the most any season key has. */
#define DETECT_MAX_PHASES 168

/* One sample placed in its phase; sorted by (phase, value). */
typedef struct detect_phase_entry {
    int64_t phase;
    double value;
    size_t index;
} detect_phase_entry;

/* Scratch for n samples, owned by the caller. */
typedef struct detect_season_work {
    detect_phase_entry *entries; /* n                                    */
    detect_phase_entry *sorted;  /* n: room for the sort                 */
    double *projected;           /* n: values projected to now           */
    double *scratch;             /* n                                    */
} detect_season_work;

typedef struct detect_season_fit {
    rule_season key;      /* NONE: no cycle removed                     */
    const char *name;     /* static: "none", "daily", "weekly", or the
                             configured key ("hour_of_day"...)          */
    int detected;         /* found in the history (seasonal: auto)      */
    double strength;      /* fraction of the variance the cycle removes */
    double slope;         /* per ms: trend removed before the profile   */
    double now_component; /* the cycle's value at now's phase           */
    size_t now_count;     /* values that estimate it (0: no cycle)      */
} detect_season_fit;

/* Samples t[0..n), v[0..n): every finite value before now_ms, oldest
 * first (anomalous ones too: a cycle must be seen whole even when the
 * rule flagged part of it before it was known). season: the rule's key;
 * AUTO tries a daily and a weekly cycle that the run spacing can show.
 * Fills adjusted[i] = v[i] minus its phase's median (in sample) and
 * held_out[i] = v[i] minus the median of the other values of its phase
 * (NAN when alone in it), both projected to now along `slope`. With no
 * cycle, both are v. Returns 0, or -1 when a configured key cannot be
 * used yet (now's phase has fewer than 2 values). */
int detect_season_fit_samples(const int64_t *t, const double *v, size_t n,
                              int64_t now_ms, rule_season season,
                              double spacing_ms, detect_season_work *work,
                              double *adjusted, double *held_out,
                              detect_season_fit *fit);

/* The cycle a warm-up waits to see twice, for runs spaced spacing_ms
 * apart (0: none): a day for runs under 20 hours apart, a week for runs
 * up to 3.5 days apart. */
int64_t detect_season_warmup_cycle_ms(double spacing_ms);

#endif
