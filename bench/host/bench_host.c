/*
 * bench_host - what running a check costs the host.
 *
 * Writes a config with N checks of the trivial test plugin (one metric,
 * PASS) and no reporter, runs nbaq-host on it R times and on an empty
 * config R times, and prints:
 *   - the host overhead per isolated check: (median wall time with N
 *     checks - median with none) / N, with `workers: 1` by default, so
 *     that it is the cost on one core: fork, pipe, records, wait,
 *     evaluation, aggregation;
 *   - the peak RSS of the host process itself (getrusage(RUSAGE_SELF) in
 *     nbaq-host, printed by -vv), and the peak over the host and its
 *     children (wait4's rusage).
 *
 * usage: bench_host [-n checks] [-w workers] [-r repetitions]
 *                   [--host PATH] [--plugin-dir DIR]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct measure {
    double seconds;
    long maxrss_kib;   /* wait4: the host and its children            */
    long host_rss_kib; /* the host's own, from its -vv line; -1: none */
    int exit_code;
} measure;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void write_config(const char *path, int checks, int workers)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "monitor: bench\nworkers: %d\ntimeout: 30s\nchecks:\n", workers);
    if (checks == 0)
        fputs("  []\n", f);
    for (int i = 0; i < checks; i++)
        fprintf(f, "  - {name: c%04d, plugin: tp_trivial}\n", i);
    fclose(f);
}

static long parse_host_rss(const char *log_path)
{
    FILE *f = fopen(log_path, "r");
    if (!f)
        return -1;
    char line[1024];
    long kib = -1;
    while (fgets(line, sizeof line, f)) {
        const char *p = strstr(line, "peak RSS of the host: ");
        if (p)
            kib = atol(p + strlen("peak RSS of the host: "));
    }
    fclose(f);
    return kib;
}

static measure run_host(const char *host, const char *plugin_dir,
                        const char *config, const char *log_path, int verbose)
{
    measure m = {0};
    double start = now();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null_fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || null_fd < 0)
            _exit(127);
        dup2(fd, 2);
        dup2(null_fd, 1);
        execl(host, host, "-c", config, "--plugin-dir", plugin_dir,
              verbose ? "-vv" : "-q", (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        exit(1);
    }
    m.seconds = now() - start;
    m.maxrss_kib = ru.ru_maxrss;
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    m.host_rss_kib = verbose ? parse_host_rss(log_path) : -1;
    return m;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_seconds(const char *host, const char *plugin_dir,
                             const char *config, const char *log_path,
                             int repetitions)
{
    double times[64];
    for (int i = 0; i < repetitions; i++) {
        measure m = run_host(host, plugin_dir, config, log_path, 0);
        if (m.exit_code != 0) {
            fprintf(stderr, "nbaq-host exited with %d (log: %s)\n", m.exit_code,
                    log_path);
            exit(1);
        }
        times[i] = m.seconds;
    }
    qsort(times, (size_t)repetitions, sizeof times[0], compare_doubles);
    return times[repetitions / 2];
}

int main(int argc, char **argv)
{
    int checks = 1000, workers = 1, repetitions = 5;
    const char *host = NBAQ_BENCH_HOST, *plugin_dir = NBAQ_BENCH_PLUGIN_DIR;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            checks = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
            workers = atoi(argv[++i]);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            repetitions = atoi(argv[++i]);
        else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
            host = argv[++i];
        else if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
            plugin_dir = argv[++i];
        else {
            fprintf(stderr,
                    "usage: %s [-n checks] [-w workers] [-r reps] "
                    "[--host PATH] [--plugin-dir DIR]\n",
                    argv[0]);
            return 64;
        }
    }
    if (repetitions < 1 || repetitions > 64 || checks < 1 || workers < 1) {
        fprintf(stderr, "bad arguments\n");
        return 64;
    }
    char dir[] = "/tmp/nbaq-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char full[256], empty[256], log_path[256];
    snprintf(full, sizeof full, "%s/full.yaml", dir);
    snprintf(empty, sizeof empty, "%s/empty.yaml", dir);
    snprintf(log_path, sizeof log_path, "%s/host.log", dir);
    write_config(full, checks, workers);
    write_config(empty, 0, workers);

    double base =
        median_seconds(host, plugin_dir, empty, log_path, repetitions);
    double with_checks =
        median_seconds(host, plugin_dir, full, log_path, repetitions);
    measure rss = run_host(host, plugin_dir, full, log_path, 1);

    printf("checks: %d, workers: %d, repetitions: %d (medians)\n", checks,
           workers, repetitions);
    printf("host start and exit, no checks: %.1f ms\n", base * 1e3);
    printf("run with %d checks: %.1f ms\n", checks, with_checks * 1e3);
    printf("host overhead per isolated check: %.3f ms\n",
           (with_checks - base) * 1e3 / checks);
    printf("peak RSS of the host: %.1f MiB\n", rss.host_rss_kib / 1024.0);
    printf("peak RSS, host and children (wait4): %.1f MiB\n",
           rss.maxrss_kib / 1024.0);
    unlink(full);
    unlink(empty);
    unlink(log_path);
    rmdir(dir);
    return 0;
}
