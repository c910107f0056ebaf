/* tp_old_descriptor: an ABI 1.2 plugin built before validate() and
 * metrics were appended to the descriptor: its struct_size ends at flags.
 * What lies past it here would refuse everything (a validate() that
 * crashes, a declaration matching no threshold), so the plugin works only
 * if the host reads no further than struct_size. */
#include <signal.h>
#include <stddef.h>

#include "nbaq.h"

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->metric_set(ctx, "value", 1, NULL);
    api->status_set(ctx, NBAQ_PASS, "old descriptor ran");
}

static int validate(const nbaq_host_api *api, const nbaq_options *opts,
                    char *err, size_t err_size)
{
    (void)api, (void)opts, (void)err, (void)err_size;
    raise(SIGSEGV);
    return -1;
}

static const nbaq_metric_decl metrics[] = {{"nothing", NULL, NULL},
                                           NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    .abi_version = NBAQ_ABI_VERSION,
    .struct_size =
        (uint32_t)(offsetof(nbaq_plugin_descriptor, flags) + sizeof(uint32_t)),
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_old_descriptor",
    .version = "1.0.0",
    .description = "test checker: a descriptor of the size before 1.2's "
                   "validate and metrics",
    .check = check,
    .validate = validate,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
