#include "objstore_options.h"

#include <stdio.h>
#include <string.h>

/* A relative path in `url` or `ca_file` is taken relative to the config
 * file's directory. The result is `value` itself or written into buf. */
static const char *config_relative(const nbaq_host_api *api,
                                   const nbaq_ctx *ctx, const char *value,
                                   char *buf, size_t size)
{
    if (value == NULL || value[0] == '/' || strstr(value, "://") != NULL)
        return value;
    snprintf(buf, size, "%s/%s", api->config_dir(ctx), value);
    return buf;
}

void nbaq_objstore_config_from_options(const nbaq_host_api *api,
                                       const nbaq_ctx *ctx,
                                       nbaq_objstore_config *cfg)
{
    const nbaq_options *o = api->options(ctx);
    int64_t left = api->time_left_ms(ctx);

    /* One check per process: static buffers are enough.               */
    static char url[8192], ca_file[8192];

    memset(cfg, 0, sizeof *cfg);
    cfg->url =
        config_relative(api, ctx, api->opt_string(o, "url"), url, sizeof url);
    cfg->region = api->opt_string(o, "region");
    cfg->endpoint = api->opt_string(o, "endpoint");
    if (api->opt_is_set(o, "path_style"))
        cfg->path_style = api->opt_bool(o, "path_style") ? 1 : -1;
    cfg->access_key_id = api->opt_string(o, "access_key_id");
    cfg->secret_access_key = api->opt_string(o, "secret_access_key");
    cfg->session_token = api->opt_string(o, "session_token");
    cfg->profile = api->opt_string(o, "profile");
    cfg->credentials_file = api->opt_string(o, "credentials_file");
    cfg->ca_file = config_relative(api, ctx, api->opt_string(o, "ca_file"),
                                   ca_file, sizeof ca_file);
    cfg->connect_timeout_ms = api->opt_int(o, "connect_timeout");
    cfg->request_timeout_ms = api->opt_int(o, "request_timeout");
    /* A request never outlives the check: the host would kill it.      */
    if (left > 0 &&
        (cfg->request_timeout_ms <= 0 || cfg->request_timeout_ms > left))
        cfg->request_timeout_ms = left;
    if (cfg->connect_timeout_ms > cfg->request_timeout_ms &&
        cfg->request_timeout_ms > 0)
        cfg->connect_timeout_ms = cfg->request_timeout_ms;
    cfg->max_retries = (unsigned)api->opt_int(o, "max_retries");
    cfg->page_size = (unsigned)api->opt_int(o, "page_size");
    cfg->max_pages = (uint64_t)api->opt_int(o, "max_pages");
    cfg->max_parallel = (unsigned)api->opt_int(o, "max_parallel");
    if (!api->opt_is_set(o, "share_listing") ||
        api->opt_bool(o, "share_listing"))
        cfg->cache_dir = api->run_cache_dir(ctx);
}

int nbaq_objstore_key_has_suffix(const nbaq_host_api *api,
                                 const nbaq_options *o, const char *name,
                                 const char *key)
{
    size_t n = api->opt_count(o, name);
    size_t len = strlen(key);

    for (size_t i = 0; i < n; i++) {
        const char *suffix = api->opt_list_string(o, name, i);
        size_t sl = strlen(suffix);
        if (sl <= len && memcmp(key + len - sl, suffix, sl) == 0)
            return 1;
    }
    return 0;
}
