/*
 * fetch.c - what one metric's rules and annotations need of its past.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "history_calc.h"
#include "history_store.h"

typedef struct sample_list {
    history_sample *items;
    size_t count;
    size_t capacity;
} sample_list;

static int sample_append(sample_list *list, const history_sample *sample)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity ? list->capacity * 2 : 64;
        history_sample *items = realloc(list->items, capacity * sizeof *items);
        if (!items)
            return -1;
        list->items = items;
        list->capacity = capacity;
    }
    list->items[list->count++] = *sample;
    return 0;
}

static void samples_reverse(history_sample *items, size_t count)
{
    for (size_t i = 0; i < count / 2; i++) {
        history_sample t = items[i];
        items[i] = items[count - 1 - i];
        items[count - 1 - i] = t;
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

/* Previous value and the points for reporters: the latest values. */
static int load_recent(history_store *store, int64_t series, int64_t now_ms,
                       size_t points, history_past *past, char *err,
                       size_t err_size)
{
    store_stmt *s = history_store_stmt_get(store, STMT_RECENT, err, err_size);
    if (!s)
        return -1;
    store->backend->bind_int64(s, 1, series);
    store->backend->bind_int64(s, 2, now_ms);
    store->backend->bind_int64(s, 3, (int64_t)(points > 1 ? points - 1 : 1));
    sample_list recent = {0};
    if (read_samples(store, s, &recent, err, err_size) != 0) {
        free(recent.items);
        return -1;
    }
    if (recent.count > 0) {
        past->has_previous = 1;
        past->previous = recent.items[0].value;
        past->previous_ts_ms = recent.items[0].ts_ms;
    }
    if (points > 0) {
        past->points = calloc(points, sizeof *past->points);
        if (!past->points) {
            free(recent.items);
            return history_store_error(store, err, err_size, "out of memory");
        }
        past->point_capacity = points;
        /* recent is newest first; keep the finite ones, oldest first,
         * leaving the last slot for this run's value. */
        for (size_t i = recent.count; i > 0 && past->point_count + 1 < points;
             i--) {
            const history_sample *r = &recent.items[i - 1];
            if (isfinite(r->value))
                past->points[past->point_count++] =
                    (nbaq_point){r->ts_ms, r->value};
        }
    }
    free(recent.items);
    return 0;
}

static int load_window(history_store *store, int64_t series, int64_t now_ms,
                       int64_t window_ms, history_past *past, char *err,
                       size_t err_size)
{
    store_stmt *s = history_store_stmt_get(store, STMT_WINDOW, err, err_size);
    if (!s)
        return -1;
    store->backend->bind_int64(s, 1, series);
    store->backend->bind_int64(s, 2, now_ms - 2 * window_ms);
    store->backend->bind_int64(s, 3, now_ms);
    sample_list list = {0};
    int rc = read_samples(store, s, &list, err, err_size);
    past->window = list.items;
    past->window_count = list.count;
    return rc;
}

static int load_baseline(history_store *store, int64_t series,
                         const anomaly_rule *rule, int64_t now_ms,
                         history_past *past, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    history_season_formula f = history_season_formula_of(rule->seasonal);
    int64_t key = history_season_key(now_ms, rule->seasonal);
    store_stmt *s;
    int windowed = rule->window_ms > 0;
    if (windowed) {
        s = history_store_stmt_get(store, STMT_BASELINE_WINDOW, err, err_size);
        if (!s)
            return -1;
        b->bind_int64(s, 1, series);
        b->bind_int64(s, 2, now_ms - rule->window_ms);
        b->bind_int64(s, 3, now_ms);
        b->bind_int64(s, 4, f.unit_ms);
        b->bind_int64(s, 5, f.offset);
        b->bind_int64(s, 6, f.modulus);
        b->bind_int64(s, 7, key);
    } else {
        s = history_store_stmt_get(store, STMT_BASELINE_LAST, err, err_size);
        if (!s)
            return -1;
        b->bind_int64(s, 1, series);
        b->bind_int64(s, 2, now_ms);
        b->bind_int64(s, 3, f.unit_ms);
        b->bind_int64(s, 4, f.offset);
        b->bind_int64(s, 5, f.modulus);
        b->bind_int64(s, 6, key);
        b->bind_int64(s, 7,
                      rule->window_points ? rule->window_points
                                          : HISTORY_ANOMALY_DEFAULT_POINTS);
    }
    sample_list list = {0};
    int rc = read_samples(store, s, &list, err, err_size);
    if (!windowed)
        samples_reverse(list.items, list.count);
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
    memset(past, 0, sizeof *past);
}

int history_load_past(history_store *store, const char *monitor,
                      const char *check, const char *metric,
                      const metric_rule *rule, int64_t now_ms,
                      const history_settings *settings, history_past *past,
                      char *err, size_t err_size)
{
    history_past_free(past);
    past->previous = NAN;
    if (!store)
        return 0;
    size_t points = report_points(settings);
    int64_t series = history_store_series_id(store, monitor, check, metric, 0,
                                             err, err_size);
    if (series < 0)
        return -1;
    if (series == 0) {
        /* Never seen: no past, but room for this run's point. */
        past->points = calloc(points ? points : 1, sizeof *past->points);
        past->point_capacity = past->points ? points : 0;
        return 0;
    }
    int rc = load_recent(store, series, now_ms, points, past, err, err_size);
    if (rc == 0)
        rc = load_window(store, series, now_ms, trend_window(settings), past,
                         err, err_size);
    if (rc == 0 && rule && rule->anomaly.enabled)
        rc = load_baseline(store, series, &rule->anomaly, now_ms, past, err,
                           err_size);
    if (rc != 0) {
        history_past_free(past);
        past->previous = NAN;
    }
    return rc;
}
