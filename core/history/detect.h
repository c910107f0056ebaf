/*
 * detect.h - the anomaly rule's algorithm: judges one value against its own
 * past with a robust baseline (median and MAD), an automatically detected
 * daily or weekly season, a robust trend, a warm-up that keeps gross
 * departures out of the baseline, and episodes that stay open while a level
 * shift lasts. Pure: no I/O, no allocation that outlives a call. The method,
 * its defaults and references: docs/detection.md.
 *
 * The host's sequence for one metric and one run:
 *   1. fetch the latest detect_points_needed(rule) samples before now,
 *      oldest first, each with its `anomalous` flag as stored;
 *   2. detect_judge(rule, value, now, past, count, episode_before, &r),
 *      episode_before being the episode persisted after the previous run
 *      (NULL or open == 0: none);
 *   3. store the value with anomalous = r.fired || r.suspect (so that it
 *      stays out of later baselines), persist r.episode, and, when r.fired,
 *      detect_reason() gives the metric's reason text.
 */
#ifndef NBAQ_HISTORY_DETECT_H
#define NBAQ_HISTORY_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "nbaq.h"
#include "rules.h"

/* Defaults of the keys of `anomaly:` (anomaly_rule_defaults sets them). */
#define DETECT_DEFAULT_Z 4.0          /* robust score limit                */
#define DETECT_DEFAULT_REL_FLOOR 0.05 /* band at least 5% of |expected|   */
#define DETECT_DEFAULT_WINDOW 60      /* level and spread: last 60 values */
#define DETECT_DEFAULT_MIN_HISTORY 7
/* Samples kept for season detection (3 weeks of hourly runs). */
#define DETECT_SEASON_POINTS 504
/* Warm-up: a value is suspect from this many points on. */
#define DETECT_SUSPECT_MIN_POINTS 3
/* Runs whose mean residual the drift test judges. */
#define DETECT_SUSTAIN_RUNS 5
/* An open episode closes once |value - expected| <= this fraction of the
 * frozen band's half-width (hysteresis: it opened beyond 1.0). */
#define DETECT_CLOSE_FRACTION 0.5

/* An open condition, as persisted between runs. */
typedef struct detect_episode {
    int open;
    int64_t opened_ms;
    int side;                             /* +1 above, -1 below           */
    double expected, scale, lower, upper; /* frozen when it opened        */
} detect_episode;

/*
 * The judgement of one value. state:
 *   NONE      rule disabled or value not finite: nothing else is set;
 *   LEARNING  fewer than points_needed usable points (points_used); the
 *             value may be `suspect` (a gross departure from the median
 *             of the points so far), never `fired`;
 *   JUDGED    compared with the baseline; `fired` and `opened` when it is
 *             outside the band, `closed` when it ended an open episode;
 *   OPEN      an episode opened by an earlier run is still open: compared
 *             with the baseline frozen when it opened; `fired` is set.
 * Numbers are NAN where they do not apply (LEARNING without 3 points).
 */
typedef struct detect_result {
    nbaq_judgement state;
    int fired;   /* the value is anomalous (new or still-open episode)   */
    int opened;  /* this value opens a new episode                       */
    int closed;  /* this value closes the open episode                   */
    int suspect; /* warm-up: kept out of the baseline, said in the reason */
    int side;    /* +1 above, -1 below, 0 none                           */
    uint32_t points_used, points_needed;
    double expected, scale, score, lower, upper;
    const char *season;     /* static: "none", "daily", "weekly",
                               "hour_of_day", "day_of_week", "hour_of_week"  */
    int season_detected;    /* 1: found in the history (seasonal: auto)   */
    int trend;              /* 1: a trend was fitted                      */
    int constant;           /* the baseline had no variation              */
    int sustained;          /* +1/-1: the latest DETECT_SUSTAIN_RUNS values lean
                               that way beyond chance (a drift), even inside
                               the band                                         */
    detect_episode episode; /* the state after this value (persist it)   */
} detect_result;

/* How many past samples (newest last) the rule needs for its baseline and
 * season detection: the caller fetches at most this many before now. */
size_t detect_points_needed(const anomaly_rule *rule);

/* Judge value at now_ms against past[0..count) (oldest first; samples
 * flagged anomalous, not finite or not before now_ms are left out of the
 * baseline), given the episode open before this run (or NULL). rule NULL
 * or disabled: state NONE. Never allocates more than it frees. */
void detect_judge(const anomaly_rule *rule, double value, int64_t now_ms,
                  const history_sample *past, size_t count,
                  const detect_episode *open_before, detect_result *out);

/* One line for the metric's reason, e.g.
 * "anomaly: 600 vs baseline 1000 (no variation in 10 runs), -40%". */
void detect_reason(const anomaly_rule *rule, double value,
                   const detect_result *r, char *buf, size_t size);

/* Copies of an episode's frozen numbers into the SDK's evidence. */
void detect_fill_evidence(const detect_result *r, nbaq_evidence *evidence);

#endif
