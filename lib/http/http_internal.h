/*
 * http_internal.h - one request in flight inside the client: its curl
 * handle, its capture and its retry state. Private to lib/http.
 */
#ifndef NBAQ_HTTP_INTERNAL_H
#define NBAQ_HTTP_INTERNAL_H

#include "http.h"

#include <curl/curl.h>
#include <poll.h>

typedef enum http_try_outcome {
    HTTP_TRY_DONE = 0, /* a final response, or a failure not retried    */
    HTTP_TRY_RETRY     /* try again after delay_ms                      */
} http_try_outcome;

typedef struct http_transfer {
    const nbaq_http_request *req; /* the caller's                         */
    nbaq_http_response *resp;     /* the caller's, filled as we go        */
    CURL *easy;                   /* owned; NULL between tries            */
    struct curl_slist *headers;   /* owned; built once                    */
    char errbuf[CURL_ERROR_SIZE];
    char err[1024];           /* final error text; "" when none        */
    int in_head;              /* inside a header block                 */
    int aborted;              /* a callback asked to stop              */
    size_t body_cap;          /* bytes allocated at resp->body         */
    int64_t retry_at_ms;      /* waiting: when to try again; else 0    */
    int64_t waiting_since_ms; /* waiting: since when                   */
} http_transfer;

/* Prepares t for req/resp (headers, signing) without creating a handle.  */
int http_transfer_init(http_transfer *t, const nbaq_http_request *req,
                       nbaq_http_response *resp, char *err, size_t err_size);
/* Creates and configures t->easy for the next try.                       */
int http_transfer_start_try(http_transfer *t, char *err, size_t err_size);
/* Judges a finished try (rc from curl); frees t->easy. On RETRY sets
 * *delay_ms; on DONE fills resp->failure and t->err.                     */
http_try_outcome http_transfer_end_try(http_transfer *t, CURLcode rc,
                                       int64_t *delay_ms);
void http_transfer_cleanup(http_transfer *t);

/* The sockets and timer curl asks a client's multi handle to watch. The
 * client owns it; it must stay at one address while attached.            */
typedef struct http_watch {
    struct pollfd *fds; /* events wanted; revents filled by poll()      */
    size_t count, cap;
    int64_t timer_due_ms; /* when curl wants its timeout action; -1 none */
} http_watch;

/* Empties w and makes multi report its sockets and timer to it.          */
int http_watch_attach(http_watch *w, CURLM *multi);
void http_watch_free(http_watch *w);
/* Milliseconds until curl's timer is due (0: due), or -1 when none.      */
int64_t http_watch_timer_wait(const http_watch *w, int64_t now_ms);
/* Stops watching s.                                                      */
void http_watch_forget(http_watch *w, curl_socket_t s);
/* Whether curl waits for s to be readable.                               */
int http_watch_wants_input(http_watch *w, curl_socket_t s);

/* Classifies a curl result into a failure kind.                          */
nbaq_http_failure http_failure_from_curl(CURLcode rc);
/* "scheme://host[:port]" of url into out (or "(bad URL)").               */
void http_target_name(const char *url, char *out, size_t out_size);
/* Milliseconds of a monotonic clock.                                     */
int64_t http_now_ms(void);

#endif /* NBAQ_HTTP_INTERNAL_H */
