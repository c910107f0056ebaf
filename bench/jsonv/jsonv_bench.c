/*
 * jsonv_bench.c - validation throughput on one core: nbaq's validator
 * (lib/jsonv) against cJSON, over every file of a directory.
 *
 *   jsonv_bench [--tool jsonv|cjson] [--chunk BYTES] [--repeat N]
 *               [--stream] [--verdicts] DIR
 *
 * Default: each file is read into memory first, then validated --repeat
 * times (best time kept), so that the figure is CPU time, not disk time.
 * jsonv is fed --chunk bytes at a time (default 64 KiB, as a GET body
 * arrives); cJSON parses the whole buffer (it cannot stream), one line at
 * a time for .jsonl/.ndjson files. Prints files, bytes, valid files and
 * MB/s (1 MB = 10^6 bytes).
 *
 * --stream: jsonv only, reading each file from disk --chunk bytes at a
 * time, as the checker does; with the peak RSS at the end, this shows the
 * memory does not depend on file size.
 * --verdicts: print "<file>: <verdict>" for each file (for comparisons).
 * --ws KERNEL: skip whitespace and build the structural index with that
 * kernel (scalar, sse2, avx2, avx512) instead of the one chosen for the
 * CPU (see jsonv_ws.h, jsonv_blocks.h).
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jsonv.h"
#include "jsonv_ws.h"

typedef struct bench_options {
    const char *tool;
    size_t chunk;
    int repeat;
    int stream;
    int verdicts;
    const char *dir;
} bench_options;

typedef struct totals {
    size_t files;
    size_t valid;
    unsigned long long bytes;
    double seconds;
} totals;

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int is_lines_file(const char *name)
{
    size_t n = strlen(name);
    return (n > 6 && strcmp(name + n - 6, ".jsonl") == 0) ||
           (n > 7 && strcmp(name + n - 7, ".ndjson") == 0);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the regular files in dir, sorted; NULL-terminated. */
static char **list_files(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "jsonv_bench: %s: %s\n", dir, strerror(errno));
        return NULL;
    }
    size_t n = 0, cap = 64;
    char **names = malloc(cap * sizeof *names);
    struct dirent *e;
    while (names && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (n + 1 >= cap) {
            cap *= 2;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (!names)
        return NULL;
    qsort(names, n, sizeof *names, compare_names);
    names[n] = NULL;
    *count = n;
    return names;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        fclose(f);
        return NULL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!buf || got != (size_t)st.st_size) {
        free(buf);
        return NULL;
    }
    buf[got] = '\0';
    *len = got;
    return buf;
}

static int run_jsonv(jsonv_validator *v, const char *buf, size_t len,
                     size_t chunk)
{
    jsonv_reset(v);
    for (size_t at = 0; at < len; at += chunk)
        if (jsonv_feed(v, buf + at, len - at < chunk ? len - at : chunk))
            break;
    return jsonv_finish(v) == 0;
}

static int run_cjson(const char *buf, size_t len, int lines)
{
    if (!lines) {
        cJSON *doc = cJSON_ParseWithLength(buf, len);
        cJSON_Delete(doc);
        return doc != NULL;
    }
    int ok = 1;
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        if (stop > p) {
            cJSON *doc = cJSON_ParseWithLength(p, (size_t)(stop - p));
            ok &= doc != NULL;
            cJSON_Delete(doc);
        }
        p = stop + 1;
    }
    return ok;
}

/* Validates one in-memory file --repeat times; adds the best time. */
static void bench_file(const bench_options *o, const char *name,
                       const char *buf, size_t len, totals *t)
{
    int lines = is_lines_file(name);
    jsonv_options opt = {.mode =
                             lines ? JSONV_MODE_LINES : JSONV_MODE_DOCUMENT};
    jsonv_validator *v = jsonv_new(&opt);
    double best = 1e30;
    int valid = 0;
    for (int r = 0; r < o->repeat; r++) {
        double start = now_seconds();
        if (strcmp(o->tool, "cjson") == 0)
            valid = run_cjson(buf, len, lines);
        else
            valid = run_jsonv(v, buf, len, o->chunk);
        double took = now_seconds() - start;
        if (took < best)
            best = took;
    }
    if (o->verdicts) {
        char desc[256];
        if (strcmp(o->tool, "cjson") == 0)
            printf("%s: %s\n", name, valid ? "valid" : "invalid");
        else
            printf("%s: %s\n", name,
                   jsonv_describe(jsonv_get_result(v), desc, sizeof desc));
    }
    jsonv_free(v);
    t->files++;
    t->valid += (size_t)valid;
    t->bytes += len;
    t->seconds += best;
}

