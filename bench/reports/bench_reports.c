/*
 * nbaq-bench-reports - time and peak memory of one reporter plugin on a
 * synthetic run.
 *
 *   nbaq-bench-reports PLUGIN.so [CHECKS [METRICS [POINTS]]]
 *
 * Builds a run of CHECKS checks (default 10000), each with METRICS
 * metrics (5) of POINTS history points (30); every fifth check FAILs with
 * an open alert. Calls report() once, output to /dev/null, and prints one
 * line: plugin, sizes, milliseconds to build the run and to report, bytes
 * written, and peak resident memory (ru_maxrss) before and after report().
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "report_measure.h"
#include "run_builder.h"

#define T0 1777874400000LL

static int add_metrics(run_builder *rb, nbaq_status status, size_t metrics,
                       nbaq_point *points, size_t n_points)
{
    for (size_t j = 0; j < metrics; j++) {
        char name[32];
        snprintf(name, sizeof(name), "metric_%zu", j);
        nbaq_metric *m = run_builder_add_metric(rb, name, (double)j, "rows");
        if (!m || run_builder_set_history(rb, m, points, n_points) != 0)
            return -1;
        m->status = status;
        m->has_previous = 1;
        m->previous = (double)j + 1;
        m->change_pct = -10;
        m->trend =
            status == NBAQ_FAIL ? NBAQ_TREND_WORSENING : NBAQ_TREND_STABLE;
        m->window_ms = 86400000;
        m->stats = (nbaq_stats){n_points, 0, 1, 0.5, 0.5, 0.1};
    }
    return 0;
}

static run_builder *synthetic_run(size_t checks, size_t metrics,
                                  size_t n_points)
{
    nbaq_point *points = calloc(n_points ? n_points : 1, sizeof(*points));
    run_builder *rb = run_builder_new("bench", "bench-run");
    int ok = points && rb;
    for (size_t k = 0; ok && k < n_points; k++)
        points[k] = (nbaq_point){T0 - (int64_t)(n_points - k) * 3600000,
                                 (double)(k % 7)};
    for (size_t i = 0; ok && i < checks; i++) {
        char name[32];
        snprintf(name, sizeof(name), "check_%06zu", i);
        nbaq_status status = i % 5 == 0 ? NBAQ_FAIL : NBAQ_PASS;
        nbaq_check_result *c = run_builder_add_check(rb, name, "bench");
        ok = c && add_metrics(rb, status, metrics, points, n_points) == 0;
        if (ok) {
            c->status = status;
            c->message = "synthetic";
            c->started_ms = T0;
            c->duration_ms = 12;
        }
        if (ok && status == NBAQ_FAIL) {
            nbaq_alert *a = run_builder_add_alert(rb, name, "metric_0",
                                                  "metric_0 over limit");
            ok = a != NULL;
            if (ok)
                *a = (nbaq_alert){a->fingerprint,
                                  a->check,
                                  a->metric,
                                  a->summary,
                                  NBAQ_SEV_HIGH,
                                  NBAQ_ALERT_NEW,
                                  T0,
                                  0,
                                  0,
                                  1,
                                  1};
        }
    }
    free(points);
    if (!ok) {
        run_builder_free(rb);
        return NULL;
    }
    run_builder_run(rb)->started_ms = T0;
    run_builder_run(rb)->finished_ms = T0 + 60000;
    run_builder_finish(rb, 0);
    return rb;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: nbaq-bench-reports PLUGIN.so [CHECKS [METRICS "
              "[POINTS]]]\n",
              stderr);
        return 2;
    }
    size_t checks = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    size_t metrics = argc > 3 ? strtoul(argv[3], NULL, 10) : 5;
    size_t n_points = argc > 4 ? strtoul(argv[4], NULL, 10) : 30;
    char err[2048];
    /* The report goes to output "-", an fd on /dev/null: a file path
     * would be replaced atomically (rename), which /dev/null must not. */
    harness_setup setup = {.plugin_path = argv[1], .monitor = "bench"};
    int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
    harness *h = harness_open(&setup, err, sizeof(err));
    if (!h) {
        fprintf(stderr, "nbaq-bench-reports: %s\n", err);
        return 2;
    }
    double t0 = measure_now_ms();
    run_builder *rb = synthetic_run(checks, metrics, n_points);
    if (!rb) {
        fputs("nbaq-bench-reports: out of memory\n", stderr);
        harness_close(h);
        return 2;
    }
    double t1 = measure_now_ms();
    report_measurement m = measure_report(h, rb, null_fd, err, sizeof(err));
    const char *name = harness_plugin_name(h);
    if (m.rc != 0)
        fprintf(stderr, "nbaq-bench-reports: %s: %s\n", name, err);
    printf("%-10s checks=%zu metrics=%zu points=%zu build_ms=%.0f "
           "report_ms=%.1f output_bytes=%zu peak_rss_kb before=%ld "
           "after=%ld growth=%ld\n",
           name, checks, metrics, n_points, t1 - t0, m.report_ms,
           harness_writes_of(h)->bytes, m.rss_before_kb, m.rss_after_kb,
           m.rss_after_kb - m.rss_before_kb);
    run_builder_free(rb);
    harness_close(h);
    close(null_fd);
    return m.rc == 0 ? 0 : 1;
}
