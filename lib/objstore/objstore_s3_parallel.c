/*
 * Prefix-parallel S3 listing. On S3 a ListObjectsV2 page costs a round
 * trip (tens of ms) for 1000 keys, so a big bucket listed page after page
 * is bound by latency, not bandwidth. This lister
 *   1. lists the store's prefix with delimiter "/": its objects are passed
 *      on at once, its CommonPrefixes are kept (strings only);
 *   2. lists every common prefix, config.connections at once, over the
 *      client's curl multi handle (nbaq_http_client_perform_many), in
 *      rounds: round k fetches page k of every prefix that has one.
 * In step 2 the network runs in a thread of its own that does nothing
 * else, so that a page's successor goes out the moment the page has
 * ended, however many pages wait to be parsed; the check's thread parses
 * the pages and passes their objects on. Once every request of a batch
 * is out (the last round), a parser thread parses pages too, so that the
 * last round's pages, which nothing overlaps, are parsed two at a time;
 * the check's thread passes the parser's pages on: callbacks run in the
 * check's thread only. A page's body is freed once parsed, and the
 * network thread waits before handing over a page while one page per
 * connection is waiting already, so memory is at most two pages per
 * connection (one arriving, one waiting to be parsed) whatever the size
 * of the bucket.
 */
#include "objstore_internal.h"

#include <pthread.h>
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
    prefix_job *job;
    char *url;
    nbaq_http_response *resp; /* its body freed once parsed             */
    char *http_err;           /* why no response came; NULL: one came   */
} slot;

typedef struct lister {
    nbaq_objstore *s;
    objstore_listing *l;
    s3_page *page;        /* the check's thread's parser               */
    s3_page *parser_page; /* the parser thread's                       */
    unsigned connections;
    int failed;
    char *err;
    size_t err_size;
} lister;

/* A batch between its network thread, its parser thread and the check's
 * thread (parsing, passing pages on). The fields below mu are guarded by
 * it, but for parser_why and ls->parser_page: the parser's while it
 * parses, the check's thread's while parser_ready.                     */
typedef struct pipeline {
    lister *ls;
    slot *slots;
    nbaq_http_request *reqs;
    nbaq_http_response *resps;
    size_t count;
    pthread_mutex_t mu;
    pthread_cond_t changed;
    size_t *ended; /* slots ended and not yet taken, from head to tail */
    size_t head, tail;
    size_t held;      /* responses ended and not yet freed             */
    int all_sent;     /* every request is out: the parser may start    */
    int network_done; /* perform_many has returned                     */
    int network_rc;
    char network_err[512];
    int parser_busy;    /* the parser has taken a slot to parse       */
    int parser_ready;   /* ... and parsed it: parser_slot is waiting  */
    size_t parser_slot; /* into ls->parser_page                       */
    int parser_parsed;  /* what parse_slot returned                   */
    char parser_why[1024];
} pipeline;

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

/* A response the listing reads: a 200 with a body.                     */
static int is_page(const nbaq_http_response *resp)
{
    return resp->failure == NBAQ_HTTP_FAIL_NONE && resp->status == 200 &&
           resp->body_len > 0;
}

/* Parses the slot's page into page when it has one (0 when not); 0, or
 * -1 with why (bad XML, a page past PAGE_MAX_BYTES). Touches nothing but
 * the slot's response, page and why: either thread may run it.        */
static int parse_slot(const slot *sl, s3_page *page, char *why, size_t why_size)
{
    const nbaq_http_response *resp = sl->resp;

    if (!is_page(resp))
        return 0;
    if (resp->body_truncated) {
        snprintf(why, why_size, "a page larger than %u MiB",
                 PAGE_MAX_BYTES >> 20);
        return -1;
    }
    if (s3_page_begin(page) != 0) {
        snprintf(why, why_size, "out of memory");
        return -1;
    }
    if (s3_page_feed(page, resp->body, resp->body_len) != 0) {
        s3_page_end(page, why, why_size);
        return -1;
    }
    return s3_page_end(page, why, why_size);
}

