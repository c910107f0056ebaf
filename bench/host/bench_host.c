/*
 * bench_host - what running a check costs the host (issue 17, item 2).
 *
 * Writes a config with N checks of the trivial test plugin (one metric,
 * PASS) and no reporter, and times, R rounds of alternating runs (each
 * round runs every variant once, so that a change of the machine's load
 * hits them alike):
 *   - the reference: N times fork(), _exit() in the child, waitpid(), in
 *     this small process;
 *   - nbaq-host on an empty config;
 *   - nbaq-host on the N checks, for each worker count of -w (one, or two
 *     separated by a comma), with the fork servers and, with -b, also
 *     with NBAQ_FORKSERVER=0 (the host forks every check, as before);
 *     the server runs set NBAQ_FORKSERVER=1, so that they use the servers
 *     whatever the number of checks.
 * It prints, from the medians, the host overhead per isolated check
 * ((run with N checks - empty run) / N) in wall and in CPU time (user +
 * system of the host and its children, from wait4), each as a ratio to
 * the reference; the throughput of the second worker count against the
 * first; and the peak RSS of the host (its -vv line) and of host and
 * children.
 *
 * usage: bench_host [-n checks] [-w workers[,workers]] [-r repetitions]
 *                   [-b] [--host PATH] [--plugin-dir DIR]
 *        bench_host --fork-loop N      (the reference alone)
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
    double cpu_seconds; /* user + system, host and its children (wait4) */
    long maxrss_kib;    /* wait4: the host and its children            */
    long host_rss_kib;  /* the host's own, from its -vv line; -1: none */
    int exit_code;
} measure;

/* One thing timed in every round: a host run or the reference loop. */
typedef struct variant {
    const char *label;
    const char *config; /* NULL: the bare fork loop                     */
    int forkserver;     /* 0: NBAQ_FORKSERVER=0 (the host forks)        */
    double seconds[64];
    double cpu[64];
} variant;

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

static double rusage_cpu(const struct rusage *ru)
{
    return ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 +
           ru->ru_stime.tv_sec + ru->ru_stime.tv_usec / 1e6;
}

/* Waits for pid, started at start: wall and CPU time, peak RSS. */
static measure wait_measure(pid_t pid, double start)
{
    measure m = {0};
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("wait4");
        exit(1);
    }
    m.seconds = now() - start;
    m.cpu_seconds = rusage_cpu(&ru);
    m.maxrss_kib = ru.ru_maxrss;
    m.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    return m;
}

static measure run_host(const char *host, const char *plugin_dir,
                        const char *config, const char *log_path, int verbose,
                        int forkserver)
{
    double start = now();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null_fd = open("/dev/null", O_WRONLY);
        if (fd < 0 || null_fd < 0)
            _exit(127);
        dup2(fd, 2);
        dup2(null_fd, 1);
        /* Either way whatever the number of checks (forkserver.h). */
        setenv("NBAQ_FORKSERVER", forkserver ? "1" : "0", 1);
        execl(host, host, "-c", config, "--plugin-dir", plugin_dir,
              verbose ? "-vv" : "-q", (char *)NULL);
        _exit(127);
    }
    measure m = wait_measure(pid, start);
    m.host_rss_kib = verbose ? parse_host_rss(log_path) : -1;
    return m;
}

/* The reference: n times fork(), _exit() in the child, waitpid()
 * in this small process. Timed (wall and CPU) in a child of its own, so
 * that the CPU time is read the same way as a host run's. */
static measure bare_fork_loop(int n)
{
    double start = now();
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < n; i++) {
            pid_t child = fork();
            if (child == 0)
                _exit(0);
            if (child < 0 || waitpid(child, NULL, 0) != child)
                _exit(1);
        }
        _exit(0);
    }
    return wait_measure(pid, start);
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *values, int n)
{
    double sorted[64];
    memcpy(sorted, values, (size_t)n * sizeof *values);
    qsort(sorted, (size_t)n, sizeof sorted[0], compare_doubles);
    return sorted[n / 2];
}

/* Round r of every variant, one after the other, so that a change of
 * the machine's load hits all of them alike. */
static void run_round(variant *v, size_t count, int r, int checks,
                      const char *host, const char *plugin_dir,
                      const char *log_path)
{
    for (size_t i = 0; i < count; i++) {
        measure m = v[i].config ? run_host(host, plugin_dir, v[i].config,
                                           log_path, 0, v[i].forkserver)
                                : bare_fork_loop(checks);
        if (m.exit_code != 0) {
            fprintf(stderr, "%s exited with %d (log: %s)\n", v[i].label,
                    m.exit_code, log_path);
            exit(1);
        }
        v[i].seconds[r] = m.seconds;
        v[i].cpu[r] = m.cpu_seconds;
    }
}

/* Per check, in ms: median(v) - median(empty), over checks. */
static double per_check(variant *v, variant *empty, int reps, int checks,
                        int cpu)
{
    double a = cpu ? median(v->cpu, reps) : median(v->seconds, reps);
    double b = cpu ? median(empty->cpu, reps) : median(empty->seconds, reps);
    return (a - b) * 1e3 / checks;
}

typedef struct options {
    int checks, repetitions, both;
    int workers[2];
    int worker_count;
    const char *host, *plugin_dir;
} options;

