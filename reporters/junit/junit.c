/*
 * junit - the run as JUnit XML, one test case per check, so that CI
 * systems show data checks beside unit tests. FAIL is a <failure>, ERROR
 * and UNKNOWN an <error>; WARNING passes with its message in
 * <system-out> unless warning_as: failure. See README.md.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "nbaq.h"
#include "numfmt.h"
#include "status.h"
#include "reportfmt.h"
#include "textbuf.h"

typedef enum case_outcome {
    CASE_PASSED,
    CASE_FAILURE,
    CASE_ERROR
} case_outcome;

typedef struct junit_counts {
    size_t failures, errors;
} junit_counts;

static case_outcome outcome_of(nbaq_status status, int warning_fails)
{
    switch (status) {
    case NBAQ_PASS:
        return CASE_PASSED;
    case NBAQ_WARNING:
        return warning_fails ? CASE_FAILURE : CASE_PASSED;
    case NBAQ_FAIL:
        return CASE_FAILURE;
    default:
        return CASE_ERROR;
    }
}

static junit_counts count_outcomes(const nbaq_run *run, int warning_fails)
{
    junit_counts n = {0, 0};
    for (size_t i = 0; i < run->check_count; i++) {
        case_outcome o = outcome_of(run->checks[i]->status, warning_fails);
        n.failures += o == CASE_FAILURE;
        n.errors += o == CASE_ERROR;
    }
    return n;
}

static void attr(textbuf *b, const char *name, const char *value)
{
    textbuf_printf(b, " %s=\"", name);
    textfmt_xml(b, value);
    textbuf_putc(b, '"');
}

static void attr_seconds(textbuf *b, const char *name, int64_t ms)
{
    char text[32];
    textfmt_seconds(text, sizeof(text), (long long)ms);
    attr(b, name, text);
}

/* tests, failures, errors, skipped, time and timestamp of a suite. */
static void suite_attrs(textbuf *b, const nbaq_run *run, junit_counts n)
{
    char time[REPORTFMT_TIME_SIZE];
    textbuf_printf(b,
                   " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                   "skipped=\"0\"",
                   run->check_count, n.failures, n.errors);
    attr_seconds(b, "time", run->finished_ms - run->started_ms);
    attr(b, "timestamp",
         reportfmt_iso8601_utc(run->started_ms, time, sizeof(time)));
}

static void property(textbuf *b, const char *name, const char *value)
{
    textbuf_puts(b, "      <property");
    attr(b, "name", name);
    attr(b, "value", value);
    textbuf_puts(b, "/>\n");
}

static void metric_line(textbuf *b, const nbaq_metric *m)
{
    char value[TEXTFMT_NUMBER_SIZE];
    textfmt_number(value, sizeof(value), m->value);
    textbuf_puts(b, "metric ");
    textfmt_xml(b, m->name);
    textbuf_printf(b, " = %s", value);
    if (m->unit[0]) {
        textbuf_putc(b, ' ');
        textfmt_xml(b, m->unit);
    }
    textbuf_printf(b, ": %s", status_name(m->status));
    if (m->anomalous)
        textbuf_puts(b, ", anomalous");
    if (m->reason[0]) {
        textbuf_puts(b, " (");
        textfmt_xml(b, m->reason);
        textbuf_putc(b, ')');
    }
    textbuf_putc(b, '\n');
}

/* The body of <failure>, <error> or <system-out>: what a CI page shows. */
static void case_details(textbuf *b, const nbaq_check_result *c)
{
    textbuf_printf(b, "%s: ", status_name(c->status));
    textfmt_xml(b, c->message);
    textbuf_puts(b, "\nplugin: ");
    textfmt_xml(b, c->plugin);
    textbuf_printf(b, ", severity: %s\n", severity_name(c->severity));
    for (size_t i = 0; i < c->metric_count; i++)
        metric_line(b, c->metrics[i]);
}

static void testcase(textbuf *b, const nbaq_run *run,
                     const nbaq_check_result *c, int warning_fails)
{
    textbuf_puts(b, "    <testcase");
    attr(b, "classname", run->monitor);
    attr(b, "name", c->name);
    attr_seconds(b, "time", c->duration_ms);
    textbuf_puts(b, ">\n      ");
    case_outcome o = outcome_of(c->status, warning_fails);
    const char *element = o == CASE_FAILURE ? "failure"
                          : o == CASE_ERROR ? "error"
                                            : "system-out";
    textbuf_printf(b, "<%s", element);
    if (o != CASE_PASSED) {
        attr(b, "type", status_name(c->status));
        attr(b, "message", c->message[0] ? c->message : status_name(c->status));
    }
    textbuf_putc(b, '>');
    case_details(b, c);
    textbuf_printf(b, "</%s>\n    </testcase>\n", element);
}

static void write_junit(textbuf *b, const nbaq_run *run, int warning_fails)
{
    junit_counts n = count_outcomes(run, warning_fails);
    textbuf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    textbuf_puts(b, "<testsuites name=\"nbaq\"");
    suite_attrs(b, run, n);
    textbuf_puts(b, ">\n  <testsuite");
    attr(b, "name", run->monitor);
    attr(b, "id", run->run_id);
    suite_attrs(b, run, n);
    textbuf_puts(b, ">\n    <properties>\n");
    property(b, "monitor", run->monitor);
    property(b, "run_id", run->run_id);
    property(b, "status", status_name(run->status));
    textbuf_puts(b, "    </properties>\n");
    for (size_t i = 0; i < run->check_count; i++)
        testcase(b, run, run->checks[i], warning_fails);
    textbuf_puts(b, "  </testsuite>\n</testsuites>\n");
}

static int junit_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, char *err, size_t err_size)
{
    const char *warning_as = api->opt_string(api->options(ctx), "warning_as");
    int warning_fails = warning_as && strcmp(warning_as, "failure") == 0;
    textbuf out;
    textbuf_init(&out);
    write_junit(&out, run, warning_fails);
    int rc = -1;
    if (textbuf_failed(&out))
        snprintf(err, err_size,
                 "junit: out of memory building the report of %zu checks",
                 run->check_count);
    else
        rc = api->output_write(ctx, "xml", out.data, out.len, err, err_size);
    textbuf_free(&out);
    return rc;
}

static const char *const warning_choices[] = {"passed", "failure", NULL};

static const nbaq_option_spec junit_options[] = {
    {.name = "warning_as",
     .type = NBAQ_OPT_ENUM,
     .default_value = "passed",
     .choices = warning_choices,
     .description = "a WARNING check as a passed test case (message in "
                    "system-out) or as a failure"},
    NBAQ_OPTION_END};

static const nbaq_plugin_descriptor junit_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "junit",
    .version = "1.0.0",
    .description = "JUnit XML: each check a test case, for CI systems",
    .options = junit_options,
    .report = junit_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(junit_descriptor)
