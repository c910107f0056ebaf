/*
 * objstore_bench - lists a location once through lib/objstore and prints
 * what it took:
 *   objects=N bytes=N pages=N wall_ms=N cpu_ms=N max_rss_kb=N from_cache=N
 * Usage: objstore_bench [--endpoint URL] [--page-size N] [--cache-dir DIR]
 *                       [--connections N] [--inventory URL] URL
 * --cache-dir: go through the run's listing cache in DIR, as a check of a
 * run does (the first lister writes it, later ones replay it).
 * Credentials come from the AWS_* environment (or the shared file).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "objstore.h"

static int count(void *user, const nbaq_objstore_object *o)
{
    (void)user;
    (void)o;
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
    nbaq_objstore_config cfg = {0};
    nbaq_objstore *store;
    nbaq_objstore_list_info info;
    struct rusage ru;
    char err[1024];
    int i = 1;

    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        if (strcmp(argv[i], "--endpoint") == 0)
            cfg.endpoint = argv[i + 1];
        else if (strcmp(argv[i], "--page-size") == 0)
            cfg.page_size = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--cache-dir") == 0)
            cfg.cache_dir = argv[i + 1];
        else if (strcmp(argv[i], "--connections") == 0)
            cfg.connections = (unsigned)atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--inventory") == 0)
            cfg.inventory = argv[i + 1];
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: objstore_bench [--endpoint URL] "
                        "[--page-size N] [--cache-dir DIR] [--connections N] "
                        "[--inventory URL] URL\n");
        return 64;
    }
    cfg.url = argv[i];
    cfg.max_retries = 3;
    int64_t start = now_ms();
    if (nbaq_objstore_open(&cfg, &store, err, sizeof err) != 0 ||
        nbaq_objstore_list(store, count, NULL, &info, err, sizeof err) != 0) {
        fprintf(stderr, "objstore_bench: %s\n", err);
        return 1;
    }
    int64_t wall = now_ms() - start;
    nbaq_objstore_close(store);
    getrusage(RUSAGE_SELF, &ru);
    printf("objects=%" PRIu64 " bytes=%" PRIu64 " pages=%" PRIu64
           " wall_ms=%" PRId64 " cpu_ms=%ld max_rss_kb=%ld from_cache=%d\n",
           info.objects, info.bytes, info.pages, wall,
           ru.ru_utime.tv_sec * 1000L + ru.ru_utime.tv_usec / 1000L +
               ru.ru_stime.tv_sec * 1000L + ru.ru_stime.tv_usec / 1000L,
           ru.ru_maxrss, info.from_cache);
    return 0;
}
