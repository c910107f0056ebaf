/*
 * reconcile.c - `match` thresholds: a metric compared with a metric of
 * another check of the same run (see reconcile.h).
 *
 * The difference is target - value. Tolerance: the larger of tolerance_abs
 * and tolerance_pct percent of |value| (this metric's value); without
 * either, the two must be equal. direction target_at_least lets the target
 * be larger by any amount (a table that also holds older rows), and
 * target_at_most smaller.
 */
#include "reconcile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "numfmt.h"
#include "status.h"
#include "textbuf.h"
#include "text.h"
#include "yread.h"

static const char *const direction_names[] = {"either", "target_at_least",
                                              "target_at_most", NULL};

static int read_tolerance(const ynode *v, const char *where, const char *key,
                          rule_bound *out, char *err, size_t err_size)
{
    if (yread_double(v, where, key, &out->value, err, err_size) != 0)
        return -1;
    if (!(out->value >= 0))
        return yread_fail(v, where, err, err_size,
                          "'match.%s' must not be negative", key);
    out->set = 1;
    return 0;
}

/* "check/metric": the check is up to the first '/' (check names have
 * none), the metric is the rest. */
static int split_target(arena *mem, const ynode *v, const char *where,
                        match_rule *out, char *err, size_t err_size)
{
    if (yread_string(mem, v, where, "match.metric", &out->target, err,
                     err_size) != 0)
        return -1;
    const char *slash = strchr(out->target, '/');
    if (slash == NULL || slash == out->target || slash[1] == '\0')
        return yread_fail(v, where, err, err_size,
                          "'match.metric' expected \"check/metric\", got "
                          "'%.200s'",
                          out->target);
    out->check = arena_strdup(mem, out->target);
    out->metric = arena_strdup(mem, slash + 1);
    if (!out->check || !out->metric)
        return yread_fail(v, where, err, err_size, "out of memory");
    out->check[slash - out->target] = '\0';
    char location[512];
    out->check_location =
        arena_strdup(mem, ynode_location(v, location, sizeof location));
    return 0;
}

int reconcile_parse(arena *mem, const ynode *node, const char *where,
                    match_rule *out, char *err, size_t err_size)
{
    static const char *const keys[] = {"metric",        "tolerance_abs",
                                       "tolerance_pct", "direction",
                                       "status",        NULL};
    static const char *const statuses[] = {"fail", "warning", NULL};
    char in_where[400];
    snprintf(in_where, sizeof in_where, "in the match rule of %s", where);
    memset(out, 0, sizeof *out);
    out->status = NBAQ_FAIL;
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    const ynode *metric = ynode_get(node, "metric");
    if (!metric)
        return yread_fail(node, where, err, err_size,
                          "the match rule needs 'metric: \"check/metric\"'");
    if (split_target(mem, metric, where, out, err, err_size) != 0)
        return -1;
    const ynode *v;
    int choice = 0;
    if ((v = ynode_get(node, "tolerance_abs")) &&
        read_tolerance(v, where, "tolerance_abs", &out->tolerance_abs, err,
                       err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "tolerance_pct")) &&
        read_tolerance(v, where, "tolerance_pct", &out->tolerance_pct, err,
                       err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "direction"))) {
        if (yread_choice(v, where, "match.direction", direction_names, &choice,
                         err, err_size) != 0)
            return -1;
        out->direction = (match_direction)choice;
    }
    if ((v = ynode_get(node, "status"))) {
        if (yread_choice(v, where, "match.status", statuses, &choice, err,
                         err_size) != 0)
            return -1;
        out->status = choice == 0 ? NBAQ_FAIL : NBAQ_WARNING;
    }
    out->enabled = 1;
    return 0;
}

static int check_one_rule(const config *cfg, const check_config *c,
                          const metric_rule *rule, const char **names,
                          char *err, size_t err_size)
{
    if (config_find_check(cfg, rule->match.check) != NULL)
        return 0;
    const char *suggestion =
        text_suggest(rule->match.check, names, cfg->check_count);
    char hint[300] = "";
    if (suggestion)
        snprintf(hint, sizeof hint, " (did you mean '%s'?)", suggestion);
    return err_set(err, err_size,
                   "%s: check '%s': threshold '%s': match: no check named "
                   "'%s'%s",
                   rule->match.check_location, c->name, rule->pattern,
                   rule->match.check, hint);
}

int reconcile_check_config(const config *cfg, char *err, size_t err_size)
{
    const char **names = calloc(cfg->check_count + 1, sizeof *names);
    if (!names)
        return err_set(err, err_size, "out of memory");
    for (size_t i = 0; i < cfg->check_count; i++)
        names[i] = cfg->checks[i].name;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cfg->check_count; i++) {
        const check_config *c = &cfg->checks[i];
        for (size_t k = 0; rc == 0 && k < c->rule_count; k++)
            if (c->rules[k].match.enabled)
                rc = check_one_rule(cfg, c, &c->rules[k], names, err, err_size);
    }
    free(names);
    return rc;
}

