/* tp_bad_reporter: a reporter that fails in the way `mode` says. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "nbaq.h"

static const char *const modes[] = {"crash", "fail", "hang", "print", NULL};

static const nbaq_option_spec options[] = {{.name = "mode",
                                            .type = NBAQ_OPT_ENUM,
                                            .choices = modes,
                                            .required = 1,
                                            .description = "how to fail"},
                                           NBAQ_OPTION_END};

static int report(const nbaq_host_api *api, nbaq_ctx *ctx, const nbaq_run *run,
                  char *err, size_t err_size)
{
    (void)run;
    const char *mode = api->opt_string(api->options(ctx), "mode");
    if (strcmp(mode, "crash") == 0)
        raise(SIGSEGV);
    if (strcmp(mode, "hang") == 0)
        for (;;)
            pause();
    if (strcmp(mode, "print") == 0) {
        printf("STRAY REPORTER PRINT\n");
        return 0;
    }
    snprintf(err, err_size, "cannot reach the sink (test)");
    return -1;
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "tp_bad_reporter",
    .version = "1.0.0",
    .description = "test reporter: crashes, fails or hangs",
    .options = options,
    .report = report,
};

NBAQ_PLUGIN(descriptor)
