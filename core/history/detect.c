/*
 * detect.c - the anomaly rule's judgement (stub: the shape of the API).
 */
#include "detect.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

size_t detect_points_needed(const anomaly_rule *rule)
{
    (void)rule;
    return DETECT_SEASON_POINTS;
}

void detect_judge(const anomaly_rule *rule, double value, int64_t now_ms,
                  const history_sample *past, size_t count,
                  const detect_episode *open_before, detect_result *out)
{
    (void)rule, (void)value, (void)now_ms, (void)past, (void)count;
    (void)open_before;
    memset(out, 0, sizeof *out);
    out->season = "none";
}

void detect_reason(const anomaly_rule *rule, double value,
                   const detect_result *r, char *buf, size_t size)
{
    (void)rule, (void)value, (void)r;
    snprintf(buf, size, "anomaly");
}

void detect_fill_evidence(const detect_result *r, nbaq_evidence *evidence)
{
    (void)r, (void)evidence;
}
