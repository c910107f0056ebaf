/*
 * fetch.c - what one metric's rules and annotations need of its past.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"
#include "grow.h"
#include "history_calc.h"
#include "history_episodes.h"
#include "history_store.h"
#include "history_values.h"

typedef struct sample_list {
    history_sample *items;
    size_t count;
    size_t capacity;
} sample_list;

static int sample_append(sample_list *list, const history_sample *sample)
{
    history_sample *items = grow_for_one(list->items, &list->capacity,
                                         list->count, sizeof *items, 64);
    if (!items)
        return -1;
    list->items = items;
    list->items[list->count++] = *sample;
    return 0;
}

/* Reverses an array of history_sample or history_value_row. */
static void items_reverse(void *items, size_t count, size_t size)
{
    unsigned char *p = items, t[sizeof(history_value_row)];
    for (size_t i = 0; i < count / 2 && size <= sizeof t; i++) {
        unsigned char *a = p + i * size, *b = p + (count - 1 - i) * size;
        memcpy(t, a, size);
        memcpy(a, b, size);
        memcpy(b, t, size);
    }
}

/* Reads (ts_ms, value, anomalous) rows of a bound statement. */
static int read_samples(history_store *store, store_stmt *s, sample_list *out,
                        char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        history_sample sample = {b->column_int64(s, 0), b->column_double(s, 1),
                                 b->column_int64(s, 2) != 0};
        if (sample_append(out, &sample) != 0) {
            b->reset(s);
            return history_store_error(store, err, err_size, "out of memory");
        }
    }
    b->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

static int64_t trend_window(const history_settings *settings)
{
    return settings && settings->trend_window_ms > 0
               ? settings->trend_window_ms
               : HISTORY_DEFAULT_TREND_WINDOW_MS;
}

static size_t report_points(const history_settings *settings)
{
    return settings ? settings->report_points : HISTORY_DEFAULT_REPORT_POINTS;
}

/* Room for `points` points and bands (this run's included). */
static int alloc_points(history_past *past, size_t points)
{
    if (points == 0)
        return 0;
    past->points = calloc(points, sizeof *past->points);
    past->bands = calloc(points, sizeof *past->bands);
    if (!past->points || !past->bands)
        return -1;
    past->point_capacity = points;
    return 0;
}

/* How many of the latest values the points for reporters need. */
static size_t recent_needed(size_t points)
{
    return points > 1 ? points - 1 : 1;
}

/* Previous value and the points for reporters from the latest values,
 * oldest first (rows[count - 1] the latest), with the band each was
 * judged against; the last slot stays for this run's value. */
static int keep_recent(const history_value_row *rows, size_t count,
                       size_t points, history_past *past)
{
    if (count > 0) {
        past->has_previous = 1;
        past->previous = rows[count - 1].sample.value;
        past->previous_ts_ms = rows[count - 1].sample.ts_ms;
    }
    if (alloc_points(past, points) != 0)
        return -1;
    for (size_t i = 0; i < count && past->point_count + 1 < points; i++) {
        const history_value_row *r = &rows[i];
        if (!isfinite(r->sample.value))
            continue;
        past->bands[past->point_count] =
            (nbaq_point_band){r->lower, r->upper, r->sample.anomalous == 1};
        past->points[past->point_count++] =
            (nbaq_point){r->sample.ts_ms, r->sample.value};
    }
    return 0;
}

/* The latest values before now, for when the window holds too few. */
static int load_recent(history_store *store, int64_t series, int64_t now_ms,
                       size_t points, history_past *past, char *err,
                       size_t err_size)
{
    store_stmt *s =
        history_store_stmt_get(store, STMT_RECENT_BANDS, err, err_size);
    if (!s)
        return -1;
    store->backend->bind_int64(s, 1, series);
    store->backend->bind_int64(s, 2, now_ms);
    store->backend->bind_int64(s, 3, (int64_t)recent_needed(points));
    history_value_row *recent;
    size_t count;
    if (history_value_rows_read(store, s, &recent, &count, err, err_size) != 0)
        return -1;
    items_reverse(recent, count, sizeof *recent); /* read newest first */
    int rc = keep_recent(recent, count, points, past);
    free(recent);
    return rc != 0 ? history_store_error(store, err, err_size, "out of memory")
                   : 0;
}

static int window_samples(const history_value_row *rows, size_t count,
                          history_past *past)
{
    if (count == 0)
        return 0;
    past->window = malloc(count * sizeof *past->window);
    if (!past->window)
        return -1;
    for (size_t i = 0; i < count; i++) {
        past->window[i] = rows[i].sample;
        past->window[i].anomalous = rows[i].sample.anomalous != 0;
    }
    past->window_count = count;
    return 0;
}

/* The rows of the window (after_ms, now) with their flags and bands,
 * read once for the window, the points for reporters and the baseline. */
typedef struct window_rows {
    history_value_row *rows;
    size_t count;
    int64_t after_ms;
} window_rows;

static int read_window(history_store *store, int64_t series, int64_t now_ms,
                       int64_t window_ms, window_rows *w, char *err,
                       size_t err_size)
{
    store_stmt *s = history_store_stmt_get(store, STMT_WINDOW, err, err_size);
    if (!s)
        return -1;
    w->after_ms = now_ms - 2 * window_ms;
    store->backend->bind_int64(s, 1, series);
    store->backend->bind_int64(s, 2, w->after_ms);
    store->backend->bind_int64(s, 3, now_ms);
    return history_value_rows_read(store, s, &w->rows, &w->count, err,
                                   err_size);
}

