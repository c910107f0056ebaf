/* tp_wrong_name: the descriptor's name differs from the file name. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "some_other_name",
    .check = check,
};

NBAQ_PLUGIN(descriptor)
