/*
 * nbaq-report-driver - runs one reporter plugin on a fixed run.
 *
 *   nbaq-report-driver [-o FILE] [-n NAME] [--set NAME=VALUE]...
 *                      [--fail-write REASON] [--writes once|any]
 *                      PLUGIN.so RUN.json
 *
 * Loads the plugin like nbaq-host, reads the run from a JSON fixture
 * (README.md), calls report() once with a stub host whose output_write
 * writes to FILE (default stdout), and prints one line on stderr:
 * "wrote N bytes, extension EXT" ("wrote nothing" when it did not). A
 * reporter flagged NBAQ_FLAG_WRITES_OUTPUT must call output_write exactly
 * once, unless --writes any (a reporter whose options decide whether it
 * writes). Exit 0 on success, 1 when the reporter fails (its error on
 * stderr) or breaks that rule, 2 on usage or fixture errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin_load.h"
#include "run_json.h"
#include "stub_host.h"

typedef struct driver_args {
    const char *output;
    const char *name;
    const char *fail_reason;
    int writes_any; /* --writes any: output_write calls are not counted */
    const char *plugin_path;
    const char *run_path;
    const char **sets;
    size_t set_count;
} driver_args;

static int usage(void)
{
    fputs("usage: nbaq-report-driver [-o FILE] [-n NAME] [--set NAME=VALUE]"
          "... [--fail-write REASON] [--writes once|any] PLUGIN.so "
          "RUN.json\n",
          stderr);
    return 2;
}

static int parse_args(int argc, char **argv, driver_args *a)
{
    a->sets = calloc((size_t)argc, sizeof(char *));
    if (!a->sets)
        return -1;
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(arg, "-o") == 0 && has_value)
            a->output = argv[++i];
        else if (strcmp(arg, "-n") == 0 && has_value)
            a->name = argv[++i];
        else if (strcmp(arg, "--set") == 0 && has_value)
            a->sets[a->set_count++] = argv[++i];
        else if (strcmp(arg, "--fail-write") == 0 && has_value)
            a->fail_reason = argv[++i];
        else if (strcmp(arg, "--writes") == 0 && has_value &&
                 (strcmp(argv[i + 1], "once") == 0 ||
                  strcmp(argv[i + 1], "any") == 0))
            a->writes_any = strcmp(argv[++i], "any") == 0;
        else if (arg[0] == '-' && arg[1] != '\0')
            return -1;
        else if (positional == 0 && ++positional)
            a->plugin_path = arg;
        else if (positional == 1 && ++positional)
            a->run_path = arg;
        else
            return -1;
    }
    return positional == 2 ? 0 : -1;
}

static int configure(stub_host *host, const driver_args *a)
{
    char err[512];
    for (size_t i = 0; i < a->set_count; i++) {
        if (stub_host_set_option(host, a->sets[i], err, sizeof(err)) != 0) {
            fprintf(stderr, "nbaq-report-driver: %s\n", err);
            return -1;
        }
    }
    if (a->output)
        stub_host_set_output(host, a->output);
    if (a->fail_reason)
        stub_host_fail_writes(host, a->fail_reason);
    return 0;
}

static int run_report(const nbaq_plugin_descriptor *d, const nbaq_run *run,
                      const driver_args *a)
{
    stub_host *host =
        stub_host_new(d, a->name ? a->name : d->name, run->monitor);
    if (!host || configure(host, a) != 0) {
        stub_host_free(host);
        return 2;
    }
    char err[1024] = "";
    int rc =
        d->report(stub_host_api(), stub_host_ctx(host), run, err, sizeof(err));
    int status = 0;
    if (rc != 0) {
        fprintf(stderr, "nbaq-report-driver: %s: %s\n", d->name,
                err[0] ? err : "(no reason given)");
        status = 1;
    } else if ((d->flags & NBAQ_FLAG_WRITES_OUTPUT) && !a->writes_any &&
               stub_host_write_count(host) != 1) {
        fprintf(stderr,
                "nbaq-report-driver: %s: output_write called %zu "
                "times, want 1\n",
                d->name, stub_host_write_count(host));
        status = 1;
    } else if (stub_host_write_count(host) == 0) {
        fputs("wrote nothing\n", stderr);
    } else {
        fprintf(stderr, "wrote %zu bytes, extension %s\n",
                stub_host_bytes_written(host), stub_host_extension(host));
    }
    stub_host_free(host);
    return status;
}

int main(int argc, char **argv)
{
    driver_args a = {0};
    if (parse_args(argc, argv, &a) != 0) {
        free(a.sets);
        return usage();
    }
    char err[1024];
    void *handle = NULL;
    const nbaq_plugin_descriptor *d =
        plugin_load_reporter(a.plugin_path, &handle, err, sizeof(err));
    run_builder *rb = d ? run_json_load(a.run_path, err, sizeof(err)) : NULL;
    int status = 2;
    if (!rb)
        fprintf(stderr, "nbaq-report-driver: %s\n", err);
    else
        status = run_report(d, run_builder_run(rb), &a);
    run_builder_free(rb);
    plugin_close(handle);
    free(a.sets);
    return status;
}
