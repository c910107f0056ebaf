/*
 * hello_check - a complete nbaq checker, built outside the nbaq tree.
 *
 * Reads a text file and reports how many lines and bytes it has. Its
 * options show the usual kinds: a required string, an optional number with
 * limits and a default. The host validates them before the check runs, so
 * the code below never sees a missing or mistyped option.
 *
 * Build it with CMake (find_package(nbaq-sdk)) or with pkg-config; see
 * README.md.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nbaq.h>

static const nbaq_option_spec options[] = {
    {.name = "path",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "the file to read (relative: to the config file)"},
    {.name = "min_lines",
     .type = NBAQ_OPT_INT,
     .default_value = "1",
     .min = 0,
     .max = 1e9,
     .description = "FAIL when the file has fewer lines than this"},
    NBAQ_OPTION_END};

/*
 * A relative path is taken relative to the config file, which
 * opt_location() names ("/etc/nbaq/monitor.yaml:12:13"): the checks run
 * in the host's working directory, which a scheduler may set anywhere.
 */
static void resolve(const nbaq_host_api *api, const nbaq_options *o,
                    const char *path, char *out, size_t size)
{
    const char *location = api->opt_location(o, "path");
    const char *slash = strrchr(location, '/');
    if (path[0] == '/' || !slash)
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%.*s/%s", (int)(slash - location), location, path);
}

static void check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    const nbaq_options *o = api->options(ctx);
    const char *path = api->opt_string(o, "path");
    int64_t min_lines = api->opt_int(o, "min_lines");
    char full_path[4096];
    resolve(api, o, path, full_path, sizeof full_path);

    FILE *f = fopen(full_path, "r");
    if (!f) {
        /* A check that cannot measure says ERROR, with the reason. */
        api->status_set(ctx, NBAQ_ERROR, "cannot open %s: %s", path,
                        strerror(errno));
        return;
    }
    long lines = 0, bytes = 0;
    int c;
    while ((c = fgetc(f)) != EOF) {
        bytes++;
        if (c == '\n')
            lines++;
    }
    fclose(f);

    /* Metrics are judged by the config's thresholds afterwards. */
    api->metric_set(ctx, "lines", (double)lines, NULL);
    api->metric_set(ctx, "bytes", (double)bytes, "B");
    api->log(ctx, NBAQ_LOG_DEBUG, "read %ld bytes from %s", bytes, full_path);

    if (lines < min_lines)
        api->status_set(ctx, NBAQ_FAIL,
                        "hello: %s has %ld lines, fewer than "
                        "%lld",
                        path, lines, (long long)min_lines);
    else
        api->status_set(ctx, NBAQ_PASS, "hello: %s has %ld lines", path, lines);
}

/* What --check-config holds thresholds against (ABI 1.2). */
static const nbaq_metric_decl metrics[] = {
    {"lines", "", "newline characters in the file"},
    {"bytes", "B", "size of the file"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "hello_check",
    .version = "1.0.0",
    .description = "counts the lines and bytes of a file (SDK example)",
    .options = options,
    .check = check,
    .metrics = metrics,
};

NBAQ_PLUGIN(descriptor)
