#include "recommend.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "status.h"
#include "reportfmt.h"
#include "reportview.h"
#include "since.h"
#include "textbuf.h"

/* Whether a metric name holds one of the words, split at anything that
 * is not a letter or digit: "newest_age_seconds" holds "age", "usage"
 * does not. */
static int name_has_word(const char *name, const char *const *words)
{
    const char *p = name;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        const char *start = p;
        while (*p && isalnum((unsigned char)*p))
            p++;
        size_t len = (size_t)(p - start);
        for (const char *const *w = words; len && *w; w++)
            if (strlen(*w) == len && strncasecmp(start, *w, len) == 0)
                return 1;
    }
    return 0;
}

static int is_age_metric(const nbaq_metric *m)
{
    static const char *const words[] = {"age",   "stale",     "staleness",
                                        "lag",   "freshness", "delay",
                                        "since", NULL};
    return name_has_word(m->name, words);
}

static int is_null_metric(const nbaq_metric *m)
{
    static const char *const words[] = {"null", "nulls", "nullrate",
                                        "nullratio", NULL};
    return name_has_word(m->name, words);
}

static int needs_attention(const nbaq_metric *m)
{
    return m->status != NBAQ_PASS || m->anomalous ||
           m->trend == NBAQ_TREND_WORSENING;
}

static recommendation_kind metric_kind(const nbaq_metric *m)
{
    if (m->status != NBAQ_PASS && is_age_metric(m))
        return REC_STALE;
    if (m->anomalous)
        return REC_ANOMALY;
    if (is_null_metric(m))
        return REC_NULL_RATE;
    return m->status != NBAQ_PASS ? REC_LIMIT : REC_WORSENING;
}

static const char *kind_title(recommendation_kind kind, const nbaq_metric *m)
{
    switch (kind) {
    case REC_CHECK_ERROR:
        return "Check could not measure";
    case REC_STALE:
        return "Stale data";
    case REC_ANOMALY:
        return "Anomalous value";
    case REC_NULL_RATE:
        return m && m->trend == NBAQ_TREND_WORSENING ? "Worsening NULL rate"
                                                     : "NULL rate over limit";
    case REC_LIMIT:
        return "Limit exceeded";
    case REC_WORSENING:
        return "Worsening trend";
    default:
        return "Check failed";
    }
}

/* "name = 93600 s" */
static void value_text(textbuf *b, const nbaq_metric *m)
{
    char value[TEXTFMT_NUMBER_SIZE];
    textfmt_number(value, sizeof(value), m->value);
    textbuf_printf(b, "%s = %s", m->name, value);
    if (m->unit[0])
        textbuf_printf(b, " %s", m->unit);
}

/* "previous 0.051 (+60.8%)" */
static void previous_text(textbuf *b, const nbaq_metric *m)
{
    if (!m->has_previous)
        return;
    char prev[TEXTFMT_NUMBER_SIZE], pct[TEXTFMT_NUMBER_SIZE];
    textfmt_number(prev, sizeof(prev), m->previous);
    textfmt_percent_change(pct, sizeof(pct), m->change_pct);
    textbuf_printf(b, "previous run %s (%s)", prev, pct);
}

/* "the window's 7 runs: mean 21.14, min 2, max 26, std dev 8.2" */
static void window_text(textbuf *b, const nbaq_metric *m)
{
    if (m->stats.count == 0)
        return;
    char mean[TEXTFMT_NUMBER_SIZE], min[TEXTFMT_NUMBER_SIZE],
        max[TEXTFMT_NUMBER_SIZE], sd[TEXTFMT_NUMBER_SIZE];
    textfmt_number(mean, sizeof(mean), m->stats.mean);
    textfmt_number(min, sizeof(min), m->stats.min);
    textfmt_number(max, sizeof(max), m->stats.max);
    textfmt_number(sd, sizeof(sd), m->stats.stddev);
    textbuf_printf(b,
                   "over the window's %llu runs: mean %s, min %s, max %s, "
                   "std dev %s",
                   (unsigned long long)m->stats.count, mean, min, max, sd);
}

static void reason_text(textbuf *b, const nbaq_metric *m)
{
    if (m->reason[0])
        textbuf_printf(b, " Rule: %s.", m->reason);
}

