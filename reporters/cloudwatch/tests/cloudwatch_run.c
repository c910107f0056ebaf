/*
 * cloudwatch-run - runs the cloudwatch reporter once on a fixture run:
 *
 *   cloudwatch-run [--set NAME=VALUE]... PLUGIN.so RUN.json
 *
 * The pieces are those of nbaq-report-driver (tests/reports: plugin
 * loading, JSON fixtures, the stub host); only the driver's rule that a
 * reporter flagged NBAQ_FLAG_WRITES_OUTPUT calls output_write exactly
 * once is left out, because format: api writes nothing. Exit 0 when the
 * reporter succeeds, 1 when it fails (its reason on stderr), 2 on usage,
 * plugin or fixture errors.
 */
#include <stdio.h>
#include <string.h>

#include "plugin_load.h"
#include "run_json.h"
#include "stub_host.h"

static int usage(void)
{
    fputs("usage: cloudwatch-run [--set NAME=VALUE]... PLUGIN.so RUN.json\n",
          stderr);
    return 2;
}

static int report(const nbaq_plugin_descriptor *d, const nbaq_run *run,
                  int argc, char **argv)
{
    stub_host *host = stub_host_new(d, d->name, run->monitor);
    char err[1024] = "";

    if (host == NULL)
        return 2;
    for (int i = 1; i + 2 < argc; i += 2)
        if (stub_host_set_option(host, argv[i + 1], err, sizeof err) != 0) {
            fprintf(stderr, "cloudwatch-run: %s\n", err);
            stub_host_free(host);
            return 2;
        }
    int rc =
        d->report(stub_host_api(), stub_host_ctx(host), run, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "cloudwatch-run: %s: %s\n", d->name,
                err[0] ? err : "(no reason given)");
    stub_host_free(host);
    return rc != 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
    char err[1024];
    void *handle = NULL;

    if (argc < 3 || argc % 2 == 0)
        return usage();
    for (int i = 1; i + 2 < argc; i += 2)
        if (strcmp(argv[i], "--set") != 0)
            return usage();
    const nbaq_plugin_descriptor *d =
        plugin_load_reporter(argv[argc - 2], &handle, err, sizeof err);
    run_builder *rb = d ? run_json_load(argv[argc - 1], err, sizeof err) : NULL;
    int status = 2;
    if (rb == NULL)
        fprintf(stderr, "cloudwatch-run: %s\n", err);
    else
        status = report(d, run_builder_run(rb), argc, argv);
    run_builder_free(rb);
    plugin_close(handle);
    return status;
}
