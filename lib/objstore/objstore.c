/*
 * The store: parses the URL, picks the backend, and runs listings through
 * the per-run cache.
 */
#include "objstore_internal.h"
#include "objstore_options.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_REQUEST_TIMEOUT_MS 60000
#define DEFAULT_MAX_RETRIES 3
#define DEFAULT_PAGE_SIZE 1000
#define DEFAULT_MAX_PAGES 100000
#define DEFAULT_PARALLEL 8
/* Sequential unless asked: see docs/objstore.md on servers whose
 * delimiter listings omit prefixes (s3rver 3.7).                        */
#define DEFAULT_CONNECTIONS 1

const char *nbaq_objstore_errkind_name(nbaq_objstore_errkind kind)
{
    static const char *const names[] = {
        "ok",    "config",    "network", "denied", "not found", "protocol",
        "limit", "too large", "io",      "server", "aborted"};
    if ((size_t)kind < sizeof names / sizeof names[0])
        return names[kind];
    return "error";
}

int objstore_fail(nbaq_objstore_list_info *info, nbaq_objstore_errkind kind,
                  char *err, size_t err_size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
    if (info != NULL)
        info->error = kind;
    return -1;
}

static void apply_defaults(nbaq_objstore_config *c)
{
    if (c->connect_timeout_ms <= 0)
        c->connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS;
    if (c->request_timeout_ms <= 0)
        c->request_timeout_ms = DEFAULT_REQUEST_TIMEOUT_MS;
    if (c->page_size == 0 || c->page_size > 1000)
        c->page_size = DEFAULT_PAGE_SIZE;
    if (c->max_pages == 0)
        c->max_pages = DEFAULT_MAX_PAGES;
    if (c->max_parallel == 0)
        c->max_parallel = DEFAULT_PARALLEL;
    if (c->connections == 0)
        c->connections = DEFAULT_CONNECTIONS;
}

static char *dup_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

/* s3://bucket[/prefix] */
static int parse_s3_url(nbaq_objstore *s, const char *rest, char *err,
                        size_t err_size)
{
    const char *slash = strchr(rest, '/');
    size_t bucket_len = slash ? (size_t)(slash - rest) : strlen(rest);

    s->bucket = strndup(rest, bucket_len);
    s->prefix = strdup(slash ? slash + 1 : "");
    if (s->bucket == NULL || s->prefix == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    return 0;
}

int nbaq_objstore_open(const nbaq_objstore_config *cfg, nbaq_objstore **out,
                       char *err, size_t err_size)
{
    nbaq_objstore *s = calloc(1, sizeof *s);
    const char *url = cfg->url;
    int rc;

    *out = NULL;
    if (s == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    s->cfg = *cfg;
    apply_defaults(&s->cfg);
    s->cache_dir = dup_or_null(cfg->cache_dir);
    s->ca_file = dup_or_null(cfg->ca_file);
    if (cfg->ca_file != NULL && cfg->ca_file[0] != '\0' && s->ca_file == NULL) {
        snprintf(err, err_size, "out of memory");
        rc = -1;
    } else if (nbaq_objstore_check_url(url, cfg->inventory, err, err_size) !=
               0) {
        rc = -1;
    } else if (strncmp(url, "s3://", 5) == 0) {
        s->backend = OBJSTORE_S3;
        rc = parse_s3_url(s, url + 5, err, err_size);
        if (rc == 0)
            rc = objstore_s3_open(s, err, err_size);
        if (rc == 0 && cfg->inventory != NULL && cfg->inventory[0] != '\0')
            rc = objstore_inventory_open(s, cfg->inventory, err, err_size);
    } else {
        s->backend = OBJSTORE_FILE;
        rc = objstore_file_open(
            s, strncmp(url, "file://", 7) == 0 ? url + 7 : url, err, err_size);
    }
    if (rc != 0) {
        nbaq_objstore_close(s);
        return -1;
    }
    /* Keep the configured strings only as our copies.                   */
    s->cfg.url = s->cfg.region = s->cfg.endpoint = NULL;
    s->cfg.access_key_id = s->cfg.secret_access_key = NULL;
    s->cfg.session_token = s->cfg.profile = s->cfg.credentials_file = NULL;
    s->cfg.inventory = NULL;
    s->cfg.cache_dir = s->cache_dir;
    s->cfg.ca_file = s->ca_file;
    *out = s;
    return 0;
}

void nbaq_objstore_close(nbaq_objstore *s)
{
    if (s == NULL)
        return;
    nbaq_objstore_close(s->inventory);
    nbaq_http_client_free(s->http);
    nbaq_aws_credentials_wipe(&s->creds);
    free(s->location);
    free(s->prefix);
    free(s->cache_dir);
    free(s->identity);
    free(s->bucket);
    free(s->region);
    free(s->bucket_url);
    free(s->ca_file);
    free(s->root);
    free(s);
}

const char *nbaq_objstore_location(const nbaq_objstore *s)
{
    return s->location;
}

const char *nbaq_objstore_prefix(const nbaq_objstore *s)
{
    return s->prefix;
}

int objstore_emit(objstore_listing *l, const nbaq_objstore_object *o, char *err,
                  size_t err_size)
{
    if (l->cache != NULL && objstore_cache_write_object(l->cache, o) != 0)
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "cannot write the listing cache");
    l->info->objects++;
    l->info->bytes += o->size;
    if (l->on_object(l->user, o) != 0)
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_ABORTED, err, err_size,
                             "listing stopped by the checker");
    return 0;
}

void objstore_skip(objstore_listing *l, const char *path, const char *reason)
{
    char text[sizeof l->info->first_skipped];

    snprintf(text, sizeof text, "%s: %s", path, reason);
    if (l->info->skipped++ == 0)
        snprintf(l->info->first_skipped, sizeof l->info->first_skipped, "%s",
                 text);
    if (l->cache != NULL)
        objstore_cache_write_skip(l->cache, text);
}

int nbaq_objstore_list(nbaq_objstore *s, nbaq_objstore_object_fn on_object,
                       void *user, nbaq_objstore_list_info *info, char *err,
                       size_t err_size)
{
    objstore_listing l = {.on_object = on_object, .user = user, .info = info};
    objstore_list_fn list =
        s->backend == OBJSTORE_S3 ? objstore_s3_list : objstore_file_list;

    memset(info, 0, sizeof *info);
    if (err_size > 0)
        err[0] = '\0';
    /* An inventory is read, not listed: it is not a listing to share.  */
    if (s->inventory != NULL)
        return objstore_inventory_list(s, &l, err, err_size);
    if (s->cache_dir != NULL)
        return objstore_cache_list(s, &l, list, err, err_size);
    return list(s, &l, err, err_size);
}

int nbaq_objstore_get_many(nbaq_objstore *s, const char *const *keys,
                           size_t count, uint64_t max_bytes,
                           const nbaq_objstore_get_callbacks *cb, char *err,
                           size_t err_size)
{
    if (count == 0)
        return 0;
    if (s->backend == OBJSTORE_S3)
        return objstore_s3_get_many(s, keys, count, max_bytes, cb, err,
                                    err_size);
    return objstore_file_get_many(s, keys, count, max_bytes, cb, err, err_size);
}