static void what_stale(textbuf *b, const nbaq_metric *m)
{
    value_text(b, m);
    double seconds = m->value * since_unit_seconds(m->unit);
    if (seconds > 0 && isfinite(seconds)) {
        char age[REPORTFMT_TIME_SIZE];
        reportfmt_duration((int64_t)(seconds * 1000), age, sizeof(age));
        textbuf_printf(b, " (%s)", age);
    }
    textbuf_puts(b, ": the newest data is older than allowed.");
    reason_text(b, m);
}

static void what_anomaly(textbuf *b, const nbaq_metric *m)
{
    value_text(b, m);
    textbuf_puts(b, " is unlike its own history");
    if (m->stats.count > 0) {
        textbuf_puts(b, " ");
        window_text(b, m);
    }
    if (m->has_previous) {
        textbuf_puts(b, "; ");
        previous_text(b, m);
    }
    textbuf_puts(b, ".");
    reason_text(b, m);
}

static void what_trend(textbuf *b, const nbaq_metric *m)
{
    value_text(b, m);
    textbuf_printf(b, ", trend %s", trend_name(m->trend));
    if (m->has_previous) {
        textbuf_puts(b, ": ");
        previous_text(b, m);
    }
    if (!isnan(m->previous_window_mean)) {
        char mean[TEXTFMT_NUMBER_SIZE];
        textfmt_number(mean, sizeof(mean), m->previous_window_mean);
        textbuf_printf(b, ", mean of the window before %s", mean);
    }
    textbuf_puts(b,
                 m->status == NBAQ_PASS ? "; still within its limits." : ".");
    reason_text(b, m);
}

static void what_metric(textbuf *b, recommendation_kind kind,
                        const nbaq_metric *m)
{
    if (kind == REC_STALE)
        what_stale(b, m);
    else if (kind == REC_ANOMALY)
        what_anomaly(b, m);
    else
        what_trend(b, m);
}

static void look_text(textbuf *b, recommendation_kind kind,
                      const nbaq_check_result *c)
{
    switch (kind) {
    case REC_CHECK_ERROR:
        textbuf_printf(b,
                       "the check's connection settings and credentials "
                       "in the config; run it alone with nbaq-host -c "
                       "CONFIG --only %s -v to read the plugin's log",
                       c->name);
        break;
    case REC_STALE:
        textbuf_puts(b, "the upstream job that delivers this data: did it "
                        "run, did it fail, did it write to another partition "
                        "or prefix?");
        break;
    case REC_ANOMALY:
        textbuf_puts(b, "this run's load at the source: a partial or "
                        "duplicated load, or a skipped partition, are the "
                        "usual causes");
        break;
    case REC_NULL_RATE:
        textbuf_puts(b, "the rows loaded recently into this column: a "
                        "source field renamed, dropped or left empty upstream");
        break;
    case REC_LIMIT:
        textbuf_puts(b, "the data source; or the check's thresholds in the "
                        "config, if the limit no longer fits");
        break;
    case REC_WORSENING:
        textbuf_puts(b, "the next runs: it is still within its limits");
        break;
    default:
        textbuf_puts(b, "the plugin's message and the check's configuration");
    }
}

static void since_text(textbuf *b, const nbaq_run *run,
                       recommendation_kind kind, const nbaq_check_result *c,
                       const nbaq_metric *m)
{
    if (kind == REC_STALE)
        since_age(b, c, m);
    else if (m && kind != REC_ANOMALY)
        since_streak(b, m);
    since_alert(b, reportview_alert_for(run, c->name, m ? m->name : ""));
}

/* The plugin's own words: the check's message without the rule reasons
 * the host appended for its failing metrics ("...; 93600 > fail_above
 * 21600"), as core/evaluate.c joins them. */
static void own_message(textbuf *b, const nbaq_check_result *c)
{
    textbuf reasons;
    textbuf_init(&reasons);
    for (size_t i = 0; i < c->metric_count; i++) {
        const nbaq_metric *m = c->metrics[i];
        if (m->status == NBAQ_PASS)
            continue;
        if (reasons.len)
            textbuf_puts(&reasons, "; ");
        if (strcmp(m->reason, "not a finite number") == 0)
            textbuf_printf(&reasons, "%s: ", m->name);
        textbuf_puts(&reasons, m->reason);
    }
    size_t len = strlen(c->message);
    size_t tail = reasons.data ? reasons.len : 0;
    if (tail && !textbuf_failed(&reasons) && tail <= len &&
        strcmp(c->message + len - tail, reasons.data) == 0) {
        len -= tail;
        while (len > 0 &&
               (c->message[len - 1] == ' ' || c->message[len - 1] == ';'))
            len--;
    }
    textbuf_append(b, c->message, len);
    textbuf_free(&reasons);
}

