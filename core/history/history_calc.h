/*
 * history_calc.h - the pure computations behind the history rules:
 * statistics, trend, seasons, the anomaly and change judgements, and time
 * and duration text. No I/O; used by the store, the rules, the CLI and the
 * tests. Exact definitions: docs/history.md.
 */
#ifndef NBAQ_HISTORY_CALC_H
#define NBAQ_HISTORY_CALC_H

#include <stddef.h>
#include <stdint.h>

#include "detect.h"
#include "history.h"

/* ---- statistics ---------------------------------------------------------*/

/* Statistics of the finite values among values[0..n): count, min, max,
 * mean, median (mean of the middle two for an even count) and the sample
 * standard deviation (n - 1; 0 when count < 2). count 0: the rest is 0.
 * Returns -1 only when memory for the median runs out (out zeroed). */
int history_stats_compute(const double *values, size_t n, nbaq_stats *out);

/* Relative tolerance of the trend: means closer than this fraction of the
 * previous mean are STABLE. */
#define HISTORY_TREND_TOLERANCE 0.05

/*
 * Trend of the current window against the previous one. UNKNOWN when
 * either window is empty. STABLE when |cur - prev| <= the standard error
 * of that difference, sqrt(sd_p^2/n_p + sd_c^2/n_c), or when it is below
 * HISTORY_TREND_TOLERANCE * |prev mean|. Otherwise UP or DOWN, or, when
 * better is set, IMPROVING or WORSENING.
 */
nbaq_trend history_trend_classify(const nbaq_stats *previous,
                                  const nbaq_stats *current,
                                  rule_better better);
/* Its name: trend_name() in base's status.h. */

/* ---- seasons ------------------------------------------------------------*/

/* The season of a time, from its UTC calendar: hour of day 0..23, day of
 * week 0 (Sunday)..6, hour of week 0 (Sunday 00h)..167; NONE: 0.
 * key = ((ts_ms / unit) + offset) % modulus, the formula the SQL uses. */
typedef struct history_season_formula {
    int64_t unit_ms;
    int64_t offset;
    int64_t modulus;
} history_season_formula;

history_season_formula history_season_formula_of(rule_season season);
int64_t history_season_key(int64_t ts_ms, rule_season season);
/* "", "hour of day", "day of week", "hour of week". */
const char *history_season_name(rule_season season);

/* ---- anomaly ------------------------------------------------------------*/

/* The anomaly rule is detect_judge() (detect.h; docs/detection.md). */

/* ---- change -------------------------------------------------------------*/

typedef struct history_change_result {
    int judged;         /* a finite previous value and value              */
    nbaq_status status; /* PASS, WARNING or FAIL                          */
    double delta;       /* value - previous                               */
    double pct;         /* delta / |previous| * 100; NAN when previous 0  */
    const char *bound;  /* "fail_pct", "warn_abs"...: what fired; NULL    */
    double threshold;   /* that bound's value                             */
} history_change_result;

/* Percent bounds are compared with |pct|, absolute ones with |delta|, at
 * or above; FAIL bounds first. direction ABOVE ignores falls, BELOW
 * ignores rises. A percent bound never fires when previous is 0. */
void history_change_judge(const change_rule *rule, double value,
                          int has_previous, double previous,
                          history_change_result *out);

/* "change: -45.0% vs previous 120 (fail_pct 40)",
 * "change: -54 vs previous 120 (fail_abs 50)"; frozen: measured from an
 * open change's baseline, "change: -45.0% vs 120 before the change
 * (fail_pct 40)". */
void history_change_reason(const history_change_result *r, double previous,
                           int frozen, char *buf, size_t size);

/* The change rule over runs: against the previous value, or, while a
 * change it fired is still open, against the value before that change. */
typedef struct history_change_outcome {
    history_change_result r; /* the bounds against base                  */
    nbaq_status status;      /* after status_above / status_below        */
    int frozen;              /* base is an open episode's                */
    int opened, closed;      /* this value opens / closes an episode     */
    double base;             /* previous, or the value before the change */
    double width;            /* the smallest bound around base; NAN      */
    double lower, upper;     /* base -/+ width on the sides watched; NAN */
    history_episode episode; /* the episode after this value             */
} history_change_outcome;

/*
 * Judges value: with an open episode (open_before->open) against its
 * expected value, else against previous (has_previous). A status on a
 * side is capped by status_above / status_below. A non-PASS status
 * without an open episode opens one (the base frozen); a PASS with one
 * closes it (the value returned). Not judged (PASS, nothing opened or
 * closed) without a base or with a value that is not finite.
 */
void history_change_step(const change_rule *rule, double value, int64_t now_ms,
                         int has_previous, double previous,
                         const history_episode *open_before,
                         history_change_outcome *out);

/* ---- numbers, durations and times as text ------------------------------*/

/* A value as measured, in the shortest text that reads back exactly
 * ("40", "101.25", "1500000000000"), so that a reason shows the value the
 * rule saw. */
void history_format_value(double value, char *buf, size_t size);
/* A statistic: one decimal for |x| >= 1 ("101.2"), else 3 significant
 * digits ("0.0345"). */
void history_format_stat(double value, char *buf, size_t size);

/* A duration as a config writes it (units_parse_duration: "250ms",
 * "30s", "5m", "2h", "7d", "1w", sums such as "1h30m") to ms. -1 when not
 * a duration or not positive. A duration for output:
 * text_format_duration_unit() ("90m", "1w"). */
int history_parse_duration(const char *text, int64_t *ms);

/* A point in time: "now", a duration back from now ("7d"), an epoch in
 * milliseconds ("1714521600000"), or a UTC date/time "2024-05-01",
 * "2024-05-01T10:00", "2024-05-01T10:00:00.5Z" ("T" or a space; a day of
 * the calendar; isotime.h with ISOTIME_UTC). -1 when not understood. */
int history_parse_time(const char *text, int64_t now_ms, int64_t *ms);
/* "2024-05-01T10:00:00Z" (milliseconds dropped). */
void history_format_time(int64_t ms, char *buf, size_t size);

#endif
