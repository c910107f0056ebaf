/*
 * prometheus - the run as a Prometheus text exposition (format 0.0.4),
 * for node_exporter's textfile collector: one gauge family per fact,
 * check and metric names as label values (escaped, never sanitized, so
 * that two names never collide), no sample timestamps (the textfile
 * collector rejects them). See README.md for every series.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nbaq.h"
#include "promtext.h"
#include "status.h"
#include "textbuf.h"

typedef struct prom_writer {
    textbuf *b;
    const nbaq_run *run;
    textbuf prefix;    /* sanitized metric-name prefix                  */
    textbuf constants; /* ,name="value" for each `labels` entry        */
    textbuf name;      /* scratch: the prefixed name of a family        */
} prom_writer;

static void family(prom_writer *w, const char *name, const char *help)
{
    textbuf_clear(&w->name);
    textbuf_printf(&w->name, "%s_%s", w->prefix.data, name);
    if (textbuf_failed(&w->name))
        textbuf_fail(w->b);
    textfmt_prom_family(w->b, textbuf_cstr(&w->name), "gauge", help);
}

/* Starts a sample of family name: "prefix_name{monitor="..."". */
static void series_begin(prom_writer *w, const char *name)
{
    textbuf_puts(w->b, w->prefix.data);
    textbuf_putc(w->b, '_');
    textbuf_puts(w->b, name);
    textbuf_puts(w->b, "{monitor=\"");
    textfmt_prom_label_value(w->b, w->run->monitor);
    textbuf_putc(w->b, '"');
}

static void label(prom_writer *w, const char *name, const char *value)
{
    textbuf_putc(w->b, ',');
    textbuf_puts(w->b, name);
    textbuf_puts(w->b, "=\"");
    textfmt_prom_label_value(w->b, value);
    textbuf_putc(w->b, '"');
}

static void series_end(prom_writer *w, double value)
{
    textbuf_puts(w->b, w->constants.data);
    textbuf_puts(w->b, "} ");
    textfmt_prom_value(w->b, value);
    textbuf_putc(w->b, '\n');
}

static void write_run(prom_writer *w)
{
    const nbaq_run *run = w->run;
    family(w, "run_timestamp_seconds",
           "When the run finished, in seconds since the epoch.");
    series_begin(w, "run_timestamp_seconds");
    series_end(w, (double)run->finished_ms / 1000.0);
    family(w, "run_duration_seconds", "Wall-clock duration of the run.");
    series_begin(w, "run_duration_seconds");
    series_end(w, (double)(run->finished_ms - run->started_ms) / 1000.0);
    family(w, "run_status",
           "Worst check status: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR, "
           "4 UNKNOWN.");
    series_begin(w, "run_status");
    series_end(w, (double)run->status);
    family(w, "run_checks", "Checks of the run per status.");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        series_begin(w, "run_checks");
        label(w, "status", status_name((nbaq_status)s));
        series_end(w, (double)run->status_counts[s]);
    }
}

static void check_labels(prom_writer *w, const char *name,
                         const nbaq_check_result *c)
{
    series_begin(w, name);
    label(w, "check", c->name);
}

static void write_check_status(prom_writer *w)
{
    family(w, "check_status",
           "Status of a check: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR, "
           "4 UNKNOWN.");
    for (size_t i = 0; i < w->run->check_count; i++) {
        const nbaq_check_result *c = w->run->checks[i];
        check_labels(w, "check_status", c);
        label(w, "plugin", c->plugin);
        label(w, "severity", severity_name(c->severity));
        series_end(w, (double)c->status);
    }
}

/* One series per status, 1 for the check's status: alert rules can say
 * nbaq_check_state{status="FAIL"} == 1 without knowing the codes. */
static void write_check_state(prom_writer *w)
{
    family(w, "check_state",
           "1 for the status the check has, 0 for the other statuses.");
    for (size_t i = 0; i < w->run->check_count; i++) {
        const nbaq_check_result *c = w->run->checks[i];
        for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
            check_labels(w, "check_state", c);
            label(w, "status", status_name((nbaq_status)s));
            series_end(w, c->status == (nbaq_status)s ? 1.0 : 0.0);
        }
    }
}

static void write_check_duration(prom_writer *w)
{
    family(w, "check_duration_seconds", "How long the check ran.");
    for (size_t i = 0; i < w->run->check_count; i++) {
        const nbaq_check_result *c = w->run->checks[i];
        check_labels(w, "check_duration_seconds", c);
        series_end(w, (double)c->duration_ms / 1000.0);
    }
}

typedef double (*metric_field_fn)(const nbaq_metric *m, int *present);

static double field_value(const nbaq_metric *m, int *present)
{
    *present = 1;
    return m->value;
}

static double field_status(const nbaq_metric *m, int *present)
{
    *present = 1;
    return (double)m->status;
}

static double field_anomalous(const nbaq_metric *m, int *present)
{
    *present = 1;
    return m->anomalous ? 1.0 : 0.0;
}

