#include "objstore_scale.h"

#include <time.h>

void nbaq_objstore_scale_from_options(const nbaq_host_api *api,
                                      const nbaq_ctx *ctx,
                                      nbaq_objstore_config *cfg)
{
    const nbaq_options *o = api->options(ctx);

    cfg->connections = (unsigned)api->opt_int(o, "connections");
    cfg->inventory = api->opt_string(o, "inventory");
}

void nbaq_objstore_report_inventory(const nbaq_host_api *api, nbaq_ctx *ctx,
                                    const nbaq_objstore_list_info *info)
{
    struct timespec now;

    if (info->inventory_ms <= 0)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    api->metric_set(ctx, "inventory.age_seconds",
                    (double)(now_ms - info->inventory_ms) / 1000.0, "s");
}