/* A page of a prefix has ended and parse_slot has run on it (parsed, why):
 * judge it, pass its objects on, note where the prefix goes on, and free
 * the response. The check's thread only.                                */
static void finish_slot(lister *ls, slot *sl, const s3_page *page, int parsed,
                        const char *why)
{
    const nbaq_http_response *resp = sl->resp;
    prefix_job *job = sl->job;
    char status_err[1024];

    ls->l->info->pages++;
    if (ls->failed) {
        /* A page after a failure is dropped. */
    } else if (resp->failure != NBAQ_HTTP_FAIL_NONE) {
        fail(ls, s3_failure_kind(resp->failure), job->location,
             sl->http_err != NULL ? sl->http_err : "request failed");
    } else if (resp->status != 200) {
        nbaq_objstore_errkind kind = s3_judge_status(
            ls->s, resp, job->location, status_err, sizeof status_err);
        ls->failed = 1;
        objstore_fail(ls->l->info, kind, ls->err, ls->err_size, "listing %s",
                      status_err);
    } else if (resp->body_len == 0) {
        fail(ls, NBAQ_OBJSTORE_ERR_PROTOCOL, job->location, "empty response");
    } else if (parsed != 0) {
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
    nbaq_http_response_free(sl->resp);
}

/* lib/http's on_done, in the network thread: queues the slot for
 * parsing; waits while a page per connection is waiting already (the
 * bound on memory).                                                   */
static void slot_ended(void *user, size_t index, const nbaq_http_response *resp,
                       const char *http_err)
{
    pipeline *b = user;

    if (resp->failure != NBAQ_HTTP_FAIL_NONE)
        b->slots[index].http_err = strdup(http_err);
    pthread_mutex_lock(&b->mu);
    while (b->held >= b->ls->connections)
        pthread_cond_wait(&b->changed, &b->mu);
    b->ended[b->tail++] = index;
    b->held++;
    /* lib/http reports a transfer once its successor is out.          */
    if (b->tail + b->ls->connections >= b->count)
        b->all_sent = 1;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->mu);
}

