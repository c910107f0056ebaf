/*
 * Prefix-parallel S3 listing. On S3 a ListObjectsV2 page costs a round
 * trip (tens of ms) for 1000 keys, so a big bucket listed page after page
 * is bound by latency, not bandwidth. This lister
 *   1. lists the store's prefix with delimiter "/": its objects are passed
 *      on at once, its CommonPrefixes are kept (strings only);
 *   2. lists every common prefix, config.connections at once, over the
 *      client's curl multi handle (nbaq_http_client_perform_many), in
 *      rounds: round k fetches page k of every prefix that has one.
 * A page is received whole, then parsed and passed on, after the request
 * taking its connection went out (lib/http reports a transfer once its
 * successor is sent): parsing, the check's one thread's work, overlaps
 * the next round trips instead of holding the connection. A page's body
 * is freed once parsed, so memory is at most two pages per connection
 * (one arriving, one waiting to be parsed) whatever the size of the
 * bucket.
 */
#include "objstore_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Requests handed to curl at once: a failure stops the listing after at
 * most this many more requests per connection.                          */
#define BATCH_PER_CONNECTION 16
/* The largest page kept: 1,000 keys of 1,024 bytes, escaped, with their
 * metadata, stay well below.                                            */
#define PAGE_MAX_BYTES (16u << 20)

typedef struct prefix_job {
    char *prefix;   /* full key prefix, e.g. "logs/2024/"          */
    char *location; /* "s3://bucket/logs/2024/", for messages      */
    char *token;    /* continuation token of the next page; NULL    */
    int done;
} prefix_job;

typedef struct job_list {
    prefix_job *jobs;
    size_t count, cap;
} job_list;

/* One request of a batch: its job and its response.                   */
typedef struct slot {
    struct lister *lister;
    prefix_job *job;
    char *url;
    nbaq_http_response *resp; /* its body freed once parsed             */
} slot;

typedef struct lister {
    nbaq_objstore *s;
    objstore_listing *l;
    s3_page *page; /* the one parser: pages are parsed one at a time    */
    unsigned connections;
    int failed;
    char *err;
    size_t err_size;
} lister;

static void jobs_free(job_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->jobs[i].prefix);
        free(list->jobs[i].location);
        free(list->jobs[i].token);
    }
    free(list->jobs);
}

static int jobs_add(job_list *list, const nbaq_objstore *s, const char *prefix)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        prefix_job *grown = realloc(list->jobs, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        list->jobs = grown;
        list->cap = cap;
    }
    prefix_job *j = &list->jobs[list->count];
    size_t n = strlen(s->bucket) + strlen(prefix) + 8;
    *j = (prefix_job){.prefix = strdup(prefix), .location = malloc(n)};
    if (j->prefix == NULL || j->location == NULL) {
        free(j->prefix);
        free(j->location);
        return -1;
    }
    snprintf(j->location, n, "s3://%s/%s", s->bucket, prefix);
    list->count++;
    return 0;
}

/* Step 1 keeps the CommonPrefixes of each page of the delimiter listing.
 * user is the job_list; the store rides along in jobs_add's messages.  */
typedef struct discovery {
    nbaq_objstore *s;
    objstore_listing *l;
    job_list *jobs;
} discovery;

static int keep_prefixes(void *user, const s3_page *page, char *err,
                         size_t err_size)
{
    discovery *d = user;
    for (size_t i = 0; i < s3_page_prefix_count(page); i++)
        if (jobs_add(d->jobs, d->s, s3_page_prefix(page, i)) != 0)
            return objstore_fail(d->l->info, NBAQ_OBJSTORE_ERR_IO, err,
                                 err_size, "out of memory");
    return 0;
}

static void fail(lister *ls, nbaq_objstore_errkind kind, const char *what,
                 const char *why)
{
    if (ls->failed)
        return;
    ls->failed = 1;
    objstore_fail(ls->l->info, kind, ls->err, ls->err_size, "listing %s: %s",
                  what, why);
}

/* Parses the body of a 200 response into the lister's page; 0, or -1
 * with why (bad XML, a page past PAGE_MAX_BYTES). */
