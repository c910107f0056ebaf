/*
 * objstore_probe - drives lib/objstore from the command line, for the
 * script tests (and by hand).
 *
 *   objstore_probe [options] list URL
 *       one line per object: O <TAB> size <TAB> mtime_ms <TAB> etag <TAB> key
 *       then: END objects=N bytes=N pages=N skipped=N from_cache=N
 *   objstore_probe [options] get URL KEY...
 *       per key: R <TAB> index <TAB> kind <TAB> bytes <TAB> size <TAB>
 *                sha-ish checksum (FNV-1a 64 of the body) <TAB> message
 *   On failure of the call itself: "ERROR <kind>: <message>", exit 1.
 *   A callback called outside the caller's thread (the contract of
 *   objstore.h): "ERROR thread: ...", exit 1.
 *
 * options: --endpoint URL --region R --path-style 0|1 --access-key ID
 *   --secret-key-env VAR (the secret is read from that variable)
 *   --profile P --credentials-file F --ca-file F --page-size N --max-pages N
 *   --cache-dir D --retries N --timeout-ms N --parallel N --max-bytes N
 *   --connections N (listing) --inventory s3://... (read it, not list)
 */
#include "objstore.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct body_sum {
    uint64_t hash;
} body_sum;

static pthread_t caller;
static int foreign_callbacks;

static int print_object(void *user, const nbaq_objstore_object *o)
{
    (void)user;
    if (!pthread_equal(pthread_self(), caller))
        foreign_callbacks++;
    printf("O\t%" PRIu64 "\t%" PRId64 "\t%s\t%s\n", o->size, o->mtime_ms,
           o->etag, o->key);
    return 0;
}

static int on_data(void *user, size_t index, const void *data, size_t len)
{
    body_sum *sums = user;
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        sums[index].hash ^= p[i];
        sums[index].hash *= 1099511628211ull;
    }
    return 0;
}

static void on_done(void *user, size_t index, const nbaq_objstore_get_result *r)
{
    body_sum *sums = user;
    printf("R\t%zu\t%s\t%" PRIu64 "\t%" PRId64 "\t%016" PRIx64 "\t%s\n", index,
           nbaq_objstore_errkind_name(r->error), r->bytes, r->size,
           sums[index].hash, r->message);
}

static int usage(void)
{
    fprintf(stderr, "usage: objstore_probe [options] list URL | get URL "
                    "KEY...\n");
    return 64;
}

int main(int argc, char **argv)
{
    nbaq_objstore_config cfg = {0};
    uint64_t max_bytes = 0;
    int i = 1;
    char err[1024];

    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *k = argv[i] + 2, *v = argv[i + 1];
        if (strcmp(k, "endpoint") == 0)
            cfg.endpoint = v;
        else if (strcmp(k, "region") == 0)
            cfg.region = v;
        else if (strcmp(k, "path-style") == 0)
            cfg.path_style = atoi(v) ? 1 : -1;
        else if (strcmp(k, "access-key") == 0)
            cfg.access_key_id = v;
        else if (strcmp(k, "secret-key-env") == 0)
            cfg.secret_access_key = getenv(v);
        else if (strcmp(k, "profile") == 0)
            cfg.profile = v;
        else if (strcmp(k, "credentials-file") == 0)
            cfg.credentials_file = v;
        else if (strcmp(k, "ca-file") == 0)
            cfg.ca_file = v;
        else if (strcmp(k, "page-size") == 0)
            cfg.page_size = (unsigned)atoi(v);
        else if (strcmp(k, "max-pages") == 0)
            cfg.max_pages = strtoull(v, NULL, 10);
        else if (strcmp(k, "cache-dir") == 0)
            cfg.cache_dir = v;
        else if (strcmp(k, "retries") == 0)
            cfg.max_retries = (unsigned)atoi(v);
        else if (strcmp(k, "timeout-ms") == 0)
            cfg.request_timeout_ms = atoll(v);
        else if (strcmp(k, "parallel") == 0)
            cfg.max_parallel = (unsigned)atoi(v);
        else if (strcmp(k, "connections") == 0)
            cfg.connections = (unsigned)atoi(v);
        else if (strcmp(k, "inventory") == 0)
            cfg.inventory = v;
        else if (strcmp(k, "max-bytes") == 0)
            max_bytes = strtoull(v, NULL, 10);
        else
            return usage();
    }
    if (i + 2 > argc)
        return usage();
    const char *cmd = argv[i];
    cfg.url = argv[i + 1];

    nbaq_objstore *store;
    caller = pthread_self();
    if (nbaq_objstore_open(&cfg, &store, err, sizeof err) != 0) {
        printf("ERROR config: %s\n", err);
        return 1;
    }
    int rc = 0;
    if (strcmp(cmd, "list") == 0) {
        nbaq_objstore_list_info info;
        if (nbaq_objstore_list(store, print_object, NULL, &info, err,
                               sizeof err) != 0) {
            printf("ERROR %s: %s\n", nbaq_objstore_errkind_name(info.error),
                   err);
            rc = 1;
        }
        printf("END objects=%" PRIu64 " bytes=%" PRIu64 " pages=%" PRIu64
               " skipped=%" PRIu64 " from_cache=%d\n",
               info.objects, info.bytes, info.pages, info.skipped,
               info.from_cache);
        if (info.skipped)
            printf("SKIPPED %s\n", info.first_skipped);
        if (foreign_callbacks > 0) {
            printf("ERROR thread: %d objects passed on outside the caller's "
                   "thread\n",
                   foreign_callbacks);
            rc = 1;
        }
        if (info.inventory_ms > 0)
            printf("INVENTORY %" PRId64 " %s\n", info.inventory_ms,
                   info.inventory_manifest);
    } else if (strcmp(cmd, "get") == 0) {
        size_t n = (size_t)(argc - i - 2);
        body_sum *sums = calloc(n + 1, sizeof *sums);
        for (size_t k = 0; k < n; k++)
            sums[k].hash = 1469598103934665603ull;
        nbaq_objstore_get_callbacks cb = {on_data, on_done, sums};
        if (nbaq_objstore_get_many(store, (const char *const *)argv + i + 2, n,
                                   max_bytes, &cb, err, sizeof err) != 0) {
            printf("ERROR get: %s\n", err);
            rc = 1;
        }
        free(sums);
    } else {
        rc = usage();
    }
    nbaq_objstore_close(store);
    return rc;
}
