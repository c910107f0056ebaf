/* tp_options: declares an option of every type and writes what it read
 * through the host API into its message, for the option tests. */
#include <stdio.h>
#include <string.h>

#include "nbaq.h"

static const char *const colors[] = {"red", "green", NULL};

static const nbaq_option_spec server_fields[] = {
    {.name = "user", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "port",
     .type = NBAQ_OPT_INT,
     .default_value = "5432",
     .min = 1,
     .max = 65535},
    NBAQ_OPTION_END};

static const nbaq_option_spec table_fields[] = {
    {.name = "name", .type = NBAQ_OPT_STRING, .required = 1},
    {.name = "weight", .type = NBAQ_OPT_DOUBLE, .default_value = "1.5"},
    NBAQ_OPTION_END};

static const nbaq_option_spec options[] = {
    {.name = "s",
     .type = NBAQ_OPT_STRING,
     .default_value = "dflt",
     .description = "a string"},
    {.name = "i",
     .type = NBAQ_OPT_INT,
     .min = 1,
     .max = 10,
     .description = "an int from 1 to 10"},
    {.name = "d", .type = NBAQ_OPT_DOUBLE, .description = "a double"},
    {.name = "b", .type = NBAQ_OPT_BOOL, .default_value = "false"},
    {.name = "dur",
     .type = NBAQ_OPT_DURATION,
     .default_value = "30s",
     .min = 1000,
     .max = 3600000,
     .description = "1s to 1h"},
    {.name = "sz", .type = NBAQ_OPT_SIZE, .default_value = "1K"},
    {.name = "e",
     .type = NBAQ_OPT_ENUM,
     .choices = colors,
     .default_value = "red"},
    {.name = "sl", .type = NBAQ_OPT_STRING_LIST},
    {.name = "sm", .type = NBAQ_OPT_STRING_MAP},
    {.name = "server", .type = NBAQ_OPT_OBJECT, .fields = server_fields},
    {.name = "tables", .type = NBAQ_OPT_OBJECT_LIST, .fields = table_fields},
    {.name = "token",
     .type = NBAQ_OPT_STRING,
     .secret = 1,
     .default_value = "default-token-value",
     .description = "a secret"},
    NBAQ_OPTION_END};

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    char msg[4000];
    size_t used = 0;
#define ADD(...)                                                               \
    used += (size_t)snprintf(msg + used, sizeof msg - used, __VA_ARGS__)
    ADD("s=%s", api->opt_string(o, "s"));
    ADD(" i=%lld set=%d", (long long)api->opt_int(o, "i"),
        api->opt_is_set(o, "i"));
    ADD(" d=%g", api->opt_double(o, "d"));
    ADD(" b=%d", api->opt_bool(o, "b"));
    ADD(" dur=%lld", (long long)api->opt_int(o, "dur"));
    ADD(" sz=%lld", (long long)api->opt_int(o, "sz"));
    ADD(" e=%s", api->opt_string(o, "e"));
    ADD(" sl=[");
    for (size_t k = 0; k < api->opt_count(o, "sl"); k++)
        ADD("%s%s", k ? "," : "", api->opt_list_string(o, "sl", k));
    ADD("] sm={");
    for (size_t k = 0; k < api->opt_count(o, "sm"); k++)
        ADD("%s%s:%s", k ? "," : "", api->opt_map_key(o, "sm", k),
            api->opt_map_value(o, "sm", k));
    ADD("}");
    const nbaq_options *server = api->opt_object(o, "server");
    if (server)
        ADD(" server={%s:%lld}", api->opt_string(server, "user"),
            (long long)api->opt_int(server, "port"));
    else
        ADD(" server=none");
    ADD(" tables=[");
    for (size_t k = 0; k < api->opt_count(o, "tables"); k++) {
        const nbaq_options *t = api->opt_list_object(o, "tables", k);
        ADD("%s%s:%g", k ? "," : "", api->opt_string(t, "name"),
            api->opt_double(t, "weight"));
    }
    ADD("] token_len=%zu", strlen(api->opt_string(o, "token")));
    ADD(" loc_i=%s", api->opt_location(o, "i"));
    ADD(" loc_s=%s", api->opt_location(o, "s"));
    api->status_set(ctx, NBAQ_PASS, "%s", msg);
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_options",
    .version = "1.0.0",
    .description = "test checker: echoes options of every type",
    .options = options,
    .check = check,
};

NBAQ_PLUGIN(descriptor)
