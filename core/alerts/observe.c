/*
 * observe.c - this run's results as the lifecycle sees them: per check,
 * the plugin's own status (condition "status"), then each metric.
 */
#include <stdio.h>
#include <string.h>

#include "alerts_internal.h"
#include "status.h"
#include "numfmt.h"
#include "text.h"
#include "utf8.h"

char *observe_summary_line(arena *mem, const char *text)
{
    size_t len = strlen(text);
    if (len > ALERT_SUMMARY_MAX)
        len = utf8_cut(text, ALERT_SUMMARY_MAX);
    char *line = arena_strndup(mem, text, len);
    for (char *p = line; p && *p; p++) {
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    }
    return line;
}

static const char *own_summary(arena *mem, const alerts_check_input *in)
{
    char buf[ALERT_SUMMARY_MAX + 32];
    const char *message = in->own_message ? in->own_message : "";
    if (*message)
        snprintf(buf, sizeof buf, "%s: %s", status_name(in->own_status),
                 message);
    else
        snprintf(buf, sizeof buf, "%s (no message)",
                 status_name(in->own_status));
    return observe_summary_line(mem, buf);
}

static const char *metric_summary(arena *mem, const nbaq_metric *m)
{
    char buf[ALERT_SUMMARY_MAX + 320];
    if (m->reason && strcmp(m->reason, "not a finite number") == 0) {
        snprintf(buf, sizeof buf, "%.255s: not a finite number", m->name);
    } else if (m->reason && *m->reason) {
        return observe_summary_line(mem, m->reason);
    } else {
        char value[64];
        textfmt_number_exact(value, sizeof value, m->value);
        snprintf(buf, sizeof buf, "%.255s=%s is %s", m->name, value,
                 status_name(m->status));
    }
    return observe_summary_line(mem, buf);
}

int observe_run(arena *mem, const alerts_params *params, observation **out,
                size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < params->check_count; i++)
        n += 1 + params->checks[i].result->metric_count;
    observation *obs = arena_alloc(mem, (n ? n : 1) * sizeof *obs);
    if (!obs)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < params->check_count; i++) {
        const alerts_check_input *in = &params->checks[i];
        const nbaq_check_result *r = in->result;
        int failing = in->own_status != NBAQ_PASS;
        obs[k++] = (observation){r->name,
                                 "",
                                 failing,
                                 in->own_status,
                                 failing ? own_summary(mem, in) : "",
                                 r->severity};
        for (size_t j = 0; j < r->metric_count; j++) {
            const nbaq_metric *m = r->metrics[j];
            failing = m->status != NBAQ_PASS;
            obs[k++] = (observation){r->name,
                                     m->name,
                                     failing,
                                     m->status,
                                     failing ? metric_summary(mem, m) : "",
                                     r->severity};
        }
    }
    for (size_t i = 0; i < k; i++) {
        if (!obs[i].summary)
            return -1;
    }
    *out = obs;
    *count = k;
    return 0;
}
