/* tp_bad_metrics: declares a metric whose placeholder names no option:
 * a plugin bug the host refuses when it loads the plugin. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_option_spec options[] = {
    {.name = "table", .type = NBAQ_OPT_STRING}, NBAQ_OPTION_END};

static const nbaq_metric_decl metrics[] = {{"{tabel}.rows", "rows", NULL},
                                           NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,   .kind = NBAQ_KIND_CHECKER,
    .name = "tp_bad_metrics", .options = options,
    .check = check,           .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
