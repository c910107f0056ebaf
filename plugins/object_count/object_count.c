/*
 * object_count.c - the `object_count` checker (the s3_file_count,
 * renamed because it works on S3 and on local directories alike): number
 * of objects, total bytes, zero-byte objects, and optionally the same per
 * first-level prefix under the configured prefix.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "nbaq.h"
#include "oc_daily.h"
#include "objstore.h"
#include "objstore_options.h"
#include "objstore_prefix_table.h"
#include "objstore_scale.h"

enum { NAME_MAX_LEN = 4096, ERR_MAX = 1024 };

static const nbaq_option_spec object_count_options[] = {
    NBAQ_OBJSTORE_OPTION_SPECS,
    NBAQ_OBJSTORE_SCALE_OPTION_SPECS,
    {.name = "by_prefix",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "also count per first-level prefix under the prefix: "
                    "objects.by_prefix.<part>, bytes.by_prefix.<part>"},
    {.name = "max_prefixes",
     .type = NBAQ_OPT_INT,
     .default_value = "1000",
     .min = 1,
     .max = 100000,
     .description = "distinct prefixes counted one by one; the rest are "
                    "added up in objects.by_prefix_other"},
    {.name = "suffixes",
     .type = NBAQ_OPT_STRING_LIST,
     .description = "count only keys ending with one of these (\".json\"); "
                    "default every object"},
    OC_DAILY_OPTION_SPEC,
    NBAQ_OPTION_END};

typedef struct counting {
    const nbaq_host_api *api;
    const nbaq_options *options;
    size_t suffix_count;
    uint64_t objects, bytes, zero_bytes, top_level_objects, top_level_bytes;
    int by_prefix;
    nbaq_objstore_prefix_table prefixes;
    uint64_t other_objects, other_bytes; /* prefixes beyond max_prefixes */
    oc_daily daily;                      /* backfill: objects per day     */
} counting;

static int count_object(void *user, const nbaq_objstore_object *o)
{
    counting *c = user;
    const char *slash;

    if (c->suffix_count > 0 &&
        !nbaq_objstore_key_has_suffix(c->api, c->options, "suffixes", o->key))
        return 0;
    c->objects++;
    c->bytes += o->size;
    c->zero_bytes += o->size == 0;
    oc_daily_add(&c->daily, o);
    if (!c->by_prefix)
        return 0;
    slash = strchr(o->name, '/');
    if (slash == NULL) {
        c->top_level_objects++;
        c->top_level_bytes += o->size;
    } else {
        nbaq_objstore_prefix_stats *p = nbaq_objstore_prefix_table_entry(
            &c->prefixes, o->name, (size_t)(slash - o->name));
        if (p != NULL) {
            p->objects++;
            p->bytes += o->size;
        } else {
            c->other_objects++;
            c->other_bytes += o->size;
        }
    }
    return 0;
}

static void set_prefix_metrics(const nbaq_host_api *api, nbaq_ctx *ctx,
                               const counting *c)
{
    char segment[NAME_MAX_LEN], name[NAME_MAX_LEN + 32];

    for (size_t i = 0; i < c->prefixes.slot_count; i++) {
        const nbaq_objstore_prefix_stats *p = &c->prefixes.slots[i];
        if (p->part == NULL ||
            nbaq_objstore_metric_segment(p->part, p->part_len, segment,
                                         sizeof segment) != 0)
            continue;
        snprintf(name, sizeof name, "objects.by_prefix.%s", segment);
        api->metric_set(ctx, name, (double)p->objects, "count");
        snprintf(name, sizeof name, "bytes.by_prefix.%s", segment);
        api->metric_set(ctx, name, (double)p->bytes, "B");
    }
    api->metric_set(ctx, "objects.top_level", (double)c->top_level_objects,
                    "count");
    api->metric_set(ctx, "bytes.top_level", (double)c->top_level_bytes, "B");
    api->metric_set(ctx, "objects.by_prefix_other", (double)c->other_objects,
                    "count");
    api->metric_set(ctx, "bytes.by_prefix_other", (double)c->other_bytes, "B");
    api->metric_set(ctx, "prefixes", (double)c->prefixes.used, "count");
}

static void human_bytes(uint64_t bytes, char *out, size_t size)
{
    static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = (double)bytes;
    size_t u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof units[0]) {
        v /= 1024;
        u++;
    }
    if (u == 0)
        snprintf(out, size, "%" PRIu64 " B", bytes);
    else
        snprintf(out, size, "%.1f %s", v, units[u]);
}

