#include "thresholds.h"

#include <stdio.h>
#include <string.h>

#include "reconcile.h"
#include "text.h"
#include "units.h"
#include "yread.h"

static const char *const direction_names[] = {"both", "above", "below", NULL};

void anomaly_rule_defaults(anomaly_rule *rule)
{
    memset(rule, 0, sizeof *rule);
    rule->enabled = 1;
    rule->z = 4;
    rule->window_points = 60;
    rule->window_ms = 0;
    rule->min_history = 7;
    rule->direction = RULE_DIRECTION_BOTH;
    rule->rel_floor = 0.05;
    rule->seasonal = RULE_SEASON_AUTO;
    rule->status = NBAQ_WARNING;
}

static int read_bound(const ynode *node, const char *where, const char *key,
                      rule_bound *out, char *err, size_t err_size)
{
    if (yread_double(node, where, key, &out->value, err, err_size) != 0)
        return -1;
    out->set = 1;
    return 0;
}

static int read_non_negative(const ynode *node, const char *where,
                             const char *key, rule_bound *out, char *err,
                             size_t err_size)
{
    if (read_bound(node, where, key, out, err, err_size) != 0)
        return -1;
    if (out->value < 0)
        return yread_fail(node, where, err, err_size,
                          "'%s' must not be negative", key);
    return 0;
}

/* status_above / status_below: warning, fail or ignore. */
static int read_side_status(const ynode *node, const char *where,
                            const char *label, rule_side *out, char *err,
                            size_t err_size)
{
    static const char *const names[] = {"warning", "fail", "ignore", NULL};
    int choice = 0;
    if (yread_choice(node, where, label, names, &choice, err, err_size) != 0)
        return -1;
    *out = (rule_side)(RULE_SIDE_WARNING + choice);
    return 0;
}

static int check_sides(const ynode *node, const char *where, const char *rule,
                       rule_side above, rule_side below, char *err,
                       size_t err_size)
{
    if (above == RULE_SIDE_IGNORE && below == RULE_SIDE_IGNORE)
        return yread_fail(node, where, err, err_size,
                          "the %s rule ignores both sides (status_above and "
                          "status_below are both 'ignore')",
                          rule);
    return 0;
}

/* The keys both history rules share, status_above, status_below and
 * relearn_after, from the rule's mapping (its other keys are read by the
 * rule's parser). 0, or -1 with err. */
static int read_side_keys(const ynode *node, const char *where,
                          const char *rule, rule_side *above, rule_side *below,
                          int64_t *relearn_after_ms, char *err, size_t err_size)
{
    for (size_t i = 0; i < node->count; i++) {
        const char *key = node->pairs[i].key->text;
        const ynode *v = node->pairs[i].value;
        char label[48];
        snprintf(label, sizeof label, "%s.%s", rule, key);
        int rc = 0;
        if (strcmp(key, "status_above") == 0)
            rc = read_side_status(v, where, label, above, err, err_size);
        else if (strcmp(key, "status_below") == 0)
            rc = read_side_status(v, where, label, below, err, err_size);
        else if (strcmp(key, "relearn_after") == 0)
            rc = yread_duration(v, where, label, 1000, relearn_after_ms, err,
                                err_size);
        if (rc != 0)
            return -1;
    }
    return check_sides(node, where, rule, *above, *below, err, err_size);
}

/* window: a number of points ("30") or a duration ("7d"). */
static int read_window(const ynode *node, const char *where, anomaly_rule *rule,
                       char *err, size_t err_size)
{
    int64_t points;
    char reason[128];
    if (node->kind == YNODE_SCALAR && !node->is_null &&
        units_parse_int(node->text, &points, reason, sizeof reason) == 0) {
        if (points < 2 || points > 100000)
            return yread_fail(node, where, err, err_size,
                              "'window' must be between 2 and 100000 "
                              "points, got %lld",
                              (long long)points);
        rule->window_points = (uint32_t)points;
        rule->window_ms = 0;
        return 0;
    }
    if (yread_duration(node, where, "window", 1000, &rule->window_ms, err,
                       err_size) != 0)
        return yread_fail(node, where, err, err_size,
                          "'window' expected a number of points (30) or a "
                          "duration (7d), got '%.100s'",
                          node->kind == YNODE_SCALAR ? node->text : "?");
    return 0;
}

