/*
 * rules.h - what the config says about one metric: static bounds and the
 * history-based rules. Filled by the config loader (config.c), applied by
 * evaluate.c (bounds) and history/rules_history.c (anomaly, change).
 */
#ifndef NBAQ_HISTORY_RULES_H
#define NBAQ_HISTORY_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

typedef enum rule_direction {
    RULE_DIRECTION_BOTH = 0, /* either side of the baseline                 */
    RULE_DIRECTION_ABOVE,    /* only values above (rising, for change)      */
    RULE_DIRECTION_BELOW     /* only values below (falling, for change)     */
} rule_direction;

typedef enum rule_season {
    RULE_SEASON_NONE = 0,     /* the whole baseline                          */
    RULE_SEASON_HOUR_OF_DAY,  /* only past values of the same UTC hour       */
    RULE_SEASON_DAY_OF_WEEK,  /* only past values of the same UTC weekday    */
    RULE_SEASON_HOUR_OF_WEEK, /* same weekday and hour                      */
    RULE_SEASON_AUTO /* detect a daily or weekly cycle in the history      */
} rule_season;

typedef enum rule_better {
    RULE_BETTER_NONE = 0, /* trends are UP/DOWN/STABLE                       */
    RULE_BETTER_HIGHER,
    RULE_BETTER_LOWER
} rule_better;

/* What a history rule does with a value on one side of its baseline (keys
 * status_above, status_below). Zero is the default. */
typedef enum rule_side {
    RULE_SIDE_DEFAULT = 0, /* anomaly: its `status`; change: the bound's  */
    RULE_SIDE_WARNING,     /* anomaly: WARNING; change: FAIL becomes one  */
    RULE_SIDE_FAIL,        /* FAIL; change: the bound's status            */
    RULE_SIDE_IGNORE       /* that side never fires                       */
} rule_side;

/* The status a side gives when its rule fires with fallback (the rule's
 * own status); NBAQ_PASS when the side is ignored. */
static inline nbaq_status rule_side_status(rule_side side, nbaq_status fallback)
{
    switch (side) {
    case RULE_SIDE_WARNING:
        return NBAQ_WARNING;
    case RULE_SIDE_FAIL:
        return NBAQ_FAIL;
    case RULE_SIDE_IGNORE:
        return NBAQ_PASS;
    default:
        return fallback;
    }
}

/* An optional number from the config. */
typedef struct rule_bound {
    int set;
    double value;
} rule_bound;

/* The value against its own past (YAML key `anomaly`): docs/detection.md. */
typedef struct anomaly_rule {
    int enabled;
    double z;               /* robust score limit (default 4)                */
    uint32_t window_points; /* baseline: last N values (default 30) ...      */
    int64_t window_ms;      /* ... or, when > 0, values of the last window   */
    uint32_t min_history;   /* no judgement below this many points (7)       */
    rule_direction direction;
    rule_bound floor;     /* |value - expected| below this never fires      */
    double rel_floor;     /* band half-width >= rel_floor * |expected| (0.05) */
    rule_season seasonal; /* default AUTO                                 */
    nbaq_status status;   /* status when it fires (default WARNING)        */
    rule_side status_above, status_below; /* a value above / below      */
    int64_t relearn_after_ms; /* > 0: an open condition this old ends and
                                 its values become the baseline          */
} anomaly_rule;

/* Change against the previous value, or, while a fired change is still
 * open, against the value before it (YAML key `change`). */
typedef struct change_rule {
    int enabled;
    rule_bound warn_pct, fail_pct; /* |percent change| at or above          */
    rule_bound warn_abs, fail_abs; /* |absolute change| at or above         */
    rule_direction direction;      /* ABOVE: rises only; BELOW: falls only  */
    rule_side status_above, status_below; /* caps a rise / a fall       */
    int64_t relearn_after_ms; /* as in anomaly_rule                       */
} change_rule;

/* Which way a reconciled target may differ (YAML `match.direction`). */
typedef enum match_direction {
    MATCH_EITHER = 0,      /* any difference beyond the tolerance fails   */
    MATCH_TARGET_AT_LEAST, /* the target may be larger, never smaller     */
    MATCH_TARGET_AT_MOST   /* the target may be smaller, never larger     */
} match_direction;

/* Equal, within a tolerance, to a metric of the same run (YAML key
 * `match`; core/reconcile.c). */
typedef struct match_rule {
    int enabled;
    char *target; /* "check/metric" as written                    */
    char *check;  /* the check part                               */
    char *metric; /* the metric part                              */
    const char *check_location; /* "file:line:col" of `metric`          */
    rule_bound tolerance_abs, tolerance_pct; /* none: exactly equal     */
    match_direction direction;
    nbaq_status status; /* when it fails: FAIL (default) or WARNING      */
} match_rule;

typedef struct metric_rule {
    char *pattern;  /* metric name, or an fnmatch(3) glob: "objects.*"   */
    char *location; /* "file:line:col" of the rule, for messages         */
    rule_bound warn_above, fail_above; /* status when value > bound         */
    rule_bound warn_below, fail_below; /* status when value < bound         */
    rule_better better;
    anomaly_rule anomaly;
    change_rule change;
    match_rule match;
} metric_rule;

/* Defaults for a rule whose YAML named the key but not every field. */
void anomaly_rule_defaults(anomaly_rule *rule);

#endif
