/* tp_abi_major: claims a future ABI major; the host must refuse it. */
#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "must never run");
}

static const nbaq_plugin_descriptor descriptor = {
    .abi_version = (uint32_t)((NBAQ_ABI_MAJOR + 1) << 16),
    .struct_size = (uint32_t)sizeof(nbaq_plugin_descriptor),
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_abi_major",
    .check = check,
};

NBAQ_PLUGIN(descriptor)
