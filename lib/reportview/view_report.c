#include "reportview_report.h"

#include <stdio.h>
#include <stdlib.h>

void reportview_alert_groups(const reportview_report *r,
                             const reportview_alert_markup *markup)
{
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        size_t n;
        const nbaq_alert *const *group =
            reportview_alerts_group(&r->alerts, (nbaq_severity)s, &n);
        if (n == 0)
            continue;
        markup->heading(r->b, (nbaq_severity)s, n);
        for (size_t i = 0; i < n && i < r->max_rows; i++)
            markup->item(r->b, group[i]);
        textbuf_puts(r->b, markup->end);
        markup->omitted(r->b, n > r->max_rows ? n - r->max_rows : 0,
                        "max_rows");
    }
}

int reportview_report_write(const nbaq_host_api *api, nbaq_ctx *ctx,
                            const nbaq_run *run,
                            const reportview_format *format, char *err,
                            size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    textbuf out;
    textbuf_init(&out);
    reportview_report r = {
        .b = &out,
        .run = run,
        .checks = reportview_checks_worst_first(run),
        .title = api->opt_string(o, "title"),
        .max_rows = (size_t)api->opt_int(o, "max_rows"),
        .max_recommendations = (size_t)api->opt_int(o, "max_recommendations"),
        .api = api,
        .options = o,
    };
    int rc = -1;
    if ((run->check_count > 0 && !r.checks) ||
        reportview_alerts_init(&r.alerts, run) != 0 || format->write(&r) != 0 ||
        textbuf_failed(&out))
        snprintf(err, err_size,
                 "%s: out of memory building the report of %zu checks",
                 format->name, run->check_count);
    else
        rc = api->output_write(ctx, format->extension, out.data, out.len, err,
                               err_size);
    reportview_alerts_free(&r.alerts);
    free(r.checks);
    textbuf_free(&out);
    return rc;
}
