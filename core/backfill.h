/*
 * backfill.h - past values a check hands the host with metric_backfill()
 * (sdk/nbaq.h): taken from RECORD_BACKFILL records in the parent, then
 * stored before the check's metrics are judged.
 */
#ifndef NBAQ_CORE_BACKFILL_H
#define NBAQ_CORE_BACKFILL_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "nbaq.h"

typedef struct backfill_series {
    char *name;         /* malloc'd */
    char *unit;         /* malloc'd */
    nbaq_point *points; /* malloc'd */
    size_t count;
} backfill_series;

/* A check's backfill records, in the order received. Owned by the job
 * outcome; freed with backfill_list_free. */
typedef struct backfill_list {
    backfill_series *items;
    size_t count;
    size_t capacity;
} backfill_list;

/* Takes one RECORD_BACKFILL payload, in O(1) amortized (a repeated name is
 * kept; the store ignores it, its series being no longer empty). Returns
 * NULL, or what is wrong with the record ("protocol violation: ..."). */
const char *backfill_take(backfill_list *list, const unsigned char *payload,
                          size_t len);
void backfill_list_free(backfill_list *list);

/* Stores the points of every series that has no value yet, before now_ms,
 * in one transaction, as runs "backfill:<monitor>@<ts>". *stored gets the
 * count. store NULL or an empty list: 0. -1 with err naming the store. */
int backfill_store(history_store *store, const char *monitor, const char *check,
                   const char *plugin, const backfill_list *list,
                   int64_t now_ms, size_t *stored, char *err, size_t err_size);

#endif
