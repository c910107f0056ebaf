/*
 * anomaly.c - the 1.x entry points of the anomaly rule, over detect.c.
 */
#include <string.h>

#include "history_calc.h"

void history_anomaly_judge(const anomaly_rule *rule, double value,
                           int64_t now_ms, const history_sample *past,
                           size_t count, history_anomaly_result *out)
{
    memset(out, 0, sizeof *out);
    detect_judge(rule, value, now_ms, past, count, NULL, &out->detect);
    const detect_result *d = &out->detect;
    out->judged =
        d->state == NBAQ_JUDGEMENT_JUDGED || d->state == NBAQ_JUDGEMENT_OPEN;
    out->fired = d->fired;
    out->n = d->points_used;
    out->mean = d->expected;
    out->sd = d->scale;
    out->z = d->score;
}

void history_anomaly_reason(const anomaly_rule *rule, double value,
                            const history_anomaly_result *r, char *buf,
                            size_t size)
{
    detect_reason(rule, value, &r->detect, buf, size);
}
