/*
 * objstore_skipped.c - the one rule for entries a listing could not list
 * (docs/objstore.md, "Unreadable entries"), shared by every checker that
 * lists: object_count, freshness and json_validity judge them alike.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "objstore_options.h"

void nbaq_objstore_judge_skipped(const nbaq_host_api *api, nbaq_ctx *ctx,
                                 const nbaq_objstore_list_info *info,
                                 nbaq_status *status, char *message,
                                 size_t size)
{
    api->metric_set(ctx, "unlisted_entries", (double)info->skipped, "count");
    if (info->skipped == 0)
        return;
    if (*status < NBAQ_WARNING)
        *status = NBAQ_WARNING;
    size_t len = strnlen(message, size);
    if (len + 1 >= size)
        return;
    snprintf(message + len, size - len,
             "%s%" PRIu64 " %s could not be listed, first %s",
             len > 0 ? "; " : "", info->skipped,
             info->skipped == 1 ? "entry" : "entries", info->first_skipped);
}
