#include "history_api.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "history_calc.h"
#include "numfmt.h"
#include "text.h"
#include "utf8.h"

#define METRIC_NAME_MAX 255
/* 9999-12-31T23:59:59.999Z: a range end past it would overflow the
 * window arithmetic in load_range(). */
#define TIME_MAX_MS INT64_C(253402300799999)
#define STORE_BUSY_TIMEOUT_MS 2000

static char *error_answer(int code, int *status, const char *message)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "error", message);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *status = code;
    return text;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int ensure_store(history_api *h, const snapshot *s, char *err,
                        size_t err_size)
{
    if (h->store && same(h->url, s->history_url) && same(h->dir, s->config_dir))
        return 0;
    history_api_close(h);
    history_open_options options = {.busy_timeout_ms = STORE_BUSY_TIMEOUT_MS};
    if (history_open(s->history_url, s->config_dir, &options, &h->store, err,
                     err_size) != 0)
        return -1;
    h->url = strdup(s->history_url);
    h->dir = strdup(s->config_dir);
    if (!h->url || !h->dir) {
        history_api_close(h);
        return err_set(err, err_size, "out of memory");
    }
    return 0;
}

static int valid_metric(const char *m)
{
    size_t len = strlen(m);
    if (len == 0 || len > METRIC_NAME_MAX || !utf8_is_valid(m))
        return 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)m[i] < 0x20 || m[i] == 0x7f)
            return 0;
    }
    return 1;
}

static int time_in_range(int64_t ms)
{
    return ms >= 0 && ms <= TIME_MAX_MS;
}

typedef struct range {
    int64_t since_ms, until_ms;
    size_t points;
} range;

/* 0, or an error answer's message in why. */
static int parse_query(const history_query *q, unsigned history_points,
                       int64_t now_ms, range *r, char *why, size_t why_size)
{
    if (!q->check || !text_is_name(q->check))
        return err_set(why, why_size,
                       "'check' is required: a check name "
                       "([A-Za-z0-9_.-])");
    if (!q->metric || !valid_metric(q->metric))
        return err_set(why, why_size,
                       "'metric' is required: a metric name of 1 to %d "
                       "bytes without control characters",
                       METRIC_NAME_MAX);
    const char *since = q->since ? q->since : "24h";
    if (history_parse_time(since, now_ms, &r->since_ms) != 0)
        return err_set(why, why_size,
                       "'since' is neither a duration back from now (24h, "
                       "7d) nor a time (2025-01-31T12:00:00Z, epoch ms)");
    r->until_ms = now_ms;
    if (q->until && history_parse_time(q->until, now_ms, &r->until_ms) != 0)
        return err_set(why, why_size,
                       "'until' is neither a duration back from now nor a "
                       "time");
    if (!time_in_range(r->since_ms) || !time_in_range(r->until_ms))
        return err_set(why, why_size,
                       "'%s' is out of range: times lie from "
                       "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z "
                       "(epoch ms 0 to %lld)",
                       time_in_range(r->since_ms) ? "until" : "since",
                       (long long)TIME_MAX_MS);
    if (r->since_ms > r->until_ms)
        return err_set(why, why_size, "'since' is after 'until'");
    r->points = history_points;
    if (q->points) {
        char *end;
        errno = 0;
        long n = strtol(q->points, &end, 10);
        if (!*q->points || *end || errno || n < 2 ||
            (unsigned long)n > history_points)
            return err_set(why, why_size,
                           "'points' must be a number from 2 to %u",
                           history_points);
        r->points = (size_t)n;
    }
    return 0;
}

/*
 * Every stored value with since <= ts <= until, through the public
 * history API: the trend window of history_load_past holds every value
 * in (now - 2W, now); choosing now = until + 1 and W so that now - 2W is
 * since - 1 or a little before makes it exactly the range (the rest is
 * filtered out below).
 */
static int load_range(history_store *store, const snapshot *s,
                      const history_query *q, const range *r,
                      history_past *past, char *err, size_t err_size)
{
    int64_t now = r->until_ms + 1;
    int64_t lower = r->since_ms - 1;
    history_settings settings = {.trend_window_ms = (now - lower + 1) / 2,
                                 .report_points = 0};
    return history_load_past(store, s->monitor, q->check, q->metric, NULL, now,
                             &settings, past, err, err_size);
}

