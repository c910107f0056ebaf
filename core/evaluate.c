#include "evaluate.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "status.h"
#include "textbuf.h"
#include "numfmt.h"
#include "text.h"

static int is_glob(const char *pattern)
{
    return strpbrk(pattern, "*?[") != NULL;
}

const metric_rule *evaluate_find_rule(const metric_rule *rules, size_t count,
                                      const char *metric)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(rules[i].pattern, metric) == 0)
            return &rules[i];
    }
    for (size_t i = 0; i < count; i++) {
        if (is_glob(rules[i].pattern) &&
            fnmatch(rules[i].pattern, metric, 0) == 0)
            return &rules[i];
    }
    return NULL;
}

/* Which static bound the value crosses, in order of precedence. */
static nbaq_status apply_bounds(const metric_rule *rule, double v,
                                const char **bound_name, double *bound)
{
    const struct {
        const rule_bound *b;
        const char *name;
        int above;
        nbaq_status status;
    } bounds[] = {
        {&rule->fail_above, "fail_above", 1, NBAQ_FAIL},
        {&rule->fail_below, "fail_below", 0, NBAQ_FAIL},
        {&rule->warn_above, "warn_above", 1, NBAQ_WARNING},
        {&rule->warn_below, "warn_below", 0, NBAQ_WARNING},
    };
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++) {
        if (!bounds[i].b->set)
            continue;
        double limit = bounds[i].b->value;
        if (bounds[i].above ? v > limit : v < limit) {
            *bound_name = bounds[i].name;
            *bound = limit;
            return bounds[i].status;
        }
    }
    return NBAQ_PASS;
}

static void append_reason(arena *mem, nbaq_metric *m, const char *reason)
{
    if (!reason || !*reason)
        return;
    size_t len = strlen(m->reason) + strlen(reason) + 3;
    char *joined = arena_alloc(mem, len);
    if (!joined)
        return;
    snprintf(joined, len, "%s%s%s", m->reason, m->reason[0] ? "; " : "",
             reason);
    m->reason = joined;
}

void evaluate_metric(arena *mem, const metric_rule *rule, history_past *past,
                     int64_t now_ms, nbaq_metric *m)
{
    m->status = NBAQ_PASS;
    m->reason = "";
    m->anomalous = 0;
    history_evidence_none(m);
    if (!isfinite(m->value)) {
        m->status = NBAQ_UNKNOWN;
        m->reason = "not a finite number";
        return;
    }
    if (!rule)
        return;
    const char *bound_name = NULL;
    double bound = 0;
    m->status = apply_bounds(rule, m->value, &bound_name, &bound);
    if (m->status != NBAQ_PASS) {
        char value[64], limit[64], reason[512];
        textfmt_number_exact(value, sizeof value, m->value);
        textfmt_number_exact(limit, sizeof limit, bound);
        snprintf(reason, sizeof reason, "%s=%s %s %s %s", m->name, value,
                 strstr(bound_name, "above") ? "above" : "below", bound_name,
                 limit);
        append_reason(mem, m, reason);
    }
    if (past && (rule->anomaly.enabled || rule->change.enabled)) {
        history_verdict verdict;
        history_apply_rules(rule, past, now_ms, m, &verdict);
        m->status = status_worst(m->status, verdict.status);
        append_reason(mem, m, verdict.reason);
    }
}

void evaluate_check_status(arena *mem, nbaq_status plugin_status,
                           const char *plugin_message,
                           const nbaq_metric *const *metrics, size_t count,
                           nbaq_status *status, const char **message)
{
    nbaq_status worst = plugin_status;
    textbuf sb = TEXTBUF_INIT;
    textbuf_puts(&sb, plugin_message ? plugin_message : "");
    for (size_t i = 0; i < count; i++) {
        const nbaq_metric *m = metrics[i];
        worst = status_worst(worst, m->status);
        if (m->status == NBAQ_PASS)
            continue;
        if (sb.len > 0)
            textbuf_puts(&sb, "; ");
        if (m->status == NBAQ_UNKNOWN &&
            strcmp(m->reason, "not a finite number") == 0)
            textbuf_printf(&sb, "%s: %s", m->name, m->reason);
        else
            textbuf_puts(&sb, m->reason);
    }
    *status = worst;
    *message = arena_strdup(mem, textbuf_cstr(&sb));
    if (!*message)
        *message = "";
    textbuf_free(&sb);
}