static void *network_main(void *arg)
{
    pipeline *b = arg;
    lister *ls = b->ls;
    char err[sizeof b->network_err];
    int rc = nbaq_http_client_perform_many(ls->s->http, b->reqs, b->resps,
                                           b->count, ls->connections,
                                           slot_ended, b, err, sizeof err);

    pthread_mutex_lock(&b->mu);
    b->network_done = 1;
    b->network_rc = rc;
    if (rc != 0)
        snprintf(b->network_err, sizeof b->network_err, "%s", err);
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* The parser: from the last round on, parses queued pages one at a time
 * into ls->parser_page, each handed to the check's thread before the
 * next. Before, the check's thread keeps up alone, and a second parser
 * would only take the CPU from the server's answers still arriving.    */
static void *parser_main(void *arg)
{
    pipeline *b = arg;

    pthread_mutex_lock(&b->mu);
    for (;;) {
        if ((b->all_sent || b->network_done) && b->head < b->tail) {
            size_t i = b->ended[b->head++];
            b->parser_busy = 1;
            pthread_mutex_unlock(&b->mu);
            int parsed = parse_slot(&b->slots[i], b->ls->parser_page,
                                    b->parser_why, sizeof b->parser_why);
            pthread_mutex_lock(&b->mu);
            b->parser_slot = i;
            b->parser_parsed = parsed;
            b->parser_ready = 1;
            pthread_cond_broadcast(&b->changed);
            while (b->parser_ready)
                pthread_cond_wait(&b->changed, &b->mu);
        } else if (b->network_done) {
            break;
        } else {
            pthread_cond_wait(&b->changed, &b->mu);
        }
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* The check's thread during a batch: parses and passes on pages as they
 * end, and passes on the parser's, until every slot is finished.       */
static void consume(pipeline *b)
{
    lister *ls = b->ls;
    char why[1024];

    pthread_mutex_lock(&b->mu);
    for (;;) {
        if (b->parser_ready) {
            pthread_mutex_unlock(&b->mu);
            finish_slot(ls, &b->slots[b->parser_slot], ls->parser_page,
                        b->parser_parsed, b->parser_why);
            pthread_mutex_lock(&b->mu);
            b->parser_ready = b->parser_busy = 0;
        } else if (b->head < b->tail) {
            slot *sl = &b->slots[b->ended[b->head++]];
            pthread_mutex_unlock(&b->mu);
            int parsed =
                ls->failed ? 0 : parse_slot(sl, ls->page, why, sizeof why);
            finish_slot(ls, sl, ls->page, parsed, why);
            pthread_mutex_lock(&b->mu);
        } else if (b->network_done && !b->parser_busy) {
            break;
        } else {
            pthread_cond_wait(&b->changed, &b->mu);
            continue;
        }
        b->held--;
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->mu);
}

/* Builds the requests of the next page of jobs[0..count).              */
static int prepare_batch(pipeline *b, prefix_job **jobs)
{
    lister *ls = b->ls;

    for (size_t i = 0; i < b->count; i++) {
        b->slots[i] = (slot){.job = jobs[i], .resp = &b->resps[i]};
        b->slots[i].url =
            s3_list_url(ls->s, jobs[i]->prefix, NULL, jobs[i]->token);
        if (b->slots[i].url == NULL)
            return -1;
        s3_base_request(ls->s, &b->reqs[i]);
        b->reqs[i].url = b->slots[i].url;
        b->reqs[i].what = jobs[i]->location;
        b->reqs[i].max_capture = PAGE_MAX_BYTES;
    }
    return 0;
}

/* One batch: the next page of jobs[0..count).                           */
static int run_batch(lister *ls, prefix_job **jobs, size_t count)
{
    pipeline b = {.ls = ls,
                  .count = count,
                  .slots = calloc(count, sizeof *b.slots),
                  .reqs = calloc(count, sizeof *b.reqs),
                  .resps = calloc(count, sizeof *b.resps),
                  .ended = calloc(count, sizeof *b.ended)};
    pthread_t network, parser;

    if (b.slots == NULL || b.reqs == NULL || b.resps == NULL ||
        b.ended == NULL || prepare_batch(&b, jobs) != 0) {
        fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, "out of memory");
    } else if (pthread_mutex_init(&b.mu, NULL) != 0) {
        fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, "cannot make a mutex");
    } else {
        int have_cond = pthread_cond_init(&b.changed, NULL) == 0;
        if (!have_cond) {
            fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location,
                 "cannot make a condition variable");
        } else if (pthread_create(&network, NULL, network_main, &b) != 0) {
            fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location,
                 "cannot start a thread");
        } else {
            /* Without a parser the check's thread parses every page.   */
            int have_parser =
                pthread_create(&parser, NULL, parser_main, &b) == 0;
            consume(&b);
            pthread_join(network, NULL);
            if (have_parser)
                pthread_join(parser, NULL);
            if (b.network_rc != 0)
                fail(ls, NBAQ_OBJSTORE_ERR_IO, ls->s->location, b.network_err);
        }
        if (have_cond)
            pthread_cond_destroy(&b.changed);
        pthread_mutex_destroy(&b.mu);
    }
    for (size_t i = 0; b.slots != NULL && i < count; i++) {
        free(b.slots[i].url);
        free(b.slots[i].http_err);
        if (b.resps != NULL)
            nbaq_http_response_free(&b.resps[i]);
    }
    free(b.slots);
    free(b.reqs);
    free(b.resps);
    free(b.ended);
    return ls->failed ? -1 : 0;
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
    ls.page = s3_page_new();
    ls.parser_page = s3_page_new();
    if (ls.page == NULL || ls.parser_page == NULL)
        rc = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                           "out of memory");
    else
        rc = list_prefixes(&ls, &jobs);
out:
    s3_page_free(ls.page);
    s3_page_free(ls.parser_page);
    jobs_free(&jobs);
    return rc;
}
