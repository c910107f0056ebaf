/*
 * oc_daily.h - object_count's `backfill: {days, date}`: the metric
 * objects.per_day (objects dated on the last complete UTC day) and its
 * past days, handed to the host with metric_backfill() so that the first
 * run already has a baseline. An object's date is its LastModified
 * (date: mtime) or the date in its key (date: "dt=%Y-%m-%d", parsed by
 * freshness's key patterns, plugins/freshness/partitions.h).
 */
#ifndef OC_DAILY_H
#define OC_DAILY_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"
#include "objstore.h"
#include "partitions.h"

typedef struct oc_daily {
    int enabled;
    int by_key; /* the date comes from the key, else from mtime       */
    key_pattern pattern;
    int64_t now_ms;
    int64_t first_day_ms; /* the oldest day counted                    */
    size_t days;          /* days counted: backfill days + yesterday   */
    uint64_t *counts;     /* per day from first_day_ms                 */
} oc_daily;

extern const nbaq_option_spec oc_daily_fields[];
#define OC_DAILY_OPTION_SPEC                                                   \
    {                                                                          \
        .name = "backfill", .type = NBAQ_OPT_OBJECT,                           \
        .fields = oc_daily_fields,                                             \
        .description = "{days, date}: metric objects.per_day, and its past "   \
                       "days handed to the history on the first run"           \
    }

/* Reads the option; 0, or -1 with err (a bad key pattern, no memory). */
int oc_daily_init(oc_daily *d, const nbaq_host_api *api, const nbaq_options *o,
                  char *err, size_t err_size);
/* Counts one object listed. */
void oc_daily_add(oc_daily *d, const nbaq_objstore_object *o);
/* objects.per_day, and the past days (the host keeps them only where the
 * series has no value yet). */
void oc_daily_report(const oc_daily *d, const nbaq_host_api *api,
                     nbaq_ctx *ctx);
void oc_daily_free(oc_daily *d);

#endif
