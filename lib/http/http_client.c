/*
 * The client: a curl multi handle (its connection cache outlives each
 * call) running a batch of transfers with a bound on how many are in
 * flight, each retried on its own schedule. It is driven socket by socket
 * (curl_multi_socket_action): when one transfer ends, the request taking
 * its place goes out before the other transfers' data is read, which
 * curl_multi_perform, reading every ready transfer in one call, delayed
 * by the time to read all of them (a round of 8 listing pages, 2 MB).
 */
#include "http_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define DEFAULT_PARALLEL 8
#define POLL_SLICE_MS 1000
/* Reads of one socket in a row at most (16 MiB at 16 KiB a read).     */
#define DRAIN_MAX_READS 1024
/* Sockets acted on per poll() at most.                                 */
#define READY_MAX 64

struct nbaq_http_client {
    CURLM *multi;
    http_watch watch;
};

static void global_init_once(void)
{
    /* Plugins run in their own processes; curl_global_init is reference
     * counted and safe to call before any handle exists.               */
    static int done;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        done = 1;
    }
}

nbaq_http_client *nbaq_http_client_new(char *err, size_t err_size)
{
    nbaq_http_client *client = calloc(1, sizeof *client);

    global_init_once();
    if (client == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    client->multi = curl_multi_init();
    if (client->multi == NULL ||
        http_watch_attach(&client->watch, client->multi) != 0) {
        if (client->multi != NULL)
            curl_multi_cleanup(client->multi);
        free(client);
        snprintf(err, err_size, "cannot create a curl multi handle");
        return NULL;
    }
    return client;
}

void nbaq_http_client_free(nbaq_http_client *client)
{
    if (client == NULL)
        return;
    curl_multi_cleanup(client->multi);
    http_watch_free(&client->watch);
    free(client);
}

void nbaq_http_response_free(nbaq_http_response *resp)
{
    if (resp == NULL)
        return;
    free(resp->body);
    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
}

typedef struct batch {
    nbaq_http_client *client;
    http_transfer *transfers;
    size_t count;
    size_t next;      /* first transfer not yet started               */
    size_t in_flight; /* started and not done (running or waiting)    */
    size_t done;
    size_t *ended; /* transfers done whose on_done is still to come    */
    size_t ended_count;
    nbaq_http_done_fn on_done;
    void *user;
} batch;

static void finish(batch *b, http_transfer *t)
{
    http_transfer_cleanup(t);
    b->in_flight--;
    b->done++;
    b->ended[b->ended_count++] = (size_t)(t - b->transfers);
}

/* on_done for the transfers that ended, once the requests taking their
 * places are out: the caller's work on a response (parsing a page) then
 * overlaps the round trips of the next ones. */
static void report_ended(batch *b)
{
    for (size_t i = 0; i < b->ended_count; i++) {
        http_transfer *t = &b->transfers[b->ended[i]];
        if (b->on_done != NULL)
            b->on_done(b->user, b->ended[i], t->resp, t->err);
    }
    b->ended_count = 0;
}

static void start_try(batch *b, http_transfer *t)
{
    if (t->retry_at_ms != 0)
        t->resp->retry_wait_ms += http_now_ms() - t->waiting_since_ms;
    t->retry_at_ms = 0;
    if (http_transfer_start_try(t, t->err, sizeof t->err) != 0 ||
        curl_multi_add_handle(b->client->multi, t->easy) != CURLM_OK) {
        t->resp->failure = NBAQ_HTTP_FAIL_OTHER;
        if (t->err[0] == '\0')
            snprintf(t->err, sizeof t->err, "cannot start a transfer");
        finish(b, t);
    }
}

static void start_new(batch *b, size_t max_parallel)
{
    while (b->in_flight < max_parallel && b->next < b->count) {
        http_transfer *t = &b->transfers[b->next++];
        b->in_flight++;
        start_try(b, t);
    }
}

static void start_due_retries(batch *b)
{
    int64_t now = http_now_ms();

    for (size_t i = 0; i < b->next; i++) {
        http_transfer *t = &b->transfers[i];
        if (t->retry_at_ms != 0 && t->retry_at_ms <= now)
            start_try(b, t);
    }
}

/* How long the batch may sleep in curl: until the next retry is due, at
 * most POLL_SLICE_MS; 0 when one is due now.                           */
static int64_t ms_to_next_retry(const batch *b)
{
    int64_t now = http_now_ms(), wait = POLL_SLICE_MS;

    for (size_t i = 0; i < b->next; i++) {
        const http_transfer *t = &b->transfers[i];
        if (t->retry_at_ms != 0 && t->retry_at_ms - now < wait)
            wait = t->retry_at_ms > now ? t->retry_at_ms - now : 0;
    }
    return wait;
}

static void collect_finished(batch *b)
{
    CURLMsg *msg;
    int left;

    while ((msg = curl_multi_info_read(b->client->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        http_transfer *t = NULL;
        CURLcode rc = msg->data.result;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
        curl_multi_remove_handle(b->client->multi, msg->easy_handle);
        int64_t delay = 0;
        if (http_transfer_end_try(t, rc, &delay) == HTTP_TRY_RETRY) {
            t->waiting_since_ms = http_now_ms();
            t->retry_at_ms = t->waiting_since_ms + (delay > 0 ? delay : 1);
        } else
            finish(b, t);
    }
}

/* Hands curl one socket's events (or, with CURL_SOCKET_TIMEOUT, its due
 * timers); the transfers that end make way for the next requests, which
 * are sent at once, and are then reported.                              */
static int act(batch *b, size_t parallel, curl_socket_t fd, int events,
               char *err, size_t err_size)
{
    int running;

    if (curl_multi_socket_action(b->client->multi, fd, events, &running) !=
        CURLM_OK) {
        snprintf(err, err_size, "curl multi interface failed");
        return -1;
    }
    collect_finished(b);
    while (b->ended_count > 0 && b->next < b->count &&
           b->in_flight < parallel) {
        size_t ended = b->ended_count;
        start_new(b, parallel);
        /* A new transfer's timer is due at once: this sends it.        */
        if (curl_multi_socket_action(b->client->multi, CURL_SOCKET_TIMEOUT, 0,
                                     &running) != CURLM_OK) {
            snprintf(err, err_size, "curl multi interface failed");
            return -1;
        }
        collect_finished(b);
        if (b->ended_count == ended)
            break;
    }
    report_ended(b);
    return 0;
}

/* How curl names the events poll() saw on a socket.                     */
static int curl_events(short revents)
{
    return (revents & (POLLIN | POLLHUP) ? CURL_CSELECT_IN : 0) |
           (revents & POLLOUT ? CURL_CSELECT_OUT : 0) |
           (revents & POLLERR ? CURL_CSELECT_ERR : 0);
}

/* curl reads one buffer (16 KiB) per event: a socket with more data
 * waiting is given it again at once, so that its transfer ends (and the
 * request taking its place is sent) before the next socket's turn,
 * rather than every transfer of a round ending last, together.         */
static int drain(batch *b, size_t parallel, curl_socket_t fd, char *err,
                 size_t err_size)
{
    for (int i = 0; i < DRAIN_MAX_READS; i++) {
        int pending = 0;
        if (!http_watch_wants_input(&b->client->watch, fd) ||
            ioctl(fd, FIONREAD, &pending) != 0 || pending <= 0)
            return 0;
        if (act(b, parallel, fd, CURL_CSELECT_IN, err, err_size) != 0)
            return -1;
    }
    return 0;
}

/* Waits for the sockets curl watches, its timer or the next retry, and
 * acts on what happened.                                                */
static int wait_and_act(batch *b, size_t parallel, char *err, size_t err_size)
{
    http_watch *w = &b->client->watch;
    int64_t now = http_now_ms();
    int64_t wait = ms_to_next_retry(b);
    int64_t timer = http_watch_timer_wait(w, now);

    if (timer >= 0 && timer < wait)
        wait = timer;
    int n = poll(w->fds, (nfds_t)w->count, (int)wait);
    if (n < 0 && errno != EINTR) {
        snprintf(err, err_size, "poll failed");
        return -1;
    }
    /* Acting changes w->fds: act on a copy of what poll() saw (the rest,
     * if more are ready, on the next turn).                            */
    struct pollfd ready[READY_MAX];
    size_t nready = 0;
    for (size_t i = 0; n > 0 && i < w->count && nready < READY_MAX; i++)
        if (w->fds[i].revents & POLLNVAL)
            http_watch_forget(w, w->fds[i--].fd); /* closed unannounced */
        else if (w->fds[i].revents != 0)
            ready[nready++] = w->fds[i];
    for (size_t i = 0; i < nready; i++)
        if (act(b, parallel, ready[i].fd, curl_events(ready[i].revents), err,
                err_size) != 0 ||
            drain(b, parallel, ready[i].fd, err, err_size) != 0)
            return -1;
    if (http_watch_timer_wait(w, http_now_ms()) == 0 || nready == 0)
        return act(b, parallel, CURL_SOCKET_TIMEOUT, 0, err, err_size);
    return 0;
}

static int run_batch(batch *b, unsigned max_parallel, char *err,
                     size_t err_size)
{
    size_t parallel = max_parallel ? max_parallel : DEFAULT_PARALLEL;

    while (b->done < b->count) {
        start_new(b, parallel);
        start_due_retries(b);
        if (wait_and_act(b, parallel, err, err_size) != 0)
            return -1;
    }
    return 0;
}

int nbaq_http_client_perform_many(nbaq_http_client *client,
                                  const nbaq_http_request *reqs,
                                  nbaq_http_response *resps, size_t count,
                                  unsigned max_parallel,
                                  nbaq_http_done_fn on_done, void *user,
                                  char *err, size_t err_size)
{
    batch b = {
        .client = client, .count = count, .on_done = on_done, .user = user};
    int rc = 0;
    size_t ready = 0;

    if (count == 0)
        return 0;
    b.transfers = calloc(count, sizeof *b.transfers);
    b.ended = calloc(count, sizeof *b.ended);
    if (b.transfers == NULL || b.ended == NULL) {
        free(b.transfers);
        free(b.ended);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (; ready < count; ready++)
        if (http_transfer_init(&b.transfers[ready], &reqs[ready], &resps[ready],
                               err, err_size) != 0) {
            rc = -1;
            break;
        }
    if (rc == 0)
        rc = run_batch(&b, max_parallel, err, err_size);
    report_ended(&b); /* after a failure, those that ended still count */
    for (size_t i = 0; i < count; i++) {
        http_transfer *t = &b.transfers[i];
        if (t->easy != NULL)
            curl_multi_remove_handle(client->multi, t->easy);
        http_transfer_cleanup(t);
    }
    free(b.transfers);
    free(b.ended);
    return rc;
}

typedef struct single_outcome {
    char *err;
    size_t err_size;
    int failed;
} single_outcome;

static void single_done(void *user, size_t index,
                        const nbaq_http_response *resp, const char *err)
{
    single_outcome *o = user;
    (void)index;
    if (resp->failure != NBAQ_HTTP_FAIL_NONE) {
        o->failed = 1;
        snprintf(o->err, o->err_size, "%s", err);
    }
}

int nbaq_http_client_perform(nbaq_http_client *client,
                             const nbaq_http_request *req,
                             nbaq_http_response *resp, char *err,
                             size_t err_size)
{
    single_outcome o = {.err = err, .err_size = err_size};

    if (nbaq_http_client_perform_many(client, req, resp, 1, 1, single_done, &o,
                                      err, err_size) != 0) {
        if (resp->failure == NBAQ_HTTP_FAIL_NONE)
            resp->failure = NBAQ_HTTP_FAIL_OTHER;
        return -1;
    }
    return o.failed ? -1 : 0;
}

int nbaq_http_perform(const nbaq_http_request *req, nbaq_http_response *resp,
                      char *err, size_t err_size)
{
    nbaq_http_client *client = nbaq_http_client_new(err, err_size);
    int rc;

    if (client == NULL) {
        memset(resp, 0, sizeof *resp);
        resp->content_length = -1;
        resp->failure = NBAQ_HTTP_FAIL_OTHER;
        return -1;
    }
    rc = nbaq_http_client_perform(client, req, resp, err, err_size);
    nbaq_http_client_free(client);
    return rc;
}
