/*
 * The S3 backend: ListObjectsV2 pages streamed through the expat page
 * parser, and GETs of many objects at once over one curl multi handle.
 */
#include "objstore_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ERROR_CAPTURE (64 * 1024)
#define RETRY_BASE_MS 250

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static const char *region_of(const nbaq_objstore_config *cfg)
{
    const char *region = nbaq_aws_region(cfg->region, NULL);
    return region != NULL ? region : "us-east-1";
}

/* Credentials are optional: none found means unsigned requests.        */
static int resolve_credentials(nbaq_objstore *s, char *err, size_t err_size)
{
    const nbaq_objstore_config *cfg = &s->cfg;
    nbaq_aws_credential_options sources = {
        .access_key_id = cfg->access_key_id,
        .secret_access_key = cfg->secret_access_key,
        .session_token = cfg->session_token,
        .profile = cfg->profile,
        .credentials_file = cfg->credentials_file};

    return nbaq_aws_credentials_resolve(&sources, &s->creds, 0, err, err_size);
}

/* bucket_url for a custom endpoint: path style, or the bucket as the
 * first label of the endpoint's host.                                  */
static int endpoint_bucket_url(nbaq_objstore *s, const char *endpoint,
                               int path_style, char *err, size_t err_size)
{
    size_t len = strlen(endpoint);
    char *url;

    while (len > 0 && endpoint[len - 1] == '/')
        len--;
    if (strncmp(endpoint, "http://", 7) != 0 &&
        strncmp(endpoint, "https://", 8) != 0) {
        snprintf(err, err_size,
                 "endpoint '%.200s' must start with http:// or https://",
                 endpoint);
        return -1;
    }
    url = malloc(len + strlen(s->bucket) + 3);
    if (url == NULL)
        goto oom;
    if (path_style) {
        sprintf(url, "%.*s/%s", (int)len, endpoint, s->bucket);
    } else {
        const char *host = strstr(endpoint, "://") + 3;
        sprintf(url, "%.*s%s.%.*s", (int)(host - endpoint), endpoint, s->bucket,
                (int)(len - (size_t)(host - endpoint)), host);
    }
    s->bucket_url = url;
    return 0;
oom:
    snprintf(err, err_size, "out of memory");
    return -1;
}

static int aws_bucket_url(nbaq_objstore *s, int path_style)
{
    size_t n = strlen(s->bucket) + strlen(s->region) + 48;
    s->bucket_url = malloc(n);
    if (s->bucket_url == NULL)
        return -1;
    /* A dotted bucket name does not match the wildcard certificate.     */
    if (path_style || strchr(s->bucket, '.') != NULL)
        snprintf(s->bucket_url, n, "https://s3.%s.amazonaws.com/%s", s->region,
                 s->bucket);
    else
        snprintf(s->bucket_url, n, "https://%s.s3.%s.amazonaws.com", s->bucket,
                 s->region);
    return 0;
}

static int describe(nbaq_objstore *s)
{
    size_t n = strlen(s->bucket) + strlen(s->prefix) + 8;
    const char *id = s->creds.access_key_id;
    const char *ca = s->ca_file;
    size_t m = strlen(s->bucket_url) + strlen(s->prefix) + 72;

    s->location = malloc(n);
    s->identity = malloc(m);
    if (s->location == NULL || s->identity == NULL)
        return -1;
    snprintf(s->location, n, "s3://%s/%s", s->bucket, s->prefix);
    /* The key id and the CA file are folded into hashes: a listing made
     * with one set of keys, or trusting one CA, is not replayed to a
     * check configured with another.                                   */
    snprintf(
        s->identity, m, "s3 %s %s %016llx %016llx", s->bucket_url, s->prefix,
        (unsigned long long)objstore_fnv1a(id, id != NULL ? strlen(id) : 0),
        (unsigned long long)objstore_fnv1a(ca, ca != NULL ? strlen(ca) : 0));
    return 0;
}

int objstore_s3_open(nbaq_objstore *s, char *err, size_t err_size)
{
    const nbaq_objstore_config *cfg = &s->cfg;
    int path_style = cfg->path_style > 0 ||
                     (cfg->path_style == 0 && nonempty(cfg->endpoint));

    s->region = strdup(region_of(cfg));
    if (s->region == NULL)
        goto oom;
    if (nonempty(cfg->endpoint)) {
        if (endpoint_bucket_url(s, cfg->endpoint, path_style, err, err_size) !=
            0)
            return -1;
    } else if (aws_bucket_url(s, path_style) != 0) {
        goto oom;
    }
    if (resolve_credentials(s, err, err_size) != 0)
        return -1;
    s->signed_requests = s->creds.access_key_id != NULL;
    s->sigv4 =
        (nbaq_http_sigv4){.access_key_id = s->creds.access_key_id,
                          .secret_access_key = s->creds.secret_access_key,
                          .session_token = s->creds.session_token,
                          .region = s->region,
                          .service = "s3"};
    if (describe(s) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, err_size, "out of memory");
    return -1;
}

