/*
 * http.h - one HTTP(S) request, or a batch run concurrently, over libcurl:
 * method, URL, headers, body, optional AWS SigV4 signing, timeouts,
 * bounded retries with backoff, a capped response capture or a streaming
 * sink, and error text that never holds a secret.
 *
 * Shared by the object-store client (S3), and meant for every plugin that
 * talks HTTP (webhook, Slack, Alertmanager, CloudWatch reporters): a
 * reporter fills one nbaq_http_request and calls nbaq_http_perform().
 *
 * Retries: a try that ends in HTTP 5xx or 429, a timeout, or a connection
 * dropped mid-way (reset, empty reply) - or in a response the caller's
 * retry_if judges retryable (CloudWatch throttles with HTTP 400) - is
 * tried again up to max_retries times, after retry_base_ms, then twice
 * that, and so on (capped at 10 s; a Retry-After of at most 30 s is
 * honoured instead). Refused connections, DNS and TLS failures are not
 * retried: they do not heal in seconds. A try whose body was already
 * passed to a sink is never retried, so a sink sees each byte once.
 *
 * Secrets: error messages name the target by req->what, or else by
 * scheme://host[:port] only, because paths and queries of webhook URLs
 * are often the secret. Credentials and header values never appear.
 *
 * Ownership: a request and everything it points to are the caller's, read
 * during the call only. A response is filled by the call; its body is
 * malloc'd and freed by nbaq_http_response_free(). A client is created
 * and freed by the caller; it keeps connections open between calls.
 * Callbacks run in the caller's thread, inside the perform call.
 */
#ifndef NBAQ_HTTP_H
#define NBAQ_HTTP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Signing with AWS Signature Version 4 (curl's CURLOPT_AWS_SIGV4). For
 * service "s3" the x-amz-content-sha256 header S3 requires is added (curl
 * 7.88 does not); a session token goes in x-amz-security-token.         */
typedef struct nbaq_http_sigv4 {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token; /* NULL or "": none                       */
    const char *region;        /* "eu-west-1"                             */
    const char *service;       /* "s3", "monitoring", ...                 */
} nbaq_http_sigv4;

/* Called once per try when the response headers are in, before any body:
 * status and Content-Length (-1: not announced). Return non-zero to stop
 * the transfer; it then ends with NBAQ_HTTP_FAIL_ABORTED.                */
typedef int (*nbaq_http_head_fn)(void *user, long status,
                                 int64_t content_length);
/* Body bytes of a 2xx response, in order. Return non-zero to stop.      */
typedef int (*nbaq_http_sink_fn)(void *user, const void *data, size_t len);

struct nbaq_http_response;
/* Called when a response has arrived whole that lib/http would not retry
 * by itself (any status but 5xx and 429), while retries are left; resp
 * holds its status and captured body. Return non-zero to try again.     */
typedef int (*nbaq_http_retry_fn)(void *user,
                                  const struct nbaq_http_response *resp);

typedef struct nbaq_http_request {
    const char *method;         /* NULL: GET, or POST when body is set    */
    const char *url;            /* the whole URL, already encoded         */
    const char *const *headers; /* "Name: value", NULL-terminated; or NULL */
    const void *body;           /* NULL: none                             */
    size_t body_len;
    const nbaq_http_sigv4 *sigv4; /* NULL: not signed                    */
    int64_t connect_timeout_ms;   /* 0: 10000                             */
    int64_t timeout_ms;           /* whole try; 0: 60000                  */
    unsigned max_retries;         /* tries after the first                */
    int64_t retry_base_ms;        /* first backoff; 0: 250                */
    size_t max_capture; /* bytes of body kept in the response; 0: 1 MiB  */
    const char *what;   /* names the target in errors; NULL: scheme://host */
    /* Streaming: with sink set, the body of a 2xx response goes to sink
     * and is not captured; other responses are captured as usual.       */
    nbaq_http_head_fn on_head;   /* may be NULL                          */
    nbaq_http_sink_fn sink;      /* may be NULL                          */
    nbaq_http_retry_fn retry_if; /* may be NULL                          */
    void *user;                  /* passed to on_head, sink and retry_if */
    /* PEM file of the CAs to trust for https:// instead of the system's
     * bundle (CURLOPT_CAINFO), for a server with a private CA; NULL or
     * "": the system's. Read during the call only.                      */
    const char *ca_file;
} nbaq_http_request;

