/*
 * history_api.h - /api/history: one metric's stored values over a time
 * range, read from the history store through the daemon's own store
 * connection (never the one of a round process), and averaged into at
 * most `points` buckets of equal length when there are more values.
 *
 * The connection is opened on the first request and kept until the
 * daemon is about to fork a round (history_api_close, through
 * http_before_fork): an open SQLite connection must not cross a fork, or
 * the round's own connection to the same file inherits its locks and
 * shared memory (SQLITE_PROTOCOL, hangs). It is opened again on the next
 * request, and when a reload changed the store's URL. Used by the HTTP
 * server only, from one thread.
 *
 * Ownership: the history_api owns its store and strings
 * (history_api_close releases them).
 */
#ifndef NBAQ_DAEMON_HISTORY_API_H
#define NBAQ_DAEMON_HISTORY_API_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "snapshot.h"

typedef struct history_api {
    history_store *store;
    char *url; /* what store was opened with                             */
    char *dir;
} history_api;

/* The query, as the request gave it: NULL for an absent argument. */
typedef struct history_query {
    const char *check;
    const char *metric;
    const char *since; /* a duration back from now (24h) or a time      */
    const char *until; /* the same; default now                         */
    const char *points;
} history_query;

/*
 * The answer to q: a malloc'd JSON document (the caller frees it) and its
 * HTTP status in *status: 200; 400 for a bad argument; 404 when no
 * history store is configured; 503 when the store cannot be read. Every
 * answer but 200 is {"error": "..."}. NULL only when out of memory.
 */
char *history_api_answer(history_api *h, const snapshot *s,
                         const history_query *q, int64_t now_ms, int *status);

/* 0 when q's arguments are valid (at most history_points points), or -1
 * with why: what history_api_answer() answers 400 with. */
int history_api_check_query(const history_query *q, unsigned history_points,
                            int64_t now_ms, char *why, size_t why_size);

void history_api_close(history_api *h);

#endif