static int parse_anomaly(const ynode *node, const char *where,
                         anomaly_rule *rule, char *err, size_t err_size)
{
    static const char *const keys[] = {"z",
                                       "window",
                                       "min_history",
                                       "direction",
                                       "floor",
                                       "relative_floor",
                                       "seasonal",
                                       "status",
                                       "status_above",
                                       "status_below",
                                       "relearn_after",
                                       NULL};
    /* In the order of rule_season. */
    static const char *const seasons[] = {
        "none", "hour_of_day", "day_of_week", "hour_of_week", "auto", NULL};
    static const char *const statuses[] = {"warning", "fail", NULL};
    anomaly_rule_defaults(rule);
    if (node->kind == YNODE_SCALAR) {
        int on;
        if (yread_bool(node, where, "anomaly", &on, err, err_size) != 0)
            return yread_fail(node, where, err, err_size,
                              "'anomaly' expected true, false or a mapping");
        rule->enabled = on;
        return 0;
    }
    char sub[400];
    snprintf(sub, sizeof sub, "in the anomaly rule %s", where);
    if (yread_check_keys(node, keys, sub, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const char *key = node->pairs[i].key->text;
        const ynode *v = node->pairs[i].value;
        int choice = 0;
        int64_t n = 0;
        int rc = 0;
        if (strcmp(key, "z") == 0) {
            rc = yread_double(v, where, "anomaly.z", &rule->z, err, err_size);
            if (rc == 0 && !(rule->z > 0))
                rc = yread_fail(v, where, err, err_size,
                                "'anomaly.z' must be greater than 0");
        } else if (strcmp(key, "window") == 0) {
            rc = read_window(v, where, rule, err, err_size);
        } else if (strcmp(key, "min_history") == 0) {
            rc = yread_int(v, where, "anomaly.min_history", 2, 100000, &n, err,
                           err_size);
            rule->min_history = (uint32_t)n;
        } else if (strcmp(key, "direction") == 0) {
            rc = yread_choice(v, where, "anomaly.direction", direction_names,
                              &choice, err, err_size);
            rule->direction = (rule_direction)choice;
        } else if (strcmp(key, "floor") == 0) {
            rc = read_non_negative(v, where, "anomaly.floor", &rule->floor, err,
                                   err_size);
        } else if (strcmp(key, "relative_floor") == 0) {
            rc = yread_double(v, where, "anomaly.relative_floor",
                              &rule->rel_floor, err, err_size);
            if (rc == 0 && !(rule->rel_floor >= 0 && rule->rel_floor <= 10))
                rc = yread_fail(v, where, err, err_size,
                                "'anomaly.relative_floor' must be between 0 "
                                "and 10 (a fraction of the expected value: "
                                "0.05 is 5%%)");
        } else if (strcmp(key, "seasonal") == 0) {
            rc = yread_choice(v, where, "anomaly.seasonal", seasons, &choice,
                              err, err_size);
            rule->seasonal = (rule_season)choice;
        } else if (strcmp(key, "status") == 0) {
            rc = yread_choice(v, where, "anomaly.status", statuses, &choice,
                              err, err_size);
            rule->status = choice == 0 ? NBAQ_WARNING : NBAQ_FAIL;
        }
        if (rc != 0)
            return -1;
    }
    return read_side_keys(node, where, "anomaly", &rule->status_above,
                          &rule->status_below, &rule->relearn_after_ms, err,
                          err_size);
}

static int parse_change(const ynode *node, const char *where, change_rule *rule,
                        char *err, size_t err_size)
{
    static const char *const keys[] = {
        "warn_pct",     "fail_pct",      "warn_abs",
        "fail_abs",     "direction",     "status_above",
        "status_below", "relearn_after", NULL};
    char sub[400];
    snprintf(sub, sizeof sub, "in the change rule %s", where);
    memset(rule, 0, sizeof *rule);
    if (yread_check_keys(node, keys, sub, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const char *key = node->pairs[i].key->text;
        const ynode *v = node->pairs[i].value;
        char label[32];
        snprintf(label, sizeof label, "change.%s", key);
        int rc = 0, choice = 0;
        if (strcmp(key, "warn_pct") == 0)
            rc = read_non_negative(v, where, label, &rule->warn_pct, err,
                                   err_size);
        else if (strcmp(key, "fail_pct") == 0)
            rc = read_non_negative(v, where, label, &rule->fail_pct, err,
                                   err_size);
        else if (strcmp(key, "warn_abs") == 0)
            rc = read_non_negative(v, where, label, &rule->warn_abs, err,
                                   err_size);
        else if (strcmp(key, "fail_abs") == 0)
            rc = read_non_negative(v, where, label, &rule->fail_abs, err,
                                   err_size);
        else if (strcmp(key, "direction") == 0) {
            rc = yread_choice(v, where, label, direction_names, &choice, err,
                              err_size);
            rule->direction = (rule_direction)choice;
        }
        if (rc != 0)
            return -1;
    }
    if (!rule->warn_pct.set && !rule->fail_pct.set && !rule->warn_abs.set &&
        !rule->fail_abs.set)
        return yread_fail(node, where, err, err_size,
                          "the change rule sets none of warn_pct, fail_pct, "
                          "warn_abs, fail_abs");
    rule->enabled = 1;
    return read_side_keys(node, where, "change", &rule->status_above,
                          &rule->status_below, &rule->relearn_after_ms, err,
                          err_size);
}

static int parse_rule(arena *mem, const ynode *key, const ynode *node,
                      const char *check, metric_rule *rule, char *err,
                      size_t err_size)
{
    static const char *const keys[] = {"warn_below", "fail_below", "warn_above",
                                       "fail_above", "better",     "anomaly",
                                       "change",     "match",      NULL};
    static const char *const better_names[] = {"higher", "lower", NULL};
    char where[300], location[512];
    snprintf(where, sizeof where, "threshold '%.100s' of check '%.100s'",
             key->text, check);
    rule->pattern = arena_strdup(mem, key->text);
    rule->location =
        arena_strdup(mem, ynode_location(key, location, sizeof location));
    if (!key->text[0])
        return yread_fail(key, where, err, err_size,
                          "the metric name or pattern is empty");
    char in_where[320];
    snprintf(in_where, sizeof in_where, "in %s", where);
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const char *k = node->pairs[i].key->text;
        const ynode *v = node->pairs[i].value;
        int rc = 0, choice = 0;
        if (strcmp(k, "warn_below") == 0)
            rc = read_bound(v, where, k, &rule->warn_below, err, err_size);
        else if (strcmp(k, "fail_below") == 0)
            rc = read_bound(v, where, k, &rule->fail_below, err, err_size);
        else if (strcmp(k, "warn_above") == 0)
            rc = read_bound(v, where, k, &rule->warn_above, err, err_size);
        else if (strcmp(k, "fail_above") == 0)
            rc = read_bound(v, where, k, &rule->fail_above, err, err_size);
        else if (strcmp(k, "better") == 0) {
            rc =
                yread_choice(v, where, k, better_names, &choice, err, err_size);
            rule->better = choice == 0 ? RULE_BETTER_HIGHER : RULE_BETTER_LOWER;
        } else if (strcmp(k, "anomaly") == 0)
            rc = parse_anomaly(v, where, &rule->anomaly, err, err_size);
        else if (strcmp(k, "change") == 0)
            rc = parse_change(v, where, &rule->change, err, err_size);
        else if (strcmp(k, "match") == 0)
            rc = reconcile_parse(mem, v, where, &rule->match, err, err_size);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int thresholds_parse(arena *mem, const ynode *mapping, const char *check,
                     metric_rule **rules, size_t *count, char *err,
                     size_t err_size)
{
    char where[200];
    snprintf(where, sizeof where, "check '%.100s'", check);
    if (mapping->kind != YNODE_MAPPING)
        return yread_fail(mapping, where, err, err_size,
                          "'thresholds' expected a mapping of metric name "
                          "to rule, got %s",
                          ynode_kind_name(mapping->kind));
    *count = 0;
    *rules = arena_alloc(mem, (mapping->count ? mapping->count : 1) *
                                  sizeof **rules);
    if (!*rules)
        return yread_fail(mapping, where, err, err_size, "out of memory");
    for (size_t i = 0; i < mapping->count; i++) {
        if (parse_rule(mem, mapping->pairs[i].key, mapping->pairs[i].value,
                       check, &(*rules)[i], err, err_size) != 0)
            return -1;
    }
    *count = mapping->count;
    return 0;
}
