/*
 * detect_reason.c - the anomaly rule's judgement as one line of text, and
 * as the SDK's evidence.
 */
#include <math.h>
#include <stdio.h>

#include "detect.h"
#include "history_calc.h"
#include "numfmt.h"

/* ", -40.0%" against expected; "" when expected is 0. */
static void format_change(double value, double expected, char *buf, size_t size)
{
    buf[0] = '\0';
    if (expected == 0 || !isfinite(expected))
        return;
    char pct[TEXTFMT_NUMBER_SIZE];
    textfmt_percent_change(pct, sizeof pct,
                           (value - expected) / fabs(expected) * 100);
    snprintf(buf, size, ", %s", pct);
}

/* "no variation in 10 runs" or "±80, 30 runs, daily cycle, trend". */
static void format_basis(const detect_result *r, char *buf, size_t size)
{
    char spread[32];
    history_format_stat((r->upper - r->lower) / 2, spread, sizeof spread);
    int n;
    if (r->constant)
        n = snprintf(buf, size, "no variation in %u runs", r->points_used);
    else
        n = snprintf(buf, size, "band ±%s, %u runs", spread, r->points_used);
    if (n < 0 || (size_t)n >= size)
        return;
    const char *season = r->season ? r->season : "none";
    if (r->season_detected)
        n += snprintf(buf + n, size - (size_t)n, ", %s cycle", season);
    else if (season[0] && season[0] != 'n')
        n += snprintf(buf + n, size - (size_t)n, ", same %s", season);
    if (n >= 0 && (size_t)n < size && r->trend)
        snprintf(buf + n, size - (size_t)n, ", trend");
}

static void learning_reason(const detect_result *r, const char *value,
                            const char *expected, const char *change, char *buf,
                            size_t size)
{
    if (r->suspect)
        snprintf(buf, size,
                 "anomaly: learning (%u of %u runs); %s is far from the "
                 "%s seen so far%s: kept out of the baseline",
                 r->points_used, r->points_needed, value, expected, change);
    else
        snprintf(buf, size, "anomaly: learning (%u of %u runs)", r->points_used,
                 r->points_needed);
}

void detect_reason(const anomaly_rule *rule, double value,
                   const detect_result *r, char *buf, size_t size)
{
    (void)rule;
    if (!buf || size == 0)
        return;
    buf[0] = '\0';
    char v[32], expected[32], change[TEXTFMT_NUMBER_SIZE + 4], basis[160];
    char since[32];
    history_format_value(value, v, sizeof v);
    history_format_stat(r->expected, expected, sizeof expected);
    format_change(value, r->expected, change, sizeof change);
    switch (r->state) {
    case NBAQ_JUDGEMENT_LEARNING:
        learning_reason(r, v, expected, change, buf, size);
        return;
    case NBAQ_JUDGEMENT_OPEN:
        history_format_time(r->episode.opened_ms, since, sizeof since);
        history_format_stat(DETECT_CLOSE_FRACTION * (r->upper - r->lower) / 2,
                            basis, sizeof basis);
        snprintf(buf, size,
                 "anomaly: %s still away from baseline %s (open since %s; "
                 "closes within ±%s)%s",
                 v, expected, since, basis, change);
        break;
    case NBAQ_JUDGEMENT_JUDGED:
        format_basis(r, basis, sizeof basis);
        snprintf(buf, size, "anomaly: %s %s baseline %s (%s)%s", v,
                 r->fired    ? "vs"
                 : r->closed ? "back near"
                             : "near",
                 expected, basis, change);
        break;
    default:
        break;
    }
}

void detect_fill_evidence(const detect_result *r, nbaq_evidence *evidence)
{
    evidence->state = r->state;
    evidence->points_used = r->points_used;
    evidence->points_needed = r->points_needed;
    evidence->expected = r->expected;
    evidence->scale = r->scale;
    evidence->score = r->score;
    evidence->lower = r->lower;
    evidence->upper = r->upper;
    evidence->season = r->season;
    evidence->season_detected = r->season_detected;
    evidence->open_since_ms =
        r->state == NBAQ_JUDGEMENT_OPEN ? r->episode.opened_ms : 0;
}