/* Reads a file from disk chunk by chunk into the validator. */
static int stream_file(const bench_options *o, const char *path,
                       const char *name, char *chunk, totals *t)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    jsonv_options opt = {.mode = is_lines_file(name) ? JSONV_MODE_LINES
                                                     : JSONV_MODE_DOCUMENT};
    jsonv_validator *v = jsonv_new(&opt);
    double start = now_seconds();
    ssize_t got;
    while ((got = read(fd, chunk, o->chunk)) > 0) {
        t->bytes += (unsigned long long)got;
        if (jsonv_feed(v, chunk, (size_t)got))
            break;
    }
    close(fd);
    t->valid += jsonv_finish(v) == 0;
    t->seconds += now_seconds() - start;
    t->files++;
    jsonv_free(v);
    return 0;
}

/* --ws NAME: the vector kernel to use instead of the chosen one. */
static int use_ws_kernel(const char *name)
{
    for (int k = 0; k < JSONV_WS_KERNELS; k++) {
        if (strcmp(name, jsonv_ws_kernel_name((jsonv_ws_kernel)k)) == 0) {
            if (jsonv_ws_use((jsonv_ws_kernel)k) == 0)
                return 0;
            fprintf(stderr, "jsonv_bench: %s cannot run here\n", name);
            return -1;
        }
    }
    return -1;
}

static int parse_args(int argc, char **argv, bench_options *o)
{
    *o = (bench_options){.tool = "jsonv", .chunk = 65536, .repeat = 3};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--tool") == 0 && i + 1 < argc)
            o->tool = argv[++i];
        else if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc)
            o->chunk = (size_t)strtoull(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
            o->repeat = atoi(argv[++i]);
        else if (strcmp(argv[i], "--stream") == 0)
            o->stream = 1;
        else if (strcmp(argv[i], "--verdicts") == 0)
            o->verdicts = 1;
        else if (strcmp(argv[i], "--ws") == 0 && i + 1 < argc) {
            if (use_ws_kernel(argv[++i]))
                return -1;
        } else if (argv[i][0] != '-' && !o->dir)
            o->dir = argv[i];
        else
            return -1;
    }
    if (!o->dir || o->chunk == 0 || o->repeat < 1 ||
        (strcmp(o->tool, "jsonv") != 0 && strcmp(o->tool, "cjson") != 0) ||
        (o->stream && strcmp(o->tool, "jsonv") != 0))
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    bench_options o;
    if (parse_args(argc, argv, &o)) {
        fprintf(stderr, "usage: jsonv_bench [--tool jsonv|cjson] [--chunk "
                        "BYTES] [--repeat N] [--stream] [--verdicts] [--ws "
                        "scalar|sse2|sse42|avx2|avx512] DIR\n");
        return 64;
    }
    size_t count = 0;
    char **names = list_files(o.dir, &count);
    if (!names)
        return 1;
    totals t = {0};
    char *chunk = o.stream ? malloc(o.chunk) : NULL;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o.dir, names[i]);
        if (o.stream) {
            if (stream_file(&o, path, names[i], chunk, &t))
                fprintf(stderr, "jsonv_bench: cannot read %s\n", path);
            continue;
        }
        size_t len;
        char *buf = read_file(path, &len);
        if (!buf) {
            fprintf(stderr, "jsonv_bench: cannot read %s\n", path);
            continue;
        }
        bench_file(&o, names[i], buf, len, &t);
        free(buf);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-6s %s: %zu files, %.1f MB, %zu valid, %.3f s, %.0f MB/s, "
           "peak RSS %ld KB\n",
           o.tool, o.stream ? "stream" : "memory", t.files,
           (double)t.bytes / 1e6, t.valid, t.seconds,
           (double)t.bytes / 1e6 / t.seconds, ru.ru_maxrss);
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    free(chunk);
    return 0;
}