static double field_change(const nbaq_metric *m, int *present)
{
    *present = m->has_previous && isfinite(m->change_pct);
    return m->change_pct;
}

/* One family over every metric of every check. */
static void write_metric_family(prom_writer *w, const char *name,
                                const char *help, metric_field_fn field,
                                int with_unit)
{
    family(w, name, help);
    for (size_t i = 0; i < w->run->check_count; i++) {
        const nbaq_check_result *c = w->run->checks[i];
        for (size_t j = 0; j < c->metric_count; j++) {
            const nbaq_metric *m = c->metrics[j];
            int present;
            double v = field(m, &present);
            if (!present)
                continue;
            check_labels(w, name, c);
            label(w, "metric", m->name);
            if (with_unit)
                label(w, "unit", m->unit);
            series_end(w, v);
        }
    }
}

static void write_alerts(prom_writer *w)
{
    size_t open[NBAQ_SEVERITY_COUNT] = {0};
    for (size_t i = 0; i < w->run->alert_count; i++) {
        const nbaq_alert *a = w->run->alerts[i];
        if (a->state != NBAQ_ALERT_RESOLVED &&
            (unsigned)a->severity < NBAQ_SEVERITY_COUNT)
            open[a->severity]++;
    }
    family(w, "alerts_open",
           "Alerts open after the run (every state but resolved), per "
           "severity.");
    for (int s = 0; s < NBAQ_SEVERITY_COUNT; s++) {
        series_begin(w, "alerts_open");
        label(w, "severity", severity_name((nbaq_severity)s));
        series_end(w, (double)open[s]);
    }
}

static void write_exposition(prom_writer *w)
{
    write_run(w);
    write_check_status(w);
    write_check_state(w);
    write_check_duration(w);
    write_metric_family(w, "metric_value", "Value of a check's metric.",
                        field_value, 1);
    write_metric_family(w, "metric_status",
                        "Status of a metric after thresholds and rules: 0 "
                        "PASS, 1 WARNING, 2 FAIL, 3 ERROR, 4 UNKNOWN.",
                        field_status, 0);
    write_metric_family(w, "metric_anomalous",
                        "1 when the anomaly rule judged the value "
                        "anomalous.",
                        field_anomalous, 0);
    write_metric_family(w, "metric_change_percent",
                        "Change against the previous run's value, in "
                        "percent.",
                        field_change, 0);
    write_alerts(w);
}

/* Renders the prefix and the constant labels once. */
static void prepare(prom_writer *w, const nbaq_host_api *api,
                    const nbaq_options *o)
{
    textfmt_prom_metric_name(&w->prefix, api->opt_string(o, "prefix"));
    size_t n = api->opt_count(o, "labels");
    for (size_t i = 0; i < n; i++) {
        textbuf_putc(&w->constants, ',');
        textfmt_prom_label_name(&w->constants,
                                api->opt_map_key(o, "labels", i));
        textbuf_puts(&w->constants, "=\"");
        textfmt_prom_label_value(&w->constants,
                                 api->opt_map_value(o, "labels", i));
        textbuf_putc(&w->constants, '"');
    }
}

static int prometheus_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                             const nbaq_run *run, char *err, size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    const char *prefix = api->opt_string(o, "prefix");
    if (!prefix || !*prefix) {
        snprintf(err, err_size, "%s: prometheus: prefix must not be empty",
                 api->opt_location(o, "prefix"));
        return -1;
    }
    textbuf out;
    textbuf_init(&out);
    prom_writer w = {.b = &out, .run = run};
    textbuf_init(&w.prefix);
    textbuf_init(&w.constants);
    prepare(&w, api, o);
    int rc = -1;
    if (!textbuf_failed(&w.prefix) && !textbuf_failed(&w.constants)) {
        write_exposition(&w);
        if (textbuf_failed(&out))
            snprintf(err, err_size,
                     "prometheus: out of memory building "
                     "the exposition of %zu checks",
                     run->check_count);
        else
            rc = api->output_write(ctx, "prom", out.data, out.len, err,
                                   err_size);
    } else {
        snprintf(err, err_size, "prometheus: out of memory");
    }
    textbuf_free(&out);
    textbuf_free(&w.prefix);
    textbuf_free(&w.constants);
    textbuf_free(&w.name);
    return rc;
}

static const nbaq_option_spec prometheus_options[] = {
    {.name = "prefix",
     .type = NBAQ_OPT_STRING,
     .default_value = "nbaq",
     .description = "prefix of every metric name (sanitized to "
                    "[a-zA-Z_:][a-zA-Z0-9_:]*)"},
    {.name = "labels",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "constant labels added to every series, e.g. env: prod"},
    NBAQ_OPTION_END};

static const nbaq_plugin_descriptor prometheus_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "prometheus",
    .version = "1.0.0",
    .description = "Prometheus text exposition for node_exporter's textfile "
                   "collector",
    .options = prometheus_options,
    .report = prometheus_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(prometheus_descriptor)
