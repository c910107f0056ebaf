/*
 * daemon.h - `nbaq-host -c FILE --daemon`: runs each enabled check on its
 * own interval, serves the dashboard, /api/ and /metrics over HTTP, and
 * reloads the config on SIGHUP (docs/daemon.md).
 *
 *   - Checks that are due together form a round: a child process that
 *     runs them exactly as a one-shot run of those checks (round.h), so
 *     evaluation, alerts, history and reporters happen after each round.
 *     A check never overlaps its own previous run; at most `workers`
 *     checks run at once over all rounds.
 *   - The daemon process itself is one thread: an event loop over a
 *     signalfd, the HTTP server and the rounds' result pipes.
 *   - SIGTERM/SIGINT: no new round starts; running rounds finish (their
 *     checks end or time out, history is saved, reporters run), then the
 *     daemon exits. A second SIGTERM/SIGINT interrupts the running checks
 *     (ERROR "interrupted", saved to history, reporters skipped).
 *   - SIGHUP: the config is loaded and bound again; an invalid one is
 *     logged and rejected, and the running one stays.
 */
#ifndef NBAQ_DAEMON_DAEMON_H
#define NBAQ_DAEMON_DAEMON_H

#include <stddef.h>

#include "config.h"
#include "registry.h"

/* Loads and binds a fresh copy of the configuration. Returns 0 with
 * *cfg (free with config_free) and *reg (malloc'd; free with
 * registry_free then free), or -1 with err (one line, no secret). */
typedef int (*daemon_load_fn)(void *arg, config **cfg, registry **reg,
                              char *err, size_t err_size);

typedef struct daemon_host {
    config *cfg;   /* loaded and bound; the caller's, outlives daemon_run */
    registry *reg; /* the registry cfg was bound with; the caller's       */
    daemon_load_fn load; /* for SIGHUP                                    */
    void *load_arg;
    const char *version;
} daemon_host;

typedef enum daemon_result {
    DAEMON_STOPPED = 0, /* a signal, after the running rounds finished   */
    DAEMON_INTERRUPTED, /* a second signal interrupted running checks    */
    DAEMON_START_FAILED /* could not listen or set up signals (logged)   */
} daemon_result;

/* Runs until SIGTERM or SIGINT. */
daemon_result daemon_run(const daemon_host *host);

#endif