static const nbaq_check_result *find_result(nbaq_check_result **results,
                                            size_t count, const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(results[i]->name, name) == 0)
            return results[i];
    return NULL;
}

static const nbaq_metric *find_metric(const nbaq_check_result *r,
                                      const char *name)
{
    for (size_t i = 0; i < r->metric_count; i++)
        if (strcmp(r->metrics[i]->name, name) == 0)
            return r->metrics[i];
    return NULL;
}

/* Why the target has no value in this run. */
static void explain_missing(textbuf *sb, const nbaq_metric *m,
                            const match_rule *match,
                            const nbaq_check_result *target)
{
    textbuf_printf(sb, "%s: match: no metric '%s' of check '%s' in this run",
                   m->name, match->metric, match->check);
    if (target == NULL)
        textbuf_puts(sb, " (the check was not run)");
    else if (target->status == NBAQ_ERROR || target->status == NBAQ_UNKNOWN)
        textbuf_printf(sb, " (the check ended %s: %.200s)",
                       status_name(target->status), target->message);
}

static double allowed_difference(const match_rule *match, double value)
{
    double allowed = 0;
    if (match->tolerance_abs.set)
        allowed = match->tolerance_abs.value;
    if (match->tolerance_pct.set)
        allowed = fmax(allowed, fabs(value) * match->tolerance_pct.value / 100);
    return allowed;
}

/* 1 when target differs from value beyond what the rule allows. */
static int differs(const match_rule *match, double value, double target)
{
    double difference = target - value;
    double allowed = allowed_difference(match, value);
    switch (match->direction) {
    case MATCH_TARGET_AT_LEAST:
        return difference < -allowed;
    case MATCH_TARGET_AT_MOST:
        return difference > allowed;
    default:
        return fabs(difference) > allowed;
    }
}

static void explain_difference(textbuf *sb, const nbaq_metric *m,
                               const match_rule *match, double target)
{
    char value_text[64], target_text[64], diff_text[64], allowed_text[64];
    double difference = target - m->value;
    textfmt_number_exact(value_text, sizeof value_text, m->value);
    textfmt_number_exact(target_text, sizeof target_text, target);
    textfmt_number_exact(diff_text, sizeof diff_text, difference);
    textfmt_number(allowed_text, sizeof allowed_text,
                   allowed_difference(match, m->value));
    textbuf_printf(sb, "%s=%s does not match %s=%s: difference %s%s", m->name,
                   value_text, match->target, target_text,
                   difference > 0 ? "+" : "", diff_text);
    if (m->value != 0)
        textbuf_printf(sb, " (%+.3g%%)", difference * 100 / fabs(m->value));
    textbuf_printf(
        sb, ", allowed %s%s", allowed_text,
        match->direction == MATCH_TARGET_AT_LEAST  ? " below (target_at_least)"
        : match->direction == MATCH_TARGET_AT_MOST ? " above (target_at_most)"
                                                   : "");
}

static const char *joined(arena *mem, const char *a, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 3;
    char *out = arena_alloc(mem, len);
    if (out)
        snprintf(out, len, "%s%s%s", a, a[0] ? "; " : "", b);
    return out ? out : a;
}

/* The metric (in the run's arena, built by aggregate.c) gets the verdict;
 * so does its check. */
static void judge(arena *mem, nbaq_check_result *owner, nbaq_metric *m,
                  const match_rule *match, nbaq_check_result **results,
                  size_t count)
{
    const nbaq_check_result *target = find_result(results, count, match->check);
    const nbaq_metric *tm = target ? find_metric(target, match->metric) : NULL;
    textbuf sb = TEXTBUF_INIT;
    if (tm == NULL)
        explain_missing(&sb, m, match, target);
    else if (!isfinite(m->value) || !isfinite(tm->value))
        textbuf_printf(&sb, "%s: match: %s is not a finite number", m->name,
                       match->target);
    else if (differs(match, m->value, tm->value))
        explain_difference(&sb, m, match, tm->value);
    if (sb.len > 0) {
        const char *reason = textbuf_cstr(&sb);
        m->status = status_worst(m->status, match->status);
        m->reason = joined(mem, m->reason, reason);
        owner->status = status_worst(owner->status, match->status);
        owner->message = joined(mem, owner->message, reason);
    }
    textbuf_free(&sb);
}

void reconcile_run(arena *mem, const config *cfg, nbaq_check_result **results,
                   size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const check_config *c = config_find_check(cfg, results[i]->name);
        for (size_t k = 0; c && k < results[i]->metric_count; k++) {
            /* aggregate.c allocated the metric in the run's arena; the
             * result's const view is the reporters'. */
            nbaq_metric *m = (nbaq_metric *)results[i]->metrics[k];
            const metric_rule *rule =
                evaluate_find_rule(c->rules, c->rule_count, m->name);
            if (rule && rule->match.enabled)
                judge(mem, results[i], m, &rule->match, results, count);
        }
    }
}