/* Takes the text out of a buffer ("" when empty), NULL on failure. */
static char *take(textbuf *b)
{
    if (textbuf_failed(b))
        return NULL;
    if (!b->data) {
        char *empty = calloc(1, 1);
        return empty;
    }
    char *text = b->data;
    textbuf_init(b);
    return text;
}

typedef struct builder {
    recommendation_list *list;
    const nbaq_run *run;
    size_t max_items;
    int failed;
} builder;

static void add(builder *bd, recommendation_kind kind,
                const nbaq_check_result *c, const nbaq_metric *m)
{
    recommendation_list *list = bd->list;
    if (list->count >= bd->max_items) {
        list->omitted++;
        return;
    }
    textbuf what, since, look;
    textbuf_init(&what);
    textbuf_init(&since);
    textbuf_init(&look);
    if (m) {
        what_metric(&what, kind, m);
    } else {
        textbuf_printf(&what, "The check %s %s: ",
                       kind == REC_CHECK_FAILED ? "itself reported" : "ended",
                       status_name(c->status));
        size_t before = what.len;
        own_message(&what, c);
        if (what.len == before)
            textbuf_puts(&what, "(no message)");
    }
    since_text(&since, bd->run, kind, c, m);
    look_text(&look, kind, c);
    recommendation *r = &list->items[list->count];
    *r = (recommendation){kind,
                          m ? m->status : c->status,
                          c,
                          m,
                          kind_title(kind, m),
                          take(&what),
                          take(&since),
                          take(&look)};
    textbuf_free(&what);
    textbuf_free(&since);
    textbuf_free(&look);
    if (!r->what || !r->since || !r->look) {
        free(r->what);
        free(r->since);
        free(r->look);
        bd->failed = 1;
        return;
    }
    list->count++;
}

/* Whether the check's plugin itself reported WARNING or FAIL (a schema
 * mismatch), beside any failing metrics: the check is worse than all its
 * metrics, or its own condition has an open alert. */
static int check_failed_itself(const nbaq_run *run, const nbaq_check_result *c)
{
    int rank = status_rank(c->status);
    if (rank <= 0 || rank >= 3)
        return 0;
    int worst_metric = 0;
    for (size_t i = 0; i < c->metric_count; i++) {
        int r = status_rank(c->metrics[i]->status);
        worst_metric = r > worst_metric ? r : worst_metric;
    }
    return rank > worst_metric || reportview_alert_for(run, c->name, "");
}

static void add_check(builder *bd, const nbaq_check_result *c)
{
    if (c->status == NBAQ_ERROR || c->status == NBAQ_UNKNOWN)
        add(bd, REC_CHECK_ERROR, c, NULL);
    else if (check_failed_itself(bd->run, c))
        add(bd, REC_CHECK_FAILED, c, NULL);
    for (int rank = 4; rank >= 0; rank--) {
        for (size_t i = 0; i < c->metric_count; i++) {
            const nbaq_metric *m = c->metrics[i];
            if (status_rank(m->status) != rank || !needs_attention(m))
                continue;
            add(bd, metric_kind(m), c, m);
        }
    }
}

int recommend_build(recommendation_list *list, const nbaq_run *run,
                    const nbaq_check_result *const *checks, size_t max_items)
{
    memset(list, 0, sizeof(*list));
    list->items = calloc(max_items ? max_items : 1, sizeof(*list->items));
    if (!list->items)
        return -1;
    builder bd = {list, run, max_items, 0};
    for (size_t i = 0; i < run->check_count && !bd.failed; i++)
        add_check(&bd, checks[i]);
    if (bd.failed) {
        recommend_free(list);
        return -1;
    }
    return 0;
}

size_t recommend_capacity(const nbaq_run *run)
{
    size_t n = 0;
    for (size_t i = 0; i < run->check_count; i++)
        n += 1 + run->checks[i]->metric_count;
    return n;
}

const char *recommend_rule_name(recommendation_kind kind)
{
    static const char *const names[] = {
        "check_error", "stale_data", "anomaly",     "null_rate",
        "limit",       "worsening",  "check_failed"};
    return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind]
                                                             : "check_failed";
}

void recommend_free(recommendation_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].what);
        free(list->items[i].since);
        free(list->items[i].look);
    }
    free(list->items);
    memset(list, 0, sizeof(*list));
}
