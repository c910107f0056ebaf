/* tp_report: a reporter for the host's own tests, independent of the
 * real report formats. One line per fact, tab-separated:
 *   run     <monitor> <status> <checks> <PASS> <WARNING> <FAIL> <ERROR>
 * <UNKNOWN> <history_saved> check   <name> <plugin> <status> <severity>
 * <message> metric  <check> <name> <value> <unit> <status> <reason>
 */
#include <stdio.h>
#include <stdlib.h>

#include "nbaq.h"

static const char *status_text(nbaq_status s)
{
    static const char *const names[] = {"PASS", "WARNING", "FAIL", "ERROR",
                                        "UNKNOWN"};
    return (unsigned)s < 5 ? names[s] : "?";
}

static int report(const nbaq_host_api *api, nbaq_ctx *ctx, const nbaq_run *run,
                  char *err, size_t err_size)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) {
        snprintf(err, err_size, "open_memstream failed");
        return -1;
    }
    fprintf(f, "run\t%s\t%s\t%zu\t%zu\t%zu\t%zu\t%zu\t%zu\t%d\n", run->monitor,
            status_text(run->status), run->check_count,
            run->status_counts[NBAQ_PASS], run->status_counts[NBAQ_WARNING],
            run->status_counts[NBAQ_FAIL], run->status_counts[NBAQ_ERROR],
            run->status_counts[NBAQ_UNKNOWN], run->history_saved);
    for (size_t i = 0; i < run->check_count; i++) {
        const nbaq_check_result *c = run->checks[i];
        fprintf(f, "check\t%s\t%s\t%s\t%d\t%s\n", c->name, c->plugin,
                status_text(c->status), (int)c->severity, c->message);
        for (size_t k = 0; k < c->metric_count; k++) {
            const nbaq_metric *m = c->metrics[k];
            fprintf(f, "metric\t%s\t%s\t%.17g\t%s\t%s\t%s\n", c->name, m->name,
                    m->value, m->unit, status_text(m->status), m->reason);
        }
    }
    fclose(f);
    int rc = api->output_write(ctx, "tsv", text, len, err, err_size);
    free(text);
    return rc;
}

static const nbaq_plugin_descriptor descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "tp_report",
    .version = "1.0.0",
    .description = "test reporter: tab-separated facts of the run",
    .report = report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(descriptor)
