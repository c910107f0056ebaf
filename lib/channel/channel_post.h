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

#endif /* NBAQ_CHANNEL_POST_H */
