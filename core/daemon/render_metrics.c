#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "promtext.h"
#include "render.h"
#include "status.h"

/* ------------------------------------------------------------------ */

static const char *text_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static double number_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (cJSON_IsNumber(v) || cJSON_IsRaw(v)) /* raw: exact numbers */
        return v->valuedouble;
    if (cJSON_IsString(v)) { /* "NaN", "+Inf", "-Inf" from round.c */
        if (strcmp(v->valuestring, "+Inf") == 0)
            return INFINITY;
        if (strcmp(v->valuestring, "-Inf") == 0)
            return -INFINITY;
    }
    return NAN;
}

/* `name{monitor="m",check="c"` : the caller adds more labels and "} v". */
static void series_start(textbuf *out, const char *name, const char *monitor,
                         const char *check)
{
    textbuf_printf(out, "%s{monitor=\"", name);
    textfmt_prom_label_value(out, monitor);
    if (check) {
        textbuf_puts(out, "\",check=\"");
        textfmt_prom_label_value(out, check);
    }
    textbuf_putc(out, '"');
}

static void series_end(textbuf *out, double value)
{
    textbuf_puts(out, "} ");
    textfmt_prom_value(out, value);
    textbuf_putc(out, '\n');
}

static void check_family(textbuf *out, const board *b, const char *monitor,
                         const char *name, const char *type, const char *help,
                         int need_result, double (*value)(const board_check *c))
{
    textfmt_prom_family(out, name, type, help);
    for (size_t i = 0; i < b->count; i++) {
        const board_check *c = &b->checks[i];
        if (need_result && !c->result)
            continue;
        series_start(out, name, monitor, c->name);
        series_end(out, value(c));
    }
}

static double v_duration(const board_check *c)
{
    return number_of(c->result, "duration_ms") / 1000.0;
}

static double v_last_run(const board_check *c)
{
    return number_of(c->result, "started_ms") / 1000.0;
}

static double v_interval(const board_check *c)
{
    return (double)c->interval_ms / 1000.0;
}

static double v_running(const board_check *c)
{
    return c->running ? 1 : 0;
}

static double v_runs(const board_check *c)
{
    return (double)c->runs;
}

static void check_status(textbuf *out, const board *b, const char *monitor)
{
    textfmt_prom_family(
        out, "nbaq_check_status", "gauge",
        "Status of a check: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR, "
        "4 UNKNOWN.");
    for (size_t i = 0; i < b->count; i++) {
        const board_check *c = &b->checks[i];
        if (!c->result)
            continue;
        series_start(out, "nbaq_check_status", monitor, c->name);
        textbuf_puts(out, ",plugin=\"");
        textfmt_prom_label_value(out, c->plugin);
        textbuf_printf(out, "\",severity=\"%s\"", severity_name(c->severity));
        series_end(out, board_result_status(c->result));
    }
    textfmt_prom_family(
        out, "nbaq_check_state", "gauge",
        "1 for the status the check has, 0 for the other statuses.");
    for (size_t i = 0; i < b->count; i++) {
        const board_check *c = &b->checks[i];
        if (!c->result)
            continue;
        nbaq_status now = board_result_status(c->result);
        for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
            series_start(out, "nbaq_check_state", monitor, c->name);
            textbuf_printf(out, ",status=\"%s\"", status_name((nbaq_status)s));
            series_end(out, s == (int)now ? 1 : 0);
        }
    }
}

static void checks_by_status(textbuf *out, const board *b, const char *monitor)
{
    size_t counts[NBAQ_STATUS_COUNT] = {0};
    for (size_t i = 0; i < b->count; i++) {
        if (b->checks[i].result)
            counts[board_result_status(b->checks[i].result)]++;
    }
    textfmt_prom_family(out, "nbaq_checks", "gauge",
                        "Checks per status of their latest run.");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        series_start(out, "nbaq_checks", monitor, NULL);
        textbuf_printf(out, ",status=\"%s\"", status_name((nbaq_status)s));
        series_end(out, (double)counts[s]);
    }
}

typedef void (*metric_labels_fn)(textbuf *out, const cJSON *m);

static void unit_label(textbuf *out, const cJSON *m)
{
    textbuf_puts(out, ",unit=\"");
    textfmt_prom_label_value(out, text_of(m, "unit"));
    textbuf_putc(out, '"');
}

static double m_value(const cJSON *m)
{
    return number_of(m, "value");
}

static double m_status(const cJSON *m)
{
    const char *name = text_of(m, "status");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        if (strcmp(name, status_name((nbaq_status)s)) == 0)
            return s;
    }
    return NBAQ_UNKNOWN;
}

static double m_anomalous(const cJSON *m)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "anomalous"));
}

static void metric_family(textbuf *out, const board *b, const char *monitor,
                          const char *name, const char *help,
                          metric_labels_fn labels,
                          double (*value)(const cJSON *m))
{
    textfmt_prom_family(out, name, "gauge", help);
    for (size_t i = 0; i < b->count; i++) {
        const board_check *c = &b->checks[i];
        const cJSON *m;
        cJSON_ArrayForEach(
            m, cJSON_GetObjectItemCaseSensitive(c->result, "metrics"))
        {
            series_start(out, name, monitor, c->name);
            textbuf_puts(out, ",metric=\"");
            textfmt_prom_label_value(out, text_of(m, "name"));
            textbuf_putc(out, '"');
            if (labels)
                labels(out, m);
            series_end(out, value(m));
        }
    }
}

