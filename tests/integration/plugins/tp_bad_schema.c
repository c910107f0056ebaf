/* tp_bad_schema: an option whose default does not parse. */
#include "nbaq.h"

static const nbaq_option_spec options[] = {{.name = "interval",
                                            .type = NBAQ_OPT_DURATION,
                                            .default_value = "5 parsecs",
                                            .description = "broken default"},
                                           NBAQ_OPTION_END};

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,  .kind = NBAQ_KIND_CHECKER,
    .name = "tp_bad_schema", .options = options,
    .check = check,
};

NBAQ_PLUGIN(descriptor)