int s3_ensure_client(nbaq_objstore *s, char *err, size_t err_size)
{
    if (s->http == NULL)
        s->http = nbaq_http_client_new(err, err_size);
    return s->http != NULL ? 0 : -1;
}

void s3_base_request(const nbaq_objstore *s, nbaq_http_request *req)
{
    memset(req, 0, sizeof *req);
    req->sigv4 = s->signed_requests ? &s->sigv4 : NULL;
    req->connect_timeout_ms = s->cfg.connect_timeout_ms;
    req->timeout_ms = s->cfg.request_timeout_ms;
    req->max_retries = s->cfg.max_retries;
    req->retry_base_ms = RETRY_BASE_MS;
    req->max_capture = ERROR_CAPTURE;
    req->ca_file = s->ca_file;
}

nbaq_objstore_errkind s3_failure_kind(nbaq_http_failure f)
{
    return f == NBAQ_HTTP_FAIL_OTHER ? NBAQ_OBJSTORE_ERR_CONFIG
                                     : NBAQ_OBJSTORE_ERR_NETWORK;
}

/* Judges a non-2xx status; fills err about `what`.                      */
nbaq_objstore_errkind s3_judge_status(const nbaq_objstore *s,
                                      const nbaq_http_response *resp,
                                      const char *what, char *err,
                                      size_t err_size)
{
    char code[128], message[300];
    long st = resp->status;

    s3_error_parse(resp->body, resp->body_len, code, sizeof code, message,
                   sizeof message);
    const char *secrets[] = {s->creds.secret_access_key,
                             s->creds.session_token};
    nbaq_http_scrub(code, sizeof code, secrets, 2);
    nbaq_http_scrub(message, sizeof message, secrets, 2);
    const char *sep = code[0] && message[0] ? ": " : "";
    if (st == 401 || st == 403) {
        snprintf(err, err_size,
                 "%s: access denied, HTTP %ld %s%s%s (credentials from %s)",
                 what, st, code, sep, message, s->creds.source);
        return NBAQ_OBJSTORE_ERR_DENIED;
    }
    if (st == 404) {
        if (strcmp(code, "NoSuchBucket") == 0)
            snprintf(err, err_size,
                     "%s: bucket %s does not exist (HTTP 404 "
                     "NoSuchBucket)",
                     what, s->bucket);
        else
            snprintf(err, err_size, "%s: not found, HTTP 404 %s%s%s", what,
                     code, sep, message);
        return NBAQ_OBJSTORE_ERR_NOT_FOUND;
    }
    if (st >= 500 || st == 429) {
        snprintf(err, err_size, "%s: server error HTTP %ld %s after %u tries",
                 what, st, code, resp->attempts);
        return NBAQ_OBJSTORE_ERR_SERVER;
    }
    if (st == 301 || st == 307 || st == 400) {
        snprintf(err, err_size,
                 "%s: HTTP %ld %s%s%s (wrong region or endpoint?)", what, st,
                 code, sep, message);
        return NBAQ_OBJSTORE_ERR_CONFIG;
    }
    snprintf(err, err_size, "%s: unexpected HTTP %ld %s%s%s", what, st, code,
             sep, message);
    return NBAQ_OBJSTORE_ERR_PROTOCOL;
}

/* --- listing ------------------------------------------------------------ */

int s3_feed_page(void *user, const void *data, size_t len)
{
    s3_page_feed_state *f = user;
    if (s3_page_feed(f->page, data, len) != 0) {
        f->bad_xml = 1;
        return 1;
    }
    return 0;
}

