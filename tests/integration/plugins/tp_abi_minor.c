/* tp_abi_minor: claims a newer ABI minor than the host's; refused. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_plugin_descriptor descriptor = {
    .abi_version = (uint32_t)((NBAQ_ABI_MAJOR << 16) | (NBAQ_ABI_MINOR + 1)),
    .struct_size = (uint32_t)sizeof(nbaq_plugin_descriptor),
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_abi_minor",
    .check = check,
};

NBAQ_PLUGIN(descriptor)
