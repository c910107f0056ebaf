/*
 * history_values.h - stored values of one series with the band each was
 * judged against (schema v3: band_lower, band_upper), oldest first: for
 * the dashboard's /api/history and the points reporters draw.
 *
 * Ownership: *rows is the caller's, released with free().
 */
#ifndef NBAQ_HISTORY_VALUES_H
#define NBAQ_HISTORY_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"

typedef struct history_value_row {
    history_sample sample;
    double lower, upper; /* NAN: not judged, or a side the rule ignores */
} history_value_row;

/* Every value of (monitor, check, metric) with since_ms <= ts <= until_ms,
 * oldest first; none (0 rows) when the series does not exist. 0, or -1
 * with err naming the store. */
int history_load_values(history_store *store, const char *monitor,
                        const char *check, const char *metric, int64_t since_ms,
                        int64_t until_ms, history_value_row **rows,
                        size_t *count, char *err, size_t err_size);

/* Inside the store: reads the rows of a statement that selects ts_ms,
 * value, anomalous, band_lower, band_upper; then resets it. */
typedef struct store_stmt store_stmt;
int history_value_rows_read(history_store *store, store_stmt *s,
                            history_value_row **rows, size_t *count, char *err,
                            size_t err_size);

#endif /* NBAQ_HISTORY_VALUES_H */