char *s3_list_url(const nbaq_objstore *s, const char *prefix,
                  const char *delimiter, const char *token)
{
    size_t plen = strlen(prefix), tlen = token ? strlen(token) : 0;
    size_t n = strlen(s->bucket_url) + 3 * (plen + tlen) + 96;
    char *url = malloc(n), *p;

    if (url == NULL)
        return NULL;
    /* Parameters in byte order: this is the SigV4 canonical query.     */
    p = url + sprintf(url, "%s/?", s->bucket_url);
    if (token != NULL) {
        p += sprintf(p, "continuation-token=");
        p += nbaq_http_uri_encode(token, tlen, 0, p, n - (size_t)(p - url));
        *p++ = '&';
    }
    if (delimiter != NULL) /* only "/": no encoding needed */
        p += sprintf(p, "delimiter=%%2F&");
    p += sprintf(p, "list-type=2&max-keys=%u&prefix=", s->cfg.page_size);
    nbaq_http_uri_encode(prefix, plen, 0, p, n - (size_t)(p - url));
    return url;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {.tv_sec = ms / 1000,
                          .tv_nsec = (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* One page, retried from its start when it broke off mid-body.          */
int s3_fetch_page(nbaq_objstore *s, objstore_listing *l, s3_page *page,
                  const char *delimiter, const char *token, char *err,
                  size_t err_size)
{
    char *url = s3_list_url(s, s->prefix, delimiter, token);
    nbaq_http_request req;
    nbaq_http_response resp;
    s3_page_feed_state feed = {.page = page};
    int rc = -1;

    if (url == NULL)
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "out of memory");
    s3_base_request(s, &req);
    req.url = url;
    req.what = s->location;
    req.sink = s3_feed_page;
    req.user = &feed;
    for (unsigned attempt = 0;; attempt++) {
        char http_err[1024] = "";
        s3_page_begin(page);
        feed.bad_xml = 0;
        int got = nbaq_http_client_perform(s->http, &req, &resp, http_err,
                                           sizeof http_err);
        l->info->pages++;
        if (got != 0 && feed.bad_xml) {
            char why[400];
            s3_page_end(page, why, sizeof why);
            rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_PROTOCOL, err,
                               err_size, "listing %s, page %llu: %s",
                               s->location, (unsigned long long)l->info->pages,
                               why);
        } else if (got != 0 && resp.sunk_bytes > 0 &&
                   (resp.failure == NBAQ_HTTP_FAIL_TIMEOUT ||
                    resp.failure == NBAQ_HTTP_FAIL_NETWORK) &&
                   attempt < s->cfg.max_retries) {
            nbaq_http_response_free(&resp);
            sleep_ms((int64_t)RETRY_BASE_MS << attempt);
            continue;
        } else if (got != 0) {
            rc = objstore_fail(l->info, s3_failure_kind(resp.failure), err,
                               err_size, "%s", http_err);
        } else if (resp.status != 200) {
            l->info->error =
                s3_judge_status(s, &resp, s->location, err, err_size);
        } else if (s3_page_end(page, http_err, sizeof http_err) != 0) {
            rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_PROTOCOL, err,
                               err_size, "listing %s, page %llu: %s",
                               s->location, (unsigned long long)l->info->pages,
                               http_err);
        } else {
            rc = 0;
        }
        break;
    }
    nbaq_http_response_free(&resp);
    free(url);
    return rc;
}

int s3_emit_page(nbaq_objstore *s, objstore_listing *l, const s3_page *page,
                 char *err, size_t err_size)
{
    size_t plen = strlen(s->prefix);

    for (size_t i = 0; i < s3_page_count(page); i++) {
        nbaq_objstore_object o;
        s3_page_object(page, i, &o);
        if (strncmp(o.key, s->prefix, plen) == 0)
            o.name = o.key + plen;
        if (objstore_emit(l, &o, err, err_size) != 0)
            return -1;
    }
    return 0;
}

int s3_list_pages(nbaq_objstore *s, objstore_listing *l, const char *delimiter,
                  s3_page_fn on_page, void *user, char *err, size_t err_size)
{
    s3_page *page;
    char *token = NULL;
    int rc = 0;

    page = s3_page_new();
    if (page == NULL)
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "out of memory");
    for (uint64_t n = 0;; n++) {
        if (n == s->cfg.max_pages) {
            rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_LIMIT, err, err_size,
                               "listing %s did not end after %llu pages "
                               "(max_pages)",
                               s->location, (unsigned long long)n);
            break;
        }
        rc = s3_fetch_page(s, l, page, delimiter, token, err, err_size);
        if (rc == 0)
            rc = s3_emit_page(s, l, page, err, err_size);
        if (rc == 0 && on_page != NULL)
            rc = on_page(user, page, err, err_size);
        if (rc != 0 || !s3_page_is_truncated(page))
            break;
        free(token);
        token = strdup(s3_page_next_token(page));
        if (token == NULL) {
            rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                               "out of memory");
            break;
        }
    }
    free(token);
    s3_page_free(page);
    return rc;
}

int objstore_s3_list(nbaq_objstore *s, objstore_listing *l, char *err,
                     size_t err_size)
{
    if (s3_ensure_client(s, err, err_size) != 0)
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "listing %s: cannot set up curl", s->location);
    if (s->cfg.connections > 1)
        return objstore_s3_list_parallel(s, l, err, err_size);
    return s3_list_pages(s, l, NULL, NULL, NULL, err, err_size);
}

/* --- GETs --------------------------------------------------------------- */

typedef struct get_state {
    nbaq_objstore *store;
    const nbaq_objstore_get_callbacks *cb;
    size_t index;
    uint64_t max_bytes;
    uint64_t delivered;
    int too_large;
    int stopped;
    char *url;
    char *what;
} get_state;

