/* tp_small_struct: a descriptor whose struct_size is too small. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_plugin_descriptor descriptor = {
    .abi_version = NBAQ_ABI_VERSION,
    .struct_size = 8,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_small_struct",
    .check = check,
};

NBAQ_PLUGIN(descriptor)
