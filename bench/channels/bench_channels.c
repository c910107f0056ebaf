/*
 * nbaq-bench-channels - time and peak memory of one channel plugin
 * sending one notification of many alerts.
 *
 *   nbaq-bench-channels PLUGIN.so ALERTS [--set NAME=VALUE]...
 *
 * Builds a run of ALERTS alerts, all to notify, severities and states
 * cycling, with summaries of about 60 bytes. Calls report() once with the
 * options given (the receiver's URL...) and prints one line: plugin,
 * alerts, milliseconds to build the run and to report, and peak resident
 * memory (ru_maxrss) before and after report(). Exit 1 when the report
 * fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "report_measure.h"
#include "run_builder.h"

#define T0 1777874400000LL

static run_builder *synthetic_run(size_t alerts)
{
    static const nbaq_alert_state states[] = {NBAQ_ALERT_NEW, NBAQ_ALERT_FIRING,
                                              NBAQ_ALERT_ESCALATED,
                                              NBAQ_ALERT_RESOLVED};
    run_builder *rb = run_builder_new("bench_monitor", "bench-run-1");
    for (size_t i = 0; rb != NULL && i < alerts; i++) {
        char check[32], summary[96], fingerprint[32];
        snprintf(check, sizeof(check), "check_%06zu", i);
        snprintf(summary, sizeof(summary),
                 "rows %zu < fail_below 1000 for table public.orders_%zu", i,
                 i % 97);
        snprintf(fingerprint, sizeof(fingerprint), "%016zx", i * 2654435761u);
        nbaq_alert *a = run_builder_add_alert(rb, check, "rows", summary);
        if (a == NULL) {
            run_builder_free(rb);
            return NULL;
        }
        a->fingerprint = run_builder_strdup(rb, fingerprint);
        a->severity = (nbaq_severity)(i % NBAQ_SEVERITY_COUNT);
        a->state = states[i % 4];
        a->started_ms = T0 - (int64_t)(i % 1000) * 60000;
        a->ended_ms = a->state == NBAQ_ALERT_RESOLVED ? T0 : 0;
        a->notify = 1;
        a->failing_runs = (uint32_t)(i % 7);
    }
    if (rb != NULL)
        run_builder_finish(rb, 0);
    return rb;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: nbaq-bench-channels PLUGIN.so ALERTS "
              "[--set NAME=VALUE]...\n",
              stderr);
        return 2;
    }
    harness_assignment *sets = calloc((size_t)argc, sizeof(*sets));
    harness_setup setup = {
        .plugin_path = argv[1], .sets = sets, .monitor = "bench_monitor"};
    for (int i = 3; sets != NULL && i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--set") != 0) {
            fprintf(stderr, "nbaq-bench-channels: bad option %s\n", argv[i]);
            free(sets);
            return 2;
        }
        sets[setup.set_count++] =
            (harness_assignment){argv[i + 1], (unsigned)(i + 1)};
    }
    char err[2048];
    harness *h = sets ? harness_open(&setup, err, sizeof(err)) : NULL;
    free(sets);
    if (h == NULL) {
        fprintf(stderr, "nbaq-bench-channels: %s\n", h ? "" : err);
        return 2;
    }
    size_t alerts = strtoul(argv[2], NULL, 10);
    double t0 = measure_now_ms();
    run_builder *rb = synthetic_run(alerts);
    double t1 = measure_now_ms();
    if (rb == NULL) {
        fputs("nbaq-bench-channels: out of memory\n", stderr);
        harness_close(h);
        return 2;
    }
    report_measurement m =
        measure_report(h, rb, STDOUT_FILENO, err, sizeof(err));
    printf("%-13s alerts %6zu  build %8.1f ms  report %8.1f ms  "
           "peak RSS %6ld -> %6ld KiB%s%s\n",
           harness_plugin_name(h), alerts, t1 - t0, m.report_ms,
           m.rss_before_kb, m.rss_after_kb, m.rc != 0 ? "  FAILED: " : "",
           m.rc != 0 ? err : "");
    run_builder_free(rb);
    harness_close(h);
    return m.rc != 0;
}