static int parse_workers(const char *text, options *o)
{
    o->worker_count =
        sscanf(text, "%d,%d", &o->workers[0], &o->workers[1]) == 2 ? 2 : 1;
    if (o->worker_count == 1)
        o->workers[0] = atoi(text);
    for (int i = 0; i < o->worker_count; i++) {
        if (o->workers[i] < 1)
            return -1;
    }
    return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            o->checks = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc) {
            if (parse_workers(argv[++i], o) != 0)
                return -1;
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            o->repetitions = atoi(argv[++i]);
        else if (strcmp(argv[i], "-b") == 0)
            o->both = 1;
        else if (strcmp(argv[i], "--host") == 0 && i + 1 < argc)
            o->host = argv[++i];
        else if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
            o->plugin_dir = argv[++i];
        else
            return -1;
    }
    return o->repetitions < 1 || o->repetitions > 64 || o->checks < 1 ? -1 : 0;
}

int main(int argc, char **argv)
{
    options o = {.checks = 1000,
                 .repetitions = 5,
                 .workers = {1, 0},
                 .worker_count = 1,
                 .host = NBAQ_BENCH_HOST,
                 .plugin_dir = NBAQ_BENCH_PLUGIN_DIR};
    if (argc == 3 && strcmp(argv[1], "--fork-loop") == 0) {
        /* The reference alone (fork_cost.sh runs it with and without the
         * host's libraries loaded). */
        int n = atoi(argv[2]);
        measure m = bare_fork_loop(n > 0 ? n : 1);
        printf("%.3f ms wall, %.3f ms CPU per fork\n", m.seconds * 1e3 / n,
               m.cpu_seconds * 1e3 / n);
        return m.exit_code;
    }
    if (parse_args(argc, argv, &o) != 0) {
        fprintf(stderr,
                "usage: %s [-n checks] [-w workers[,workers]] [-r reps] [-b] "
                "[--host PATH] [--plugin-dir DIR]\n",
                argv[0]);
        return 64;
    }
    char dir[] = "/tmp/nbaq-bench-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    char empty[256], log_path[256], full[2][256];
    snprintf(empty, sizeof empty, "%s/empty.yaml", dir);
    snprintf(log_path, sizeof log_path, "%s/host.log", dir);
    write_config(empty, 0, 1);
    /* [0] bare fork loop, [1] empty config, then per worker count: with
     * the fork server and, with -b, with the host forking. */
    variant v[2 + 2 * 2];
    size_t count = 0;
    v[count++] = (variant){.label = "bare fork loop"};
    v[count++] = (variant){.label = "empty", .config = empty, .forkserver = 1};
    for (int w = 0; w < o.worker_count; w++) {
        snprintf(full[w], sizeof full[w], "%s/full-%d.yaml", dir, w);
        write_config(full[w], o.checks, o.workers[w]);
        v[count++] = (variant){
            .label = "fork server", .config = full[w], .forkserver = 1};
        if (o.both)
            v[count++] = (variant){
                .label = "host forks", .config = full[w], .forkserver = 0};
    }
    for (int r = 0; r < o.repetitions; r++)
        run_round(v, count, r, o.checks, o.host, o.plugin_dir, log_path);

    double bare = median(v[0].seconds, o.repetitions) * 1e3 / o.checks;
    double bare_cpu = median(v[0].cpu, o.repetitions) * 1e3 / o.checks;
    printf("checks: %d, repetitions: %d (medians of alternating runs)\n",
           o.checks, o.repetitions);
    printf("host start and exit, no checks: %.1f ms\n",
           median(v[1].seconds, o.repetitions) * 1e3);
    printf("reference, bare fork()+_exit()+waitpid(): %.3f ms wall, "
           "%.3f ms CPU per fork\n",
           bare, bare_cpu);
    double first[2] = {0, 0};
    for (size_t i = 2; i < count; i++) {
        int w = (int)(i - 2) / (o.both ? 2 : 1);
        double wall = per_check(&v[i], &v[1], o.repetitions, o.checks, 0);
        double cpu = per_check(&v[i], &v[1], o.repetitions, o.checks, 1);
        printf("workers %d, %s: run %.1f ms, host overhead per isolated "
               "check %.3f ms wall (%.2fx the bare fork), %.3f ms CPU "
               "(%.2fx)\n",
               o.workers[w], v[i].label,
               median(v[i].seconds, o.repetitions) * 1e3, wall, wall / bare,
               cpu, cpu / bare_cpu);
        int kind = (int)(i - 2) % (o.both ? 2 : 1);
        if (w == 0)
            first[kind] = wall;
        else
            printf("  throughput with %d workers: %.2fx that with %d\n",
                   o.workers[1], first[kind] / wall, o.workers[0]);
    }
    measure rss = run_host(o.host, o.plugin_dir, full[o.worker_count - 1],
                           log_path, 1, 1);
    printf("peak RSS of the host: %.1f MiB\n", rss.host_rss_kib / 1024.0);
    printf("peak RSS, host and children (wait4): %.1f MiB\n",
           rss.maxrss_kib / 1024.0);
    unlink(empty);
    for (int w = 0; w < o.worker_count; w++)
        unlink(full[w]);
    unlink(log_path);
    rmdir(dir);
    return 0;
}