static int get_head(void *user, long status, int64_t length)
{
    get_state *g = user;
    if (status >= 200 && status < 300 && g->max_bytes > 0 && length >= 0 &&
        (uint64_t)length > g->max_bytes) {
        g->too_large = 1;
        return 1;
    }
    return 0;
}

static int get_data(void *user, const void *data, size_t len)
{
    get_state *g = user;
    size_t take = len;

    if (g->max_bytes > 0 && g->delivered + len > g->max_bytes) {
        take = (size_t)(g->max_bytes - g->delivered);
        g->too_large = 1;
    }
    if (take > 0) {
        if (g->cb->on_data != NULL &&
            g->cb->on_data(g->cb->user, g->index, data, take) != 0) {
            g->stopped = 1;
            return 1;
        }
        g->delivered += take;
    }
    return g->too_large ? 1 : 0;
}

typedef struct get_batch {
    get_state *states;
    const char *const *keys;
} get_batch;

static void get_done(void *user, size_t index, const nbaq_http_response *resp,
                     const char *http_err)
{
    get_batch *b = user;
    get_state *g = &b->states[index];
    char message[1024] = "";
    nbaq_objstore_get_result r = {.key = b->keys[index],
                                  .error = NBAQ_OBJSTORE_OK,
                                  .message = message,
                                  .bytes = g->delivered,
                                  .size = resp->content_length,
                                  .http_status = resp->status};

    if (g->too_large) {
        r.error = NBAQ_OBJSTORE_ERR_TOO_LARGE;
        if (resp->content_length >= 0)
            snprintf(message, sizeof message,
                     "%s: %lld bytes, over the cap of %llu", g->what,
                     (long long)resp->content_length,
                     (unsigned long long)g->max_bytes);
        else
            snprintf(message, sizeof message,
                     "%s: larger than the cap of %llu bytes", g->what,
                     (unsigned long long)g->max_bytes);
    } else if (g->stopped) {
        r.error = NBAQ_OBJSTORE_ERR_ABORTED;
        snprintf(message, sizeof message, "%s: reading stopped by the checker",
                 g->what);
    } else if (resp->failure != NBAQ_HTTP_FAIL_NONE) {
        r.error = s3_failure_kind(resp->failure);
        snprintf(message, sizeof message, "%s", http_err);
    } else if (resp->status < 200 || resp->status >= 300) {
        r.size = -1; /* the length was the error document's */
        r.error =
            s3_judge_status(g->store, resp, g->what, message, sizeof message);
    }
    if (g->cb->on_done != NULL)
        g->cb->on_done(g->cb->user, index, &r);
}

static int prepare_get(nbaq_objstore *s, const char *key, get_state *g,
                       nbaq_http_request *req)
{
    size_t klen = strlen(key);
    size_t n = strlen(s->bucket_url) + 3 * klen + 2;

    g->url = malloc(n);
    g->what = malloc(strlen(s->bucket) + klen + 8);
    if (g->url == NULL || g->what == NULL)
        return -1;
    size_t base = (size_t)sprintf(g->url, "%s/", s->bucket_url);
    nbaq_http_uri_encode(key, klen, 1, g->url + base, n - base);
    sprintf(g->what, "s3://%s/%s", s->bucket, key);
    s3_base_request(s, req);
    req->url = g->url;
    req->what = g->what;
    req->on_head = get_head;
    req->sink = get_data;
    req->user = g;
    return 0;
}

int objstore_s3_get_many(nbaq_objstore *s, const char *const *keys,
                         size_t count, uint64_t max_bytes,
                         const nbaq_objstore_get_callbacks *cb, char *err,
                         size_t err_size)
{
    get_state *states = calloc(count, sizeof *states);
    nbaq_http_request *reqs = calloc(count, sizeof *reqs);
    nbaq_http_response *resps = calloc(count, sizeof *resps);
    get_batch batch = {.states = states, .keys = keys};
    int rc = -1;

    if (states == NULL || reqs == NULL || resps == NULL) {
        snprintf(err, err_size, "out of memory");
        goto out;
    }
    if (s3_ensure_client(s, err, err_size) != 0)
        goto out;
    for (size_t i = 0; i < count; i++) {
        states[i] = (get_state){
            .store = s, .cb = cb, .index = i, .max_bytes = max_bytes};
        if (prepare_get(s, keys[i], &states[i], &reqs[i]) != 0) {
            snprintf(err, err_size, "out of memory");
            goto out;
        }
    }
    rc = nbaq_http_client_perform_many(s->http, reqs, resps, count,
                                       s->cfg.max_parallel, get_done, &batch,
                                       err, err_size);
out:
    for (size_t i = 0; states != NULL && i < count; i++) {
        free(states[i].url);
        free(states[i].what);
        if (resps != NULL)
            nbaq_http_response_free(&resps[i]);
    }
    free(states);
    free(reqs);
    free(resps);
    return rc;
}
