/*
 * http.h - the daemon's HTTP server (libmicrohttpd), read-only:
 *
 *   /              the dashboard page (public), with /dashboard.js and
 *                  /dashboard.css, all embedded in the binary
 *   /healthz       {"status":"ok"} (public; 503 "stopping" while stopping)
 *   /api/status    every check's status, metrics and the open alerts
 *   /api/history   one metric's stored values (history_api.h)
 *   /metrics       Prometheus text format
 *
 * /api/ and /metrics need `Authorization: Bearer <token>` when the config
 * sets daemon.token (compared in constant time; 401 otherwise). Only GET
 * and HEAD (405 otherwise); paths are matched exactly as sent, before any
 * decoding, so that `/x/../metrics`, `%2e%2e`, `//metrics` or an overlong
 * path is a 404. Connections, their idle time and the size of a request
 * are bounded (docs/daemon.md).
 *
 * The server runs in the caller's event loop (no thread of its own):
 * poll http_fd() for input, wait at most http_timeout_ms(), then call
 * http_run(). Everything it answers comes from the snapshot hub.
 *
 * Ownership: the server owns its libmicrohttpd daemon and history store
 * connection; http_stop() releases them. The hub must outlive it.
 */
#ifndef NBAQ_DAEMON_HTTP_H
#define NBAQ_DAEMON_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "config_daemon.h"
#include "snapshot.h"

typedef struct http_server http_server;

/* Listens on dc->listen. Returns 0 with *out, and the address actually
 * bound ("127.0.0.1:41234") in bound; or -1 with err. */
int http_start(const daemon_config *dc, snapshot_hub *hub, http_server **out,
               char *bound, size_t bound_size, char *err, size_t err_size);

/* The descriptor to poll for input. */
int http_fd(const http_server *s);
/* Milliseconds until http_run() is needed anyway; -1: no limit. */
int64_t http_timeout_ms(http_server *s);
/* Accepts, reads and answers whatever is ready; never blocks. */
void http_run(http_server *s);
/* Closes the server's history store connection, if open: call it before
 * every fork (history_api.h says why). */
void http_before_fork(http_server *s);
/* Closes every connection and the listening socket. NULL is accepted. */
void http_stop(http_server *s);

/* Constant-time comparison of a presented token with the expected one
 * (the time depends on the expected token's length only). */
int http_token_equal(const char *given, const char *expected);

#endif
