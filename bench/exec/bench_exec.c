/*
 * nbaq-bench-exec - what the exec checker costs.
 *
 *   nbaq-bench-exec [PARSES [SPAWNS]]
 *
 * 1. Parses a line of performance data as check_load -r prints it (6
 *    items) PARSES times (default 200000): items per second, MB/s.
 * 2. Runs /bin/true SPAWNS times (default 500) through command_run():
 *    milliseconds per command (spawn, wait, reap).
 * 3. Runs a command writing 100 MB to stdout with the default 64 KiB cap:
 *    milliseconds, bytes kept.
 * Prints one line per measure and the peak resident memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "command.h"
#include "perfdata.h"

extern char **environ;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench_parse(long rounds)
{
    static const char line[] =
        "load1=1.630;;;0; scaled_load1=0.815;4.000;8.000;0; load5=0.620;;;0; "
        "scaled_load5=0.310;3.000;6.000;0; load15=0.280;;;0; "
        "scaled_load15=0.140;2.000;4.000;0; ";
    perfdata_item item;
    char err[256];
    long items = 0;
    double sum = 0;
    double start = now_ms();
    for (long r = 0; r < rounds; r++) {
        const char *cursor = line;
        int rc;
        while ((rc = perfdata_next(&cursor, &item, err, sizeof err)) != 0) {
            if (rc < 0) {
                fprintf(stderr, "unexpected: %s\n", err);
                return -1;
            }
            sum += item.value;
            items++;
        }
    }
    double ms = now_ms() - start;
    printf("perfdata: %ld items in %.1f ms: %.2f M items/s, %.1f MB/s "
           "(checksum %.1f)\n",
           items, ms, (double)items / ms / 1e3,
           (double)(sizeof line - 1) * (double)rounds / ms / 1e3, sum);
    return 0;
}

static int run_once(char *const *argv, size_t cap, command_result *r)
{
    char err[512];
    command_spec spec = {.path = argv[0],
                         .argv = argv,
                         .envp = environ,
                         .timeout_ms = 60000,
                         .stdout_max = cap,
                         .stderr_max = 4096};
    if (command_run(&spec, r, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    return 0;
}

static int bench_spawn(long rounds)
{
    char *argv[] = {"/bin/true", NULL};
    command_result r;
    double start = now_ms();
    for (long i = 0; i < rounds; i++) {
        if (run_once(argv, 65536, &r) != 0) {
            return -1;
        }
        command_result_free(&r);
    }
    double ms = now_ms() - start;
    printf("spawn: %ld runs of /bin/true in %.1f ms: %.3f ms per command\n",
           rounds, ms, ms / (double)rounds);
    return 0;
}

static int bench_huge_output(void)
{
    char *argv[] = {"/bin/sh", "-c", "head -c 100000000 /dev/zero", NULL};
    command_result r;
    double start = now_ms();
    if (run_once(argv, 65536, &r) != 0) {
        return -1;
    }
    double ms = now_ms() - start;
    printf("huge output: 100 MB written, %zu bytes kept (truncated %d) in "
           "%.1f ms\n",
           r.out_len, r.out_truncated, ms);
    command_result_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    long parses = argc > 1 ? atol(argv[1]) : 200000;
    long spawns = argc > 2 ? atol(argv[2]) : 500;
    if (bench_parse(parses) != 0 || bench_spawn(spawns) != 0 ||
        bench_huge_output() != 0) {
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
    return 0;
}
