/*
 * bench_history - speed of the history store.
 *
 *   bench_history write URL [ROWS] [METRICS_PER_RUN]
 *       writes ROWS metric values (default 100000) as runs of
 *       METRICS_PER_RUN metrics (default 100), one transaction per run,
 *       into the empty store URL
 *   bench_history fill URL [ROWS] [SERIES]
 *       fills the store with ROWS values (default 1000000) of SERIES
 *       metrics (default 100), one run every 5 minutes up to now
 *   bench_history query URL [ITERATIONS]
 *       on a filled store: the window, previous, points and anomaly
 *       baseline of one metric plus its statistics and trend (what the
 *       host does per metric), the series of the check's latest 10 runs
 *       (what the host asks per check for missing series), and `history
 *       trends` over every metric
 *
 * Prints one line per measurement: what, count, total seconds, per item.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history.h"
#include "history_recent_series.h"

#define MISSING_SERIES_RUNS 10

#define RUN_INTERVAL_MS (5 * 60 * 1000LL)

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (user + system): on a busy machine the
 * part of the time that is ours. */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_start;

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct bench_run {
    nbaq_run run;
    nbaq_check_result check;
    const nbaq_check_result *check_ptr;
    nbaq_metric *metrics;
    const nbaq_metric **metric_ptrs;
    char (*names)[24];
    char run_id[64];
} bench_run;

static bench_run *bench_run_new(size_t metrics)
{
    bench_run *b = calloc(1, sizeof *b);
    b->metrics = calloc(metrics, sizeof *b->metrics);
    b->metric_ptrs = calloc(metrics, sizeof *b->metric_ptrs);
    b->names = calloc(metrics, sizeof *b->names);
    if (!b->metrics || !b->metric_ptrs || !b->names) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    b->run.struct_size = sizeof b->run;
    b->run.monitor = "bench";
    b->run.run_id = b->run_id;
    b->check.name = "tables";
    b->check.plugin = "bench";
    b->check.message = "ok";
    b->check.metrics = b->metric_ptrs;
    b->check.metric_count = metrics;
    b->check_ptr = &b->check;
    b->run.checks = &b->check_ptr;
    b->run.check_count = 1;
    for (size_t i = 0; i < metrics; i++) {
        snprintf(b->names[i], sizeof b->names[i], "m%05u", (unsigned)i);
        b->metrics[i].name = b->names[i];
        b->metrics[i].unit = "rows";
        b->metrics[i].reason = "";
        b->metric_ptrs[i] = &b->metrics[i];
    }
    return b;
}

static void bench_run_free(bench_run *b)
{
    free(b->metrics);
    free(b->metric_ptrs);
    free(b->names);
    free(b);
}

