/* tp_validate: a checker whose validate() does what the option `validate`
 * says (ok, refuse, silent, crash, exit, hang, bug), so that the host's
 * isolation of validate() can be tested. Its one metric is `value`. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nbaq.h"

static const char *const modes[] = {"ok",   "refuse", "silent", "crash",
                                    "exit", "hang",   "bug",    NULL};

static const nbaq_option_spec options[] = {
    {.name = "validate",
     .type = NBAQ_OPT_ENUM,
     .choices = modes,
     .default_value = "ok",
     .description = "what validate() does"},
    {.name = "token", .type = NBAQ_OPT_STRING, .secret = 1},
    NBAQ_OPTION_END};

static int validate(const nbaq_host_api *api, const nbaq_options *opts,
                    char *err, size_t err_size)
{
    const char *mode = api->opt_string(opts, "validate");
    if (strcmp(mode, "refuse") == 0) {
        snprintf(err, err_size, "%s: refused as asked",
                 api->opt_location(opts, "validate"));
        return -1;
    }
    if (strcmp(mode, "silent") == 0)
        return -1;
    if (strcmp(mode, "crash") == 0)
        raise(SIGSEGV);
    if (strcmp(mode, "exit") == 0)
        exit(4);
    if (strcmp(mode, "hang") == 0)
        for (;;)
            pause();
    if (strcmp(mode, "bug") == 0)
        api->opt_int(opts, "validate"); /* the wrong accessor */
    return 0;
}

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->metric_set(ctx, "value", 1, NULL);
    api->status_set(ctx, NBAQ_PASS, "ran");
}

static const nbaq_metric_decl metrics[] = {{"value", NULL, "always 1"},
                                           NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_validate",
    .version = "1.0.0",
    .description = "test checker: validate() as the options say",
    .options = options,
    .check = check,
    .validate = validate,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
