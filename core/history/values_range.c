/*
 * values_range.c - a series' stored values with their bands, in a time
 * range (history_values.h).
 */
#include <stdlib.h>

#include "grow.h"
#include "history_store.h"
#include "history_values.h"

int history_value_rows_read(history_store *store, store_stmt *s,
                            history_value_row **rows, size_t *count, char *err,
                            size_t err_size)
{
    const store_backend *b = store->backend;
    size_t capacity = 0;
    char why[512];
    int rc;
    *rows = NULL;
    *count = 0;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        history_value_row *grown =
            grow_for_one(*rows, &capacity, *count, sizeof *grown, 64);
        if (!grown) {
            rc = -2;
            break;
        }
        *rows = grown;
        (*rows)[(*count)++] =
            (history_value_row){{b->column_int64(s, 0), b->column_double(s, 1),
                                 (int)b->column_int64(s, 2)},
                                b->column_double(s, 3),
                                b->column_double(s, 4)};
    }
    b->reset(s);
    if (rc < 0) {
        free(*rows);
        *rows = NULL;
        *count = 0;
        return history_store_error(store, err, err_size, "%s",
                                   rc == -2 ? "out of memory" : why);
    }
    return 0;
}

int history_load_values(history_store *store, const char *monitor,
                        const char *check, const char *metric, int64_t since_ms,
                        int64_t until_ms, history_value_row **rows,
                        size_t *count, char *err, size_t err_size)
{
    *rows = NULL;
    *count = 0;
    int64_t series = history_store_series_id(store, monitor, check, metric, 0,
                                             err, err_size);
    if (series <= 0)
        return series < 0 ? -1 : 0;
    char why[512];
    store_stmt *s = store->backend->prepare(
        store->conn,
        "SELECT ts_ms, value, anomalous, band_lower, band_upper"
        " FROM nbaq_metric_values WHERE series = $1 AND ts_ms >= $2"
        " AND ts_ms <= $3 ORDER BY ts_ms",
        why, sizeof why);
    if (!s)
        return history_store_error(store, err, err_size, "%s", why);
    store->backend->bind_int64(s, 1, series);
    store->backend->bind_int64(s, 2, since_ms);
    store->backend->bind_int64(s, 3, until_ms);
    int rc = history_value_rows_read(store, s, rows, count, err, err_size);
    store->backend->finalize(s);
    return rc;
}