static void report(const nbaq_host_api *api, nbaq_ctx *ctx,
                   nbaq_objstore *store, const counting *c,
                   const nbaq_objstore_list_info *info)
{
    char size[32];

    api->metric_set(ctx, "objects", (double)c->objects, "count");
    api->metric_set(ctx, "bytes", (double)c->bytes, "B");
    api->metric_set(ctx, "zero_byte_objects", (double)c->zero_bytes, "count");
    if (c->by_prefix)
        set_prefix_metrics(api, ctx, c);
    oc_daily_report(&c->daily, api, ctx);
    human_bytes(c->bytes, size, sizeof size);
    char message[2048];
    nbaq_status status = NBAQ_PASS;
    snprintf(message, sizeof message,
             "%" PRIu64 " objects, %s under %s (%" PRIu64 " empty)%s",
             c->objects, size, nbaq_objstore_location(store), c->zero_bytes,
             info->from_cache ? ", listing shared" : "");
    nbaq_objstore_judge_skipped(api, ctx, info, &status, message,
                                sizeof message);
    api->status_set(ctx, status, "%s", message);
}

static void object_count_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    nbaq_objstore_config cfg;
    nbaq_objstore *store = NULL;
    nbaq_objstore_list_info info;
    char err[ERR_MAX];
    counting c = {.api = api, .options = o};

    c.by_prefix = api->opt_bool(o, "by_prefix");
    c.suffix_count = api->opt_count(o, "suffixes");
    if (c.by_prefix &&
        nbaq_objstore_prefix_table_init(
            &c.prefixes, (size_t)api->opt_int(o, "max_prefixes")) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory");
        return;
    }
    nbaq_objstore_config_from_options(api, ctx, &cfg);
    nbaq_objstore_scale_from_options(api, ctx, &cfg);
    if (oc_daily_init(&c.daily, api, o, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s: %s",
                        api->opt_location(o, "backfill"), err);
    } else if (nbaq_objstore_open(&cfg, &store, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
    } else if (nbaq_objstore_list(store, count_object, &c, &info, err,
                                  sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
    } else if (c.prefixes.failed) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory counting prefixes");
    } else {
        nbaq_objstore_report_inventory(api, ctx, &info);
        report(api, ctx, store, &c, &info);
    }
    nbaq_objstore_close(store);
    oc_daily_free(&c.daily);
    if (c.by_prefix)
        nbaq_objstore_prefix_table_free(&c.prefixes);
}

/* validate(): a url an objstore can open, and max_prefixes only where
 * it means something. */
static int object_count_validate(const nbaq_host_api *api,
                                 const nbaq_options *o, char *err,
                                 size_t err_size)
{
    if (nbaq_objstore_validate_options(api, o, 1, err, err_size) != 0)
        return -1;
    const char *written = api->opt_location(o, "max_prefixes");
    if (written[0] != '\0' && !api->opt_bool(o, "by_prefix")) {
        snprintf(err, err_size,
                 "%s: max_prefixes applies with by_prefix: true only", written);
        return -1;
    }
    return 0;
}

static const nbaq_metric_decl object_count_metrics[] = {
    {"objects", "count", "objects counted"},
    {"bytes", "B", "their total size"},
    {"zero_byte_objects", "count", "empty objects"},
    NBAQ_OBJSTORE_SKIPPED_METRIC_DECL,
    NBAQ_OBJSTORE_SCALE_METRIC_DECL,
    {"{by_prefix=true}objects.by_prefix.*", "count",
     "with by_prefix: objects under each first-level prefix"},
    {"{by_prefix=true}bytes.by_prefix.*", "B", "with by_prefix: their bytes"},
    {"{by_prefix=true}objects.top_level", "count",
     "with by_prefix: objects directly under the prefix"},
    {"{by_prefix=true}bytes.top_level", "B", "with by_prefix: their bytes"},
    {"{by_prefix=true}objects.by_prefix_other", "count",
     "with by_prefix: objects under prefixes past max_prefixes"},
    {"{by_prefix=true}bytes.by_prefix_other", "B",
     "with by_prefix: their bytes"},
    {"{by_prefix=true}prefixes", "count",
     "with by_prefix: distinct first-level prefixes"},
    {"{backfill.date=*}objects.per_day", "count",
     "with backfill: objects dated on the last complete UTC day"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor object_count_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "object_count",
    .version = "1.0.0",
    .description = "objects, bytes and empty objects under an S3 prefix or "
                   "a directory, optionally per first-level prefix",
    .options = object_count_options,
    .check = object_count_check,
    .validate = object_count_validate,
    .metrics = object_count_metrics,
};

NBAQ_PLUGIN(object_count_descriptor)
