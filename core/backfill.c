/*
 * backfill.c - metric_backfill() records, from the pipe to the store.
 */
#include "backfill.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "history_past_points.h"
#include "records.h"
#include "text.h"

enum { POINT_SIZE = sizeof(int64_t) + sizeof(double) };

/* A NUL-terminated string of at most max bytes at p (rest bytes left). */
static const char *bounded_string(const unsigned char *p, size_t rest,
                                  size_t max, size_t *len)
{
    *len = strnlen((const char *)p, rest);
    return *len < rest && *len <= max ? (const char *)p : NULL;
}

static int grow(backfill_list *list)
{
    backfill_series *items = grow_for_one(list->items, &list->capacity,
                                          list->count, sizeof *items, 4);
    if (!items)
        return -1;
    list->items = items;
    return 0;
}

const char *backfill_take(backfill_list *list, const unsigned char *payload,
                          size_t len)
{
    size_t name_len, unit_len;
    const char *name = bounded_string(payload, len, RECORD_NAME_MAX, &name_len);
    if (!name || name_len == 0)
        return "protocol violation: bad backfill name";
    const char *unit = bounded_string(
        payload + name_len + 1, len - name_len - 1, RECORD_UNIT_MAX, &unit_len);
    if (!unit)
        return "protocol violation: bad backfill unit";
    size_t head = name_len + unit_len + 2, bytes = len - head;
    if (bytes % POINT_SIZE != 0 ||
        bytes / POINT_SIZE > NBAQ_BACKFILL_POINTS_MAX)
        return "protocol violation: bad backfill points";
    if (list->count >= RECORD_METRICS_MAX || grow(list) != 0)
        return NULL; /* beyond the metric limit, or no memory: dropped */
    backfill_series *s = &list->items[list->count];
    s->count = bytes / POINT_SIZE;
    s->name = strdup(name);
    s->unit = strdup(unit);
    s->points = malloc(s->count ? s->count * sizeof *s->points : 1);
    if (!s->name || !s->unit || !s->points) {
        free(s->name);
        free(s->unit);
        free(s->points);
        return NULL;
    }
    for (size_t i = 0; i < s->count; i++) {
        const unsigned char *p = payload + head + i * POINT_SIZE;
        memcpy(&s->points[i].ts_ms, p, sizeof(int64_t));
        memcpy(&s->points[i].value, p + sizeof(int64_t), sizeof(double));
    }
    list->count++;
    return NULL;
}

void backfill_list_free(backfill_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].unit);
        free(list->items[i].points);
    }
    free(list->items);
    memset(list, 0, sizeof *list);
}

int backfill_store(history_store *store, const char *monitor, const char *check,
                   const char *plugin, const backfill_list *list,
                   int64_t now_ms, size_t *stored, char *err, size_t err_size)
{
    *stored = 0;
    if (!store || list->count == 0)
        return 0;
    history_past_series *series = calloc(list->count, sizeof *series);
    if (!series)
        return err_set(err, err_size, "backfill: out of memory");
    for (size_t i = 0; i < list->count; i++)
        series[i] =
            (history_past_series){list->items[i].name, list->items[i].unit,
                                  list->items[i].points, list->items[i].count};
    history_past_source source = {.monitor = monitor,
                                  .check = check,
                                  .plugin = plugin,
                                  .kind = "backfill",
                                  .reason = "backfilled",
                                  .only_empty_series = 1,
                                  .before_ms = now_ms};
    int rc = history_store_past_points(store, &source, series, list->count,
                                       stored, err, err_size);
    free(series);
    return rc;
}