static void alerts_open(textbuf *out, const board *b, const char *monitor)
{
    size_t counts[NBAQ_SEVERITY_COUNT] = {0};
    const cJSON *a;
    cJSON_ArrayForEach(a, b->alerts)
    {
        nbaq_severity sev;
        if (severity_parse(text_of(a, "severity"), &sev) == 0)
            counts[sev]++;
    }
    textfmt_prom_family(out, "nbaq_alerts_open", "gauge",
                        "Open alerts (every state but resolved) per severity.");
    for (int s = 0; s < NBAQ_SEVERITY_COUNT; s++) {
        series_start(out, "nbaq_alerts_open", monitor, NULL);
        textbuf_printf(out, ",severity=\"%s\"",
                       severity_name((nbaq_severity)s));
        series_end(out, (double)counts[s]);
    }
}

static void gauge(textbuf *out, const char *monitor, const char *name,
                  const char *type, const char *help, double value)
{
    textfmt_prom_family(out, name, type, help);
    series_start(out, name, monitor, NULL);
    series_end(out, value);
}

static void daemon_figures(textbuf *out, const daemon_stats *st,
                           const char *monitor)
{
    textfmt_prom_family(out, "nbaq_daemon_build_info", "gauge",
                        "Always 1; the version of nbaq-host in a label.");
    series_start(out, "nbaq_daemon_build_info", monitor, NULL);
    textbuf_puts(out, ",version=\"");
    textfmt_prom_label_value(out, st->version);
    textbuf_putc(out, '"');
    series_end(out, 1);
    gauge(out, monitor, "nbaq_daemon_start_time_seconds", "gauge",
          "When the daemon started, in seconds since the epoch.",
          (double)st->started_ms / 1000.0);
    gauge(out, monitor, "nbaq_daemon_rounds_total", "counter",
          "Rounds of checks finished since the start.", (double)st->rounds);
    gauge(out, monitor, "nbaq_daemon_round_failures_total", "counter",
          "Rounds whose process failed as a whole.", (double)st->rounds_failed);
    gauge(out, monitor, "nbaq_daemon_rounds_running", "gauge",
          "Rounds running now.", (double)st->rounds_running);
    if (st->last_round_finished_ms > 0) {
        gauge(out, monitor, "nbaq_daemon_last_round_duration_seconds", "gauge",
              "Wall-clock length of the last finished round.",
              (double)st->last_round_duration_ms / 1000.0);
        gauge(out, monitor, "nbaq_daemon_last_round_timestamp_seconds", "gauge",
              "When the last round finished, seconds since the epoch.",
              (double)st->last_round_finished_ms / 1000.0);
    }
    textfmt_prom_family(out, "nbaq_daemon_config_reloads_total", "counter",
                        "Configuration reloads (SIGHUP) by result.");
    series_start(out, "nbaq_daemon_config_reloads_total", monitor, NULL);
    textbuf_puts(out, ",result=\"ok\"");
    series_end(out, (double)st->reloads);
    series_start(out, "nbaq_daemon_config_reloads_total", monitor, NULL);
    textbuf_puts(out, ",result=\"failed\"");
    series_end(out, (double)st->reload_failures);
    gauge(out, monitor, "nbaq_daemon_config_last_reload_successful", "gauge",
          "0 when the last reload was rejected (the old config runs on).",
          st->last_reload_ms > 0 && !st->last_reload_ok ? 0 : 1);
}

char *render_metrics(const board *b, const daemon_stats *st, const config *cfg,
                     size_t *len)
{
    textbuf out = TEXTBUF_INIT;
    const char *m = cfg->monitor;
    check_status(&out, b, m);
    check_family(&out, b, m, "nbaq_check_duration_seconds", "gauge",
                 "How long the check's latest run took.", 1, v_duration);
    check_family(&out, b, m, "nbaq_check_last_run_timestamp_seconds", "gauge",
                 "When the check's latest run started, seconds since the "
                 "epoch.",
                 1, v_last_run);
    check_family(&out, b, m, "nbaq_check_interval_seconds", "gauge",
                 "The check's interval.", 0, v_interval);
    check_family(&out, b, m, "nbaq_check_running", "gauge",
                 "1 while the check runs.", 0, v_running);
    check_family(&out, b, m, "nbaq_check_runs_total", "counter",
                 "Runs of the check finished since the daemon started.", 0,
                 v_runs);
    checks_by_status(&out, b, m);
    metric_family(&out, b, m, "nbaq_metric_value",
                  "Value of a metric in the check's latest run.", unit_label,
                  m_value);
    metric_family(&out, b, m, "nbaq_metric_status",
                  "Status of a metric: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR, "
                  "4 UNKNOWN.",
                  NULL, m_status);
    metric_family(&out, b, m, "nbaq_metric_anomalous",
                  "1 when the anomaly rule fired on the latest value.", NULL,
                  m_anomalous);
    alerts_open(&out, b, m);
    daemon_figures(&out, st, m);
    render_fleet_metrics(&out, st, m);
    if (out.failed) {
        textbuf_free(&out);
        return NULL;
    }
    *len = out.len;
    return textbuf_take(&out);
}

void render_health(textbuf *out, const health_figures *h)
{
    gauge(out, h->monitor, "nbaq_daemon_uptime_seconds", "gauge",
          "Seconds since the daemon started.",
          (double)(h->now_ms - h->started_ms) / 1000.0);
    if (h->rss_bytes >= 0)
        gauge(out, h->monitor, "nbaq_daemon_resident_memory_bytes", "gauge",
              "Resident memory of the daemon process (rounds and checks "
              "run in their own processes).",
              (double)h->rss_bytes);
    if (h->max_rss_bytes >= 0)
        gauge(out, h->monitor, "nbaq_daemon_max_resident_memory_bytes", "gauge",
              "Peak resident memory of the daemon process.",
              (double)h->max_rss_bytes);
}