static int parse_page(lister *ls, const nbaq_http_response *resp, char *why,
                      size_t why_size)
{
    if (resp->body_truncated) {
        snprintf(why, why_size, "a page larger than %u MiB",
                 PAGE_MAX_BYTES >> 20);
        return -1;
    }
    if (s3_page_begin(ls->page) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    if (resp->body_len > 0 &&
        s3_page_feed(ls->page, resp->body, resp->body_len) != 0) {
        s3_page_end(ls->page, why, why_size);
        return -1;
    }
    return s3_page_end(ls->page, why, why_size);
}

/* A page of a prefix has ended: judge it, pass its objects on, and note
 * where the prefix goes on.                                             */
static void judge_page(lister *ls, slot *sl, const nbaq_http_response *resp,
                       const char *http_err)
{
    prefix_job *job = sl->job;
    s3_page *page = ls->page;
    char why[1024];

    if (resp->failure != NBAQ_HTTP_FAIL_NONE) {
        fail(ls, s3_failure_kind(resp->failure), job->location, http_err);
    } else if (resp->status != 200) {
        nbaq_objstore_errkind kind =
            s3_judge_status(ls->s, resp, job->location, why, sizeof why);
        ls->failed = 1;
        objstore_fail(ls->l->info, kind, ls->err, ls->err_size, "listing %s",
                      why);
    } else if (resp->body_len == 0) {
        fail(ls, NBAQ_OBJSTORE_ERR_PROTOCOL, job->location, "empty response");
    } else if (parse_page(ls, resp, why, sizeof why) != 0) {
        fail(ls, NBAQ_OBJSTORE_ERR_PROTOCOL, job->location, why);
    } else if (s3_emit_page(ls->s, ls->l, page, ls->err, ls->err_size) != 0) {
        ls->failed = 1;
    } else if (s3_page_is_truncated(page)) {
        free(job->token);
        job->token = strdup(s3_page_next_token(page));
        if (job->token == NULL)
            fail(ls, NBAQ_OBJSTORE_ERR_IO, job->location, "out of memory");
    } else {
        job->done = 1;
    }
}

static void slot_done(void *user, size_t index, const nbaq_http_response *resp,
                      const char *http_err)
{
    slot *sl = &((slot *)user)[index];
    lister *ls = sl->lister;

    ls->l->info->pages++;
    if (!ls->failed)
        judge_page(ls, sl, resp, http_err);
    nbaq_http_response_free(sl->resp);
}

/* One batch: the next page of jobs[0..count).                           */
static int run_batch(lister *ls, prefix_job **jobs, size_t count)
{
    slot *slots = calloc(count, sizeof *slots);
    nbaq_http_request *reqs = calloc(count, sizeof *reqs);
    nbaq_http_response *resps = calloc(count, sizeof *resps);
    int rc = -1;

    if (slots == NULL || reqs == NULL || resps == NULL) {
        fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        slots[i] = (slot){.lister = ls, .job = jobs[i], .resp = &resps[i]};
        slots[i].url =
            s3_list_url(ls->s, jobs[i]->prefix, NULL, jobs[i]->token);
        if (slots[i].url == NULL) {
            fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, "out of memory");
            goto out;
        }
        s3_base_request(ls->s, &reqs[i]);
        reqs[i].url = slots[i].url;
        reqs[i].what = jobs[i]->location;
        reqs[i].max_capture = PAGE_MAX_BYTES;
    }
    char http_err[512];
    if (nbaq_http_client_perform_many(ls->s->http, reqs, resps, count,
                                      ls->connections, slot_done, slots,
                                      http_err, sizeof http_err) != 0)
        fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, http_err);
    rc = ls->failed ? -1 : 0;
out:
    for (size_t i = 0; slots != NULL && i < count; i++) {
        free(slots[i].url);
        if (resps != NULL)
            nbaq_http_response_free(&resps[i]);
    }
    free(slots);
    free(reqs);
    free(resps);
    return rc;
}

/* Step 2: rounds of batches until every prefix has ended.               */
static int list_prefixes(lister *ls, job_list *jobs)
{
    size_t batch_max = (size_t)ls->connections * BATCH_PER_CONNECTION;
    prefix_job **batch = malloc(batch_max * sizeof *batch);
    int more = 1;

    if (batch == NULL) {
        fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, "out of memory");
        return -1;
    }
    while (more && !ls->failed) {
        size_t n = 0;
        more = 0;
        for (size_t i = 0; i < jobs->count && !ls->failed; i++) {
            if (jobs->jobs[i].done)
                continue;
            more = 1;
            batch[n++] = &jobs->jobs[i];
            if (n == batch_max || i + 1 == jobs->count) {
                if (ls->l->info->pages + n > ls->s->cfg.max_pages) {
                    fail(ls, NBAQ_OBJSTORE_ERR_LIMIT, ls->s->location,
                         "did not end within max_pages pages");
                    break;
                }
                run_batch(ls, batch, n);
                n = 0;
            }
        }
        if (n > 0 && !ls->failed)
            run_batch(ls, batch, n);
    }
    free(batch);
    return ls->failed ? -1 : 0;
}

int objstore_s3_list_parallel(nbaq_objstore *s, objstore_listing *l, char *err,
                              size_t err_size)
{
    job_list jobs = {0};
    lister ls = {.s = s,
                 .l = l,
                 .connections = s->cfg.connections,
                 .err = err,
                 .err_size = err_size};
    int rc = -1;

    discovery d = {.s = s, .l = l, .jobs = &jobs};
    if (s3_list_pages(s, l, "/", keep_prefixes, &d, err, err_size) != 0)
        goto out;
    if ((ls.page = s3_page_new()) == NULL)
        rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                           "out of memory");
    else
        rc = list_prefixes(&ls, &jobs);
out:
    s3_page_free(ls.page);
    jobs_free(&jobs);
    return rc;
}
