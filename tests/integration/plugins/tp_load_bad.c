/* tp_load_bad: misbehaves while it is being loaded, as TP_LOAD_BAD says:
 * "crash" or "exit" in its constructor, "hang" in
 * nbaq_plugin_descriptor_get(). Unset, it is a trivial PASS checker. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nbaq.h"

static int mode_is(const char *mode)
{
    const char *v = getenv("TP_LOAD_BAD");
    return v && strcmp(v, mode) == 0;
}

__attribute__((constructor)) static void misbehave_at_load(void)
{
    if (mode_is("crash"))
        raise(SIGSEGV);
    if (mode_is("exit"))
        exit(0);
}

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    api->status_set(ctx, NBAQ_PASS, "ok");
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_load_bad",
    .version = "1.0.0",
    .description = "test checker: crashes, exits or hangs at load",
    .check = check,
};

NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(void);
NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(void)
{
    while (mode_is("hang"))
        pause();
    return &descriptor;
}