static history_store *open_or_die(const char *url)
{
    history_store *store;
    char err[1024];
    if (history_open(url, NULL, NULL, &store, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        exit(1);
    }
    return store;
}

/* Saves `runs` runs of b, at ts0, ts0 + 5 min, ... */
static void save_runs(history_store *store, bench_run *b, size_t runs,
                      int64_t ts0, const char *prefix)
{
    char err[1024];
    for (size_t r = 0; r < runs; r++) {
        int64_t ts = ts0 + (int64_t)r * RUN_INTERVAL_MS;
        snprintf(b->run_id, sizeof b->run_id, "%s-%lld-%zu", prefix,
                 (long long)ts0, r);
        b->run.started_ms = ts;
        b->run.finished_ms = ts + 1000;
        b->check.started_ms = ts;
        for (size_t i = 0; i < b->check.metric_count; i++)
            b->metrics[i].value =
                1000.0 + (double)i + (double)((r * 7919 + i * 31) % 101);
        if (history_save_run(store, &b->run, NULL, 0, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            exit(1);
        }
    }
}

/* One line: what, count, wall seconds, wall per item, CPU seconds. */
static void report(const char *what, size_t count, double seconds,
                   const char *unit)
{
    double cpu = cpu_now() - cpu_start;
    printf("%-48s %8zu %8.3f s %9.3f %-6s (cpu %.3f s)\n", what, count, seconds,
           seconds / (double)count * (strcmp(unit, "ms") == 0 ? 1e3 : 1e6),
           unit, cpu);
    fflush(stdout);
}

static int cmd_write(const char *url, size_t rows, size_t per_run)
{
    history_store *store = open_or_die(url);
    bench_run *b = bench_run_new(per_run);
    size_t runs = rows / per_run;
    double t0 = seconds_now();
    cpu_start = cpu_now();
    save_runs(store, b, runs, wall_ms() - (int64_t)runs * RUN_INTERVAL_MS,
              "write");
    double elapsed = seconds_now() - t0;
    char what[96];
    snprintf(what, sizeof what, "write: %zu runs of %zu metrics", runs,
             per_run);
    report(what, runs * per_run, elapsed, "us/row");
    bench_run_free(b);
    history_close(store);
    return 0;
}

static int cmd_fill(const char *url, size_t rows, size_t series)
{
    history_store *store = open_or_die(url);
    bench_run *b = bench_run_new(series);
    size_t runs = rows / series;
    double t0 = seconds_now();
    cpu_start = cpu_now();
    save_runs(store, b, runs, wall_ms() - (int64_t)runs * RUN_INTERVAL_MS,
              "fill");
    report("fill: rows saved", runs * series, seconds_now() - t0, "us/row");
    bench_run_free(b);
    history_close(store);
    return 0;
}

/* What the missing-series rule asks once per check and run: the metrics
 * of the check's latest 10 runs (core/vanished.c). */
static int query_recent_series(history_store *store, int64_t now,
                               size_t iterations)
{
    char err[1024];
    size_t seen = 0;
    double t0 = seconds_now();
    cpu_start = cpu_now();
    for (size_t i = 0; i < iterations; i++) {
        history_seen_series *series;
        if (history_recent_series(store, "bench", "tables", now + 1,
                                  MISSING_SERIES_RUNS, &series, &seen, err,
                                  sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        history_seen_series_free(series, seen);
    }
    report("query: a check's series of its last 10 runs", iterations,
           seconds_now() - t0, "ms");
    printf("  (%zu series seen)\n", seen);
    return 0;
}

static int cmd_query(const char *url, size_t iterations)
{
    history_store *store = open_or_die(url);
    metric_rule rule = {0};
    rule.anomaly.enabled = 1;
    rule.anomaly.z = 3;
    rule.anomaly.window_points = 30;
    rule.anomaly.min_history = 7;
    rule.anomaly.status = NBAQ_WARNING;
    rule.change.enabled = 1;
    rule.change.fail_pct = (rule_bound){1, 50};
    history_settings settings = {HISTORY_DEFAULT_TREND_WINDOW_MS,
                                 HISTORY_DEFAULT_REPORT_POINTS};
    history_past past = HISTORY_PAST_INIT;
    history_verdict verdict;
    char err[1024];
    int64_t now = wall_ms();
    double t0 = seconds_now();
    cpu_start = cpu_now();
    uint64_t window_values = 0;
    for (size_t i = 0; i < iterations; i++) {
        char name[16];
        snprintf(name, sizeof name, "m%05zu", i % 100);
        nbaq_metric m = {0};
        m.name = name;
        m.value = 1050;
        if (history_evaluate_metric(store, "bench", "tables", &rule, now,
                                    &settings, &m, &past, &verdict, err,
                                    sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
        window_values += m.stats.count;
    }
    report("query: one metric (window, stats, trend, rules)", iterations,
           seconds_now() - t0, "ms");
    printf("  (%.0f values in each metric's 24 h window)\n",
           (double)window_values / (double)iterations);
    history_past_free(&past);
    if (query_recent_series(store, now, iterations) != 0)
        return 1;
    history_close(store);

    history_cli_env env = {0};
    env.url = url;
    env.monitor = "bench";
    FILE *sink = fopen("/dev/null", "w");
    char *argv[] = {"history", "trends", "--json", NULL};
    size_t runs = iterations / 10 ? iterations / 10 : 1;
    t0 = seconds_now();
    cpu_start = cpu_now();
    for (size_t i = 0; i < runs; i++) {
        if (history_cli_main(3, argv, &env, sink, err, sizeof err) != 0) {
            fprintf(stderr, "%s\n", err);
            return 1;
        }
    }
    report("query: `history trends` of all metrics", runs, seconds_now() - t0,
           "ms");
    fclose(sink);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_history write|fill|query URL [N] [M]\n");
        return 64;
    }
    size_t n = argc > 3 ? strtoull(argv[3], NULL, 10) : 0;
    size_t m = argc > 4 ? strtoull(argv[4], NULL, 10) : 0;
    if (strcmp(argv[1], "write") == 0)
        return cmd_write(argv[2], n ? n : 100000, m ? m : 100);
    if (strcmp(argv[1], "fill") == 0)
        return cmd_fill(argv[2], n ? n : 1000000, m ? m : 100);
    if (strcmp(argv[1], "query") == 0)
        return cmd_query(argv[2], n ? n : 200);
    fprintf(stderr, "bench_history: unknown command %s\n", argv[1]);
    return 64;
}
