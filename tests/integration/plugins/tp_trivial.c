/* tp_trivial: the cheapest possible check (one metric, PASS); the host
 * benchmark runs a thousand of them. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->metric_set(ctx, "value", 1, NULL);
    api->status_set(ctx, NBAQ_PASS, "ok");
}

static const nbaq_metric_decl metrics[] = {{"value", NULL, "always 1"},
                                           NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_trivial",
    .version = "1.0.0",
    .description = "test checker: one metric, PASS",
    .check = check,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
