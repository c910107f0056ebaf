/*
 * reportview_report.h - the frame of a human-readable report (markdown,
 * html): the options every one of them takes, the run's checks worst
 * first and its alerts grouped, and writing the finished text through
 * the host. A reporter supplies only how its format writes the sections.
 *
 * Ownership: reportview_report_write owns the report it passes to the
 * format's write function (buffer, ordered checks, grouped alerts) and
 * releases it before returning; everything in it lives for that call.
 */
#ifndef NBAQ_REPORTVIEW_REPORT_H
#define NBAQ_REPORTVIEW_REPORT_H

#include <stddef.h>

#include "nbaq.h"
#include "reportview.h"
#include "textbuf.h"

/* The options every human-readable report takes (title, max_rows,
 * max_recommendations), for the start of a reporter's option table; its
 * own options follow, then NBAQ_OPTION_END.                            */
// clang-format off
#define REPORTVIEW_OPTIONS                                                     \
    {.name = "title",                                                          \
     .type = NBAQ_OPT_STRING,                                                  \
     .default_value = "Data quality report",                                   \
     .description = "first words of the heading, before the monitor name"},    \
    {.name = "max_rows",                                                       \
     .type = NBAQ_OPT_INT,                                                     \
     .default_value = "200",                                                   \
     .min = 1,                                                                 \
     .max = 1000000,                                                           \
     .description = "rows shown per table and alerts per severity, worst "     \
                    "first; the rest are counted"},                            \
    {.name = "max_recommendations",                                            \
     .type = NBAQ_OPT_INT,                                                     \
     .default_value = "20",                                                    \
     .min = 0,                                                                 \
     .max = 10000,                                                             \
     .description = "recommendations shown, worst first; the rest are "        \
                    "counted"}
// clang-format on

/* A report being written. */
typedef struct reportview_report {
    textbuf *b; /* the text so far */
    const nbaq_run *run;
    const nbaq_check_result **checks; /* the run's checks, worst first */
    reportview_alerts alerts;         /* open by severity, and resolved */
    const char *title;
    size_t max_rows;
    size_t max_recommendations;
    /* For a format's own options: api->opt_int(options, "max_charts"). */
    const nbaq_host_api *api;
    const nbaq_options *options;
} reportview_report;

typedef struct reportview_format {
    const char *name;      /* the reporter, for error messages: "html"  */
    const char *extension; /* of the output: "html", "md"                */
    /* Appends the whole report to r->b. 0, or -1 when memory runs out
     * (a failed r->b counts as out of memory too).                      */
    int (*write)(const reportview_report *r);
} reportview_format;

/* How a format writes one severity's group of open alerts. */
typedef struct reportview_alert_markup {
    void (*heading)(textbuf *b, nbaq_severity severity, size_t count);
    void (*item)(textbuf *b, const nbaq_alert *a);
    const char *end; /* after the items: "</ul>\n", or "" */
    /* "3 more not shown (raise `max_rows`)"; nothing when omitted is 0. */
    void (*omitted)(textbuf *b, size_t omitted, const char *option);
} reportview_alert_markup;

/* For each severity with open alerts, most severe first: the heading,
 * the first max_rows alerts, end, and how many were left out.        */
void reportview_alert_groups(const reportview_report *r,
                             const reportview_alert_markup *markup);

/* The body of a reporter's report callback: builds the report with
 * format->write and hands it to api->output_write. 0, or -1 with err
 * filled ("html: out of memory building the report of 3 checks", or
 * output_write's reason).                                              */
int reportview_report_write(const nbaq_host_api *api, nbaq_ctx *ctx,
                            const nbaq_run *run,
                            const reportview_format *format, char *err,
                            size_t err_size);

#endif /* NBAQ_REPORTVIEW_REPORT_H */
