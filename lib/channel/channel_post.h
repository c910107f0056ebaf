/*
 * channel_post.h - sends one notification over HTTP and judges the answer
 * the way every HTTP channel must: accepted only on a 2xx status.
 *
 * Retries with backoff (5xx, 429, timeouts, dropped connections) happen
 * inside lib/http, bounded by req->max_retries.
 */
#ifndef NBAQ_CHANNEL_POST_H
#define NBAQ_CHANNEL_POST_H

#include <stddef.h>

#include "http.h"
#include "nbaq.h"

/* How much of a receiver's error reply goes into the reason. */
#define CHANNEL_REPLY_EXCERPT 200

/*
 * Performs req (the caller's; read during the call only). Returns 0 when
 * the receiver answered 2xx, else -1 with a one-line reason in err that
 * starts with who ("webhook 'ops'") and names the target by scheme, host
 * and port only. show_reply non-zero appends an excerpt of the reply to
 * a non-2xx status, printable ASCII only: for receivers known to answer
 * with a short error code (Slack, Alertmanager), never for arbitrary
 * endpoints, which may echo the request's secret headers back.
 */
int channel_post(const nbaq_http_request *req, const char *who, int show_reply,
                 char *err, size_t err_size);

/* The options of an HTTP channel's POST, for its option table: timeout
 * (one attempt, default 10s) and retries (default 2).                   */
// clang-format off
#define CHANNEL_HTTP_OPTIONS                                                   \
    {.name = "timeout",                                                        \
     .type = NBAQ_OPT_DURATION,                                                \
     .default_value = "10s",                                                   \
     .description = "time allowed for one attempt",                            \
     .min = 100,                                                               \
     .max = 600000},                                                           \
    {.name = "retries",                                                        \
     .type = NBAQ_OPT_INT,                                                     \
     .default_value = "2",                                                     \
     .description = "attempts after the first on 5xx, 429 and timeouts",       \
     .min = 0,                                                                 \
     .max = 10}
// clang-format on

/* Room for channel_who's text, NUL included. */
#define CHANNEL_WHO_SIZE 160

/* "webhook 'ops'": the channel's kind and the instance's name, for the
 * start of its error messages. */
void channel_who(const nbaq_host_api *api, const nbaq_ctx *ctx,
                 const char *kind, char *buf, size_t size);

/*
 * POSTs body (JSON, or anything headers announce) to url with headers
 * (NULL-terminated; read during the call only), as channel_post does,
 * with the timeout and retries of the instance's CHANNEL_HTTP_OPTIONS.
 * kind names the channel in err ("slack").
 */
int channel_post_body(const nbaq_host_api *api, nbaq_ctx *ctx, const char *kind,
                      const char *url, const char *const *headers,
                      const char *body, int show_reply, char *err,
                      size_t err_size);

#endif /* NBAQ_CHANNEL_POST_H */