/* The window and the previous value and points for reporters: the latest
 * values before now are the window's last ones when it holds enough. */
static int keep_window_and_recent(history_store *store, int64_t series,
                                  int64_t now_ms, size_t points,
                                  const window_rows *w, history_past *past,
                                  char *err, size_t err_size)
{
    size_t needed = recent_needed(points);
    int rc = window_samples(w->rows, w->count, past);
    if (rc == 0 && w->count >= needed)
        rc = keep_recent(w->rows + (w->count - needed), needed, points, past);
    if (rc != 0)
        return history_store_error(store, err, err_size, "out of memory");
    return w->count >= needed ? 0
                              : load_recent(store, series, now_ms, points, past,
                                            err, err_size);
}

/* STMT_BASELINE_SINCE's condition (a NULL value reads as NaN). */
static int baseline_usable(const history_sample *s, int64_t since,
                           int64_t level_until_ms)
{
    return s->ts_ms >= since && !isnan(s->value) &&
           (s->anomalous == 0 ||
            (s->anomalous == 1 && s->ts_ms < level_until_ms));
}

/* Usable values before the window, the latest `limit` first. */
static int load_baseline_before(history_store *store, int64_t series,
                                int64_t since, const window_rows *w,
                                int64_t level_until_ms, size_t limit,
                                sample_list *out, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_BASELINE_SINCE, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, series);
    b->bind_int64(s, 2, since);
    b->bind_int64(s, 3, w->after_ms + 1);
    b->bind_int64(s, 4, level_until_ms);
    b->bind_int64(s, 5, (int64_t)limit);
    return read_samples(store, s, out, err, err_size);
}

/* The latest detect_points_needed() usable values since the baseline's
 * start; values flagged while an accepted level was open count (they are
 * that level), suspect warm-up values never do. Those in the window are
 * taken from its rows; only older ones are read, when needed. */
static int load_baseline(history_store *store, int64_t series,
                         const anomaly_rule *rule, int64_t now_ms,
                         const window_rows *w, history_past *past, char *err,
                         size_t err_size)
{
    int64_t since = past->baseline_since_ms;
    if (rule->window_ms > 0 && now_ms - rule->window_ms > since)
        since = now_ms - rule->window_ms;
    size_t needed = detect_points_needed(rule);
    size_t first = w->count, in_window = 0;
    while (first > 0 && in_window < needed) {
        first--;
        in_window += baseline_usable(&w->rows[first].sample, since,
                                     past->level_until_ms);
    }
    sample_list list = {0};
    int rc = 0;
    if (in_window < needed && since <= w->after_ms)
        rc = load_baseline_before(store, series, since, w, past->level_until_ms,
                                  needed - in_window, &list, err, err_size);
    items_reverse(list.items, list.count, sizeof *list.items);
    for (size_t i = first; rc == 0 && i < w->count; i++) {
        if (baseline_usable(&w->rows[i].sample, since, past->level_until_ms) &&
            sample_append(&list, &w->rows[i].sample) != 0)
            rc = history_store_error(store, err, err_size, "out of memory");
    }
    for (size_t i = 0; i < list.count; i++)
        list.items[i].anomalous = 0; /* usable ones only */
    past->baseline = list.items;
    past->baseline_count = list.count;
    return rc;
}

void history_past_free(history_past *past)
{
    if (!past)
        return;
    free(past->baseline);
    free(past->window);
    free(past->points);
    free(past->bands);
    free(past->accepted_by);
    memset(past, 0, sizeof *past);
    past->previous = NAN;
    past->baseline_since_ms = INT64_MIN;
    past->level_until_ms = INT64_MIN;
}

int history_load_past(history_store *store, const char *monitor,
                      const char *check, const char *metric,
                      const metric_rule *rule, int64_t now_ms,
                      const history_settings *settings, history_past *past,
                      char *err, size_t err_size)
{
    history_past_free(past);
    if (!store)
        return 0;
    size_t points = report_points(settings);
    int64_t series = history_store_series_id(store, monitor, check, metric, 0,
                                             err, err_size);
    if (series < 0)
        return -1;
    past->store = store;
    past->series = series;
    if (series == 0) {
        /* Never seen: no past, but room for this run's point. */
        if (alloc_points(past, points) != 0) {
            history_past_free(past);
            return history_store_error(store, err, err_size, "out of memory");
        }
        return 0;
    }
    window_rows w = {0};
    int rc = read_window(store, series, now_ms, trend_window(settings), &w, err,
                         err_size);
    if (rc == 0)
        rc = keep_window_and_recent(store, series, now_ms, points, &w, past,
                                    err, err_size);
    if (rc == 0 && rule && (rule->anomaly.enabled || rule->change.enabled))
        rc = history_episodes_load(store, series, rule, now_ms, past, err,
                                   err_size);
    if (rc == 0 && rule && rule->anomaly.enabled)
        rc = load_baseline(store, series, &rule->anomaly, now_ms, &w, past, err,
                           err_size);
    free(w.rows);
    if (rc != 0)
        history_past_free(past);
    return rc;
}
