/* tp_misbehave: a checker that breaks the rules in the way `mode` says,
 * for the host's isolation tests. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nbaq.h"

static const char *const modes[] = {
    "segfault",  "hang",         "hang_group", "exit",      "exit_after_status",
    "no_status", "undeclared",   "wrong_type", "bad_index", "bad_status",
    "flood",     "long_message", "abort",      "thread",    NULL};

static const nbaq_option_spec options[] = {
    {.name = "mode",
     .type = NBAQ_OPT_ENUM,
     .choices = modes,
     .required = 1,
     .description = "how to misbehave"},
    {.name = "code",
     .type = NBAQ_OPT_INT,
     .default_value = "0",
     .description = "exit code for mode exit"},
    {.name = "pidfile",
     .type = NBAQ_OPT_STRING,
     .description = "hang_group: write the grandchild's pid here"},
    {.name = "list",
     .type = NBAQ_OPT_STRING_LIST,
     .default_value = "[a]",
     .description = "a list, for bad_index"},
    NBAQ_OPTION_END};

static void hang_group(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    pid_t pid = fork();
    if (pid == 0) {
        for (;;)
            pause();
    }
    const char *pidfile = api->opt_string(api->options(ctx), "pidfile");
    if (pidfile) {
        FILE *f = fopen(pidfile, "w");
        if (f) {
            fprintf(f, "%d\n", (int)pid);
            fclose(f);
        }
    }
    for (;;)
        pause();
}

typedef struct thread_arg {
    const nbaq_host_api *api;
    nbaq_ctx *ctx;
} thread_arg;

static void *report_from_thread(void *p)
{
    thread_arg *a = p;
    a->api->status_set(a->ctx, NBAQ_PASS, "set by a thread");
    return NULL;
}

/* A check that runs a thread: its child must be a whole process, as
 * after fork(). */
static void run_thread(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    thread_arg arg = {api, ctx};
    pthread_t t;
    if (pthread_create(&t, NULL, report_from_thread, &arg) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "pthread_create failed");
        return;
    }
    pthread_join(t, NULL);
}

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    const char *mode = api->opt_string(o, "mode");
    if (strcmp(mode, "segfault") == 0) {
        raise(SIGSEGV);
    } else if (strcmp(mode, "abort") == 0) {
        abort();
    } else if (strcmp(mode, "thread") == 0) {
        run_thread(api, ctx);
        return;
    } else if (strcmp(mode, "hang") == 0) {
        for (;;)
            pause();
    } else if (strcmp(mode, "hang_group") == 0) {
        hang_group(api, ctx);
    } else if (strcmp(mode, "exit") == 0) {
        exit((int)api->opt_int(o, "code"));
    } else if (strcmp(mode, "exit_after_status") == 0) {
        api->metric_set(ctx, "m", 1, NULL);
        api->status_set(ctx, NBAQ_WARNING, "set, then exit");
        exit(0);
    } else if (strcmp(mode, "undeclared") == 0) {
        api->opt_string(o, "no_such_option");
    } else if (strcmp(mode, "wrong_type") == 0) {
        api->opt_int(o, "mode");
    } else if (strcmp(mode, "bad_index") == 0) {
        api->opt_list_string(o, "list", 5);
    } else if (strcmp(mode, "bad_status") == 0) {
        api->status_set(ctx, (nbaq_status)42, "nonsense");
    } else if (strcmp(mode, "flood") == 0) {
        char name[64];
        for (int i = 0; i < 5000; i++) {
            snprintf(name, sizeof name, "m%04d", i);
            api->metric_set(ctx, name, i, NULL);
        }
        api->status_set(ctx, NBAQ_PASS, "flooded");
        return;
    } else if (strcmp(mode, "long_message") == 0) {
        static char big[100000];
        memset(big, 'x', sizeof big - 1);
        api->status_set(ctx, NBAQ_PASS, "%s", big);
        return;
    }
    /* no_status, and the bug modes if the host let them through */
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "tp_misbehave",
    .version = "1.0.0",
    .description = "test checker: crashes, hangs, exits, breaks the contract",
    .options = options,
    .check = check,
};

NBAQ_PLUGIN(descriptor)