typedef enum nbaq_http_failure {
    NBAQ_HTTP_FAIL_NONE = 0, /* a response arrived (look at status)      */
    NBAQ_HTTP_FAIL_CONNECT,  /* connection refused or unreachable         */
    NBAQ_HTTP_FAIL_DNS,      /* host name does not resolve                */
    NBAQ_HTTP_FAIL_TLS,      /* handshake or certificate                  */
    NBAQ_HTTP_FAIL_TIMEOUT,
    NBAQ_HTTP_FAIL_NETWORK, /* reset, empty reply, other transport error */
    NBAQ_HTTP_FAIL_ABORTED, /* on_head or sink asked to stop             */
    NBAQ_HTTP_FAIL_OTHER    /* bad URL, out of memory, curl setup        */
} nbaq_http_failure;

typedef struct nbaq_http_response {
    nbaq_http_failure failure;
    long status; /* last HTTP status; 0 when none arrived      */
    char *body;  /* captured body, NUL-terminated; or NULL     */
    size_t body_len;
    int body_truncated;     /* the body was longer than max_capture       */
    int64_t content_length; /* announced; -1 when not                     */
    uint64_t sunk_bytes;    /* bytes passed to the sink                   */
    unsigned attempts;      /* tries made                                 */
    double retry_after_s;   /* Retry-After of the last response; 0: none  */
    int64_t retry_wait_ms;  /* time spent waiting between tries, as it
                               elapsed (monotonic clock)                  */
} nbaq_http_response;

typedef struct nbaq_http_client nbaq_http_client;

/* A client keeps a connection cache (and a curl multi handle). Returns
 * NULL with err filled when curl cannot be set up. Free with _free().   */
nbaq_http_client *nbaq_http_client_new(char *err, size_t err_size);
void nbaq_http_client_free(nbaq_http_client *client);

/* One request. Returns 0 when a response arrived - whatever its status,
 * which the caller judges - and -1 when none did (refused, DNS, TLS,
 * timeout after the retries, aborted), with resp->failure set and err
 * filled: "POST https://hooks.example.com: connection refused". resp is
 * always filled; free it with nbaq_http_response_free().                */
int nbaq_http_client_perform(nbaq_http_client *client,
                             const nbaq_http_request *req,
                             nbaq_http_response *resp, char *err,
                             size_t err_size);

/* Called when request index of a batch has ended, with its response and
 * error text ("" when a response arrived). The response is still the
 * caller's (resps[index]); free it when done with it.                   */
typedef void (*nbaq_http_done_fn)(void *user, size_t index,
                                  const nbaq_http_response *resp,
                                  const char *err);

/* Runs reqs[0..count) with at most max_parallel at once (0: 8), each with
 * its own retries, filling resps[i]; on_done (may be NULL) runs as each
 * ends. Returns 0, or -1 with err filled when the batch could not run at
 * all (then no request was made and no on_done called).                 */
int nbaq_http_client_perform_many(nbaq_http_client *client,
                                  const nbaq_http_request *reqs,
                                  nbaq_http_response *resps, size_t count,
                                  unsigned max_parallel,
                                  nbaq_http_done_fn on_done, void *user,
                                  char *err, size_t err_size);

/* One request on a throw-away client: the reporters' usual call.        */
int nbaq_http_perform(const nbaq_http_request *req, nbaq_http_response *resp,
                      char *err, size_t err_size);

/* Frees the captured body and zeroes resp. NULL is fine.                */
void nbaq_http_response_free(nbaq_http_response *resp);

/* A short lowercase word for a failure ("connection refused", "dns"...). */
const char *nbaq_http_failure_name(nbaq_http_failure failure);

/* Makes text (NUL-terminated, in a buffer of size bytes) fit to quote
 * from a server's reply: every occurrence of one of the count secrets
 * (NULL or "" entries are skipped; the longest match wins) becomes "***",
 * and so does a tail of at least 4 bytes that begins a secret (a secret
 * cut short by a capture limit); control characters become spaces. The
 * result never grows past size - 1 bytes.                                */
void nbaq_http_scrub(char *text, size_t size, const char *const *secrets,
                     size_t count);

/* The values of req a reply must not quote, for nbaq_http_scrub(): the
 * SigV4 secret key and session token, the URL from its path on (webhook
 * URLs carry their secret there), every header value and its last word
 * ("Bearer TOKEN"); values shorter than 8 bytes are left out. Fills out
 * (pointers into req, valid while req is) with at most max; returns how
 * many.                                                                  */
size_t nbaq_http_request_secrets(const nbaq_http_request *req, const char **out,
                                 size_t max);

/* Percent-encodes s for a URL the way SigV4 expects (RFC 3986: all but
 * A-Z a-z 0-9 - . _ ~ ; and '/' too unless keep_slash). Writes a
 * NUL-terminated string into out; returns its length, or -1 if out_size
 * is too small.                                                          */
long nbaq_http_uri_encode(const char *s, size_t len, int keep_slash, char *out,
                          size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_HTTP_H */