static cJSON *point(int64_t ts, double value)
{
    cJSON *p = cJSON_CreateArray();
    char text[TEXTFMT_NUMBER_SIZE]; /* cJSON keeps only 15 digits */
    textfmt_number_exact(text, sizeof text, value);
    cJSON_AddItemToArray(p, cJSON_CreateNumber((double)ts));
    cJSON_AddItemToArray(p, isfinite(value) ? cJSON_CreateRaw(text)
                                            : cJSON_CreateNull());
    return p;
}

/* Adds the points; returns the bucket length (0: every value kept). */
static int64_t add_points(cJSON *points, const history_past *past,
                          const range *r, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < past->window_count; i++) {
        int64_t ts = past->window[i].ts_ms;
        n += ts >= r->since_ms && ts <= r->until_ms;
    }
    *count = n;
    if (n <= r->points) {
        for (size_t i = 0; i < past->window_count; i++) {
            const history_sample *x = &past->window[i];
            if (x->ts_ms >= r->since_ms && x->ts_ms <= r->until_ms)
                cJSON_AddItemToArray(points, point(x->ts_ms, x->value));
        }
        return 0;
    }
    int64_t span = r->until_ms - r->since_ms + 1;
    int64_t bucket = (span + (int64_t)r->points - 1) / (int64_t)r->points;
    size_t i = 0;
    while (i < past->window_count) {
        const history_sample *x = &past->window[i];
        if (x->ts_ms < r->since_ms || x->ts_ms > r->until_ms) {
            i++;
            continue;
        }
        int64_t b = (x->ts_ms - r->since_ms) / bucket;
        double sum = 0, ts_sum = 0;
        size_t finite = 0, members = 0;
        for (; i < past->window_count; i++) {
            const history_sample *y = &past->window[i];
            if (y->ts_ms > r->until_ms ||
                (y->ts_ms - r->since_ms) / bucket != b)
                break;
            members++;
            ts_sum += (double)y->ts_ms;
            if (isfinite(y->value)) {
                sum += y->value;
                finite++;
            }
        }
        cJSON_AddItemToArray(points,
                             point((int64_t)(ts_sum / (double)members),
                                   finite ? sum / (double)finite : NAN));
    }
    return bucket;
}

char *history_api_answer(history_api *h, const snapshot *s,
                         const history_query *q, int64_t now_ms, int *status)
{
    char why[1024];
    if (!s->history_url)
        return error_answer(404, status,
                            "no history store is configured (history.url)");
    range r;
    if (parse_query(q, s->history_points, now_ms, &r, why, sizeof why) != 0)
        return error_answer(400, status, why);
    history_past past = HISTORY_PAST_INIT;
    if (ensure_store(h, s, why, sizeof why) != 0 ||
        load_range(h->store, s, q, &r, &past, why, sizeof why) != 0) {
        history_past_free(&past);
        return error_answer(503, status, why);
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "monitor", s->monitor);
    cJSON_AddStringToObject(doc, "check", q->check);
    cJSON_AddStringToObject(doc, "metric", q->metric);
    cJSON_AddNumberToObject(doc, "since_ms", (double)r.since_ms);
    cJSON_AddNumberToObject(doc, "until_ms", (double)r.until_ms);
    cJSON *points = cJSON_CreateArray();
    size_t count = 0;
    int64_t bucket = add_points(points, &past, &r, &count);
    history_past_free(&past);
    cJSON_AddNumberToObject(doc, "count", (double)count);
    cJSON_AddNumberToObject(doc, "bucket_ms", (double)bucket);
    cJSON_AddItemToObject(doc, "points", points);
    char *text = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    *status = 200;
    return text;
}

int history_api_check_query(const history_query *q, unsigned history_points,
                            int64_t now_ms, char *why, size_t why_size)
{
    range r;
    return parse_query(q, history_points, now_ms, &r, why, why_size);
}

void history_api_close(history_api *h)
{
    history_close(h->store);
    h->store = NULL;
    free(h->url);
    free(h->dir);
    h->url = h->dir = NULL;
}
