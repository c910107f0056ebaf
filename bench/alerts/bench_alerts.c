/*
 * bench_alerts - the cost of the alert lifecycle per run when many
 * fingerprints change at once: C checks with M metrics each, every
 * metric failing (C * M alerts plus nothing for the checks' own passing
 * status), one webhook channel routed. Four runs, each opening the store
 * as the host does:
 *   open     every alert opens: C*M rows and C*M outbox rows written
 *   deliver  marking those C*M notifications delivered
 *   firing   every alert fires again: rows updated, nothing queued
 *   resolve  every metric passes: resolved, C*M outbox rows
 *   quiet    a run with nothing failing and no row left
 *   bench_alerts STORE_URL DIR [checks] [metrics]
 * STORE_URL: an SQLite path or a postgresql:// URL; DIR: a scratch
 * directory for the config. Prints milliseconds per phase and the peak
 * RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "alerts.h"
#include "clock.h"

typedef struct bench_run {
    nbaq_run run;
    nbaq_check_result *checks;
    const nbaq_check_result **check_ptrs;
    nbaq_metric *metrics;
    const nbaq_metric **metric_ptrs;
    alerts_check_input *inputs;
    char (*names)[32];
} bench_run;

static void build(bench_run *b, size_t checks, size_t metrics, int64_t ts,
                  nbaq_status status)
{
    memset(&b->run, 0, sizeof b->run);
    b->run.struct_size = sizeof b->run;
    b->run.monitor = "bench";
    b->run.run_id = "bench-run";
    b->run.started_ms = ts;
    b->run.check_count = checks;
    b->run.checks = b->check_ptrs;
    for (size_t c = 0; c < checks; c++) {
        nbaq_check_result *r = &b->checks[c];
        snprintf(b->names[c], 32, "check_%05zu", c);
        *r = (nbaq_check_result){.name = b->names[c],
                                 .plugin = "exec",
                                 .status = status,
                                 .message = "",
                                 .severity = NBAQ_SEV_HIGH,
                                 .metrics = &b->metric_ptrs[c * metrics],
                                 .metric_count = metrics};
        for (size_t m = 0; m < metrics; m++) {
            nbaq_metric *x = &b->metrics[c * metrics + m];
            snprintf(b->names[checks + m], 32, "metric_%03zu", m);
            *x = (nbaq_metric){.name = b->names[checks + m],
                               .value = 1,
                               .unit = "",
                               .status = status,
                               .reason = status ? "value=1 above 0" : ""};
            b->metric_ptrs[c * metrics + m] = x;
        }
        b->check_ptrs[c] = r;
        b->inputs[c] = (alerts_check_input){r, NBAQ_PASS, "ok"};
    }
}

static double phase(config *cfg, bench_run *b, size_t checks, size_t metrics,
                    int64_t ts, nbaq_status status, int deliver,
                    double *deliver_ms)
{
    char err[1024];
    build(b, checks, metrics, ts, status);
    int64_t start = clock_mono_ms();
    history_store *store;
    if (history_open(cfg->history.url, cfg->dir, NULL, &store, err,
                     sizeof err) != 0) {
        fprintf(stderr, "bench_alerts: %s\n", err);
        exit(1);
    }
    alerts_params p = {cfg, store, 0, b->inputs, checks, 1};
    alerts_run ar;
    if (alerts_process(&ar, &p, &b->run, err, sizeof err) != 0 || ar.failed) {
        fprintf(stderr, "bench_alerts: %s\n", err);
        exit(1);
    }
    double ms = (double)(clock_mono_ms() - start);
    if (deliver) {
        int64_t t = clock_mono_ms();
        alerts_channel_done(&ar, 0, 1, "");
        *deliver_ms = (double)(clock_mono_ms() - t);
    }
    alerts_run_free(&ar);
    history_close(store);
    return ms;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_alerts STORE_URL DIR [checks] "
                        "[metrics]\n");
        return 64;
    }
    size_t checks = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
    size_t metrics = argc > 4 ? strtoul(argv[4], NULL, 10) : 10;
    char path[4096], err[1024];
    snprintf(path, sizeof path, "%s/bench.yaml", argv[2]);
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    fprintf(f,
            "monitor: bench\nhistory: {url: \"%s\"}\n"
            "reporters: [{name: hook, plugin: webhook}]\n"
            "alerts: {flapping: false, routes: [{channel: hook}]}\n",
            argv[1]);
    fclose(f);
    config *cfg = config_load(path, err, sizeof err);
    if (!cfg) {
        fprintf(stderr, "bench_alerts: %s\n", err);
        return 1;
    }
    bench_run b;
    b.checks = calloc(checks, sizeof *b.checks);
    b.check_ptrs = calloc(checks, sizeof *b.check_ptrs);
    b.metrics = calloc(checks * metrics, sizeof *b.metrics);
    b.metric_ptrs = calloc(checks * metrics, sizeof *b.metric_ptrs);
    b.inputs = calloc(checks, sizeof *b.inputs);
    b.names = calloc(checks + metrics, sizeof *b.names);
    int64_t t0 = 1714559400000LL;
    double delivered = 0, unused = 0;
    double open = phase(cfg, &b, checks, metrics, t0, NBAQ_FAIL, 1, &delivered);
    double firing =
        phase(cfg, &b, checks, metrics, t0 + 600000, NBAQ_FAIL, 0, &unused);
    double resolve =
        phase(cfg, &b, checks, metrics, t0 + 1200000, NBAQ_PASS, 1, &unused);
    double quiet =
        phase(cfg, &b, checks, metrics, t0 + 1800000, NBAQ_PASS, 0, &unused);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%zu checks x %zu metrics = %zu alerts on %s\n", checks, metrics,
           checks * metrics,
           strncmp(argv[1], "postgres", 8) ? "SQLite" : "PostgreSQL");
    printf("open %.0f ms, deliver %.0f ms, firing %.0f ms, resolve %.0f ms, "
           "quiet %.0f ms, peak RSS %ld KiB\n",
           open, delivered, firing, resolve, quiet, ru.ru_maxrss);
    config_free(cfg);
    free(b.checks);
    free(b.check_ptrs);
    free(b.metrics);
    free(b.metric_ptrs);
    free(b.inputs);
    free(b.names);
    return 0;
}
