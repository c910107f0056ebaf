/*
 * snapshot.h - what the HTTP server answers from: an immutable picture of
 * the daemon, rendered once each time something changes (a round starts
 * or ends, a reload) and published behind a mutex; a request takes a
 * reference and keeps it until its response has been sent, so that a
 * newer snapshot never changes or frees what a response still reads.
 *
 * Ownership: a snapshot owns its strings; the last snapshot_unref()
 * frees it. The hub holds one reference to the current snapshot.
 */
#ifndef NBAQ_DAEMON_SNAPSHOT_H
#define NBAQ_DAEMON_SNAPSHOT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "config.h"

/* The daemon's own figures, as of one snapshot. */
typedef struct daemon_stats {
    const char *version;
    const char *config_path; /* absolute                               */
    int pid;
    int64_t started_ms; /* wall clock                                   */
    int64_t config_loaded_ms;
    uint64_t rounds;        /* finished                                 */
    uint64_t rounds_failed; /* whose process failed as a whole          */
    size_t rounds_running;
    int64_t last_round_finished_ms; /* 0: none yet                      */
    int64_t last_round_duration_ms;
    uint64_t reloads;         /* successful                             */
    uint64_t reload_failures; /* rejected configs                       */
    int64_t last_reload_ms;   /* 0: none                                */
    int last_reload_ok;
    char last_reload_error[2048];     /* "" when the last reload worked     */
    int stopping;                     /* SIGTERM/SIGINT received            */
    const struct fleet_member *fleet; /* this member and its fleet view  */
    uint64_t heartbeats_sent;         /* daemon.heartbeat pings answered */
    uint64_t heartbeats_failed;
} daemon_stats;

typedef struct snapshot {
    atomic_uint refs;
    int64_t generated_ms;
    char *status_json; /* /api/status                                   */
    size_t status_len;
    char *metrics_text; /* /metrics without the per-request figures     */
    size_t metrics_len;
    char *monitor;
    char *token;       /* NULL: no token needed                          */
    char *history_url; /* NULL: no history store                         */
    char *config_dir;  /* relative store paths resolve here              */
    unsigned history_points;
    int64_t started_ms; /* the daemon's start (uptime)                    */
    int stopping;
    int actions; /* daemon.actions: the dashboard may silence and ack   */
} snapshot;

/* Renders a snapshot of b, st and cfg with one reference. NULL when out
 * of memory. */
snapshot *snapshot_build(const board *b, const daemon_stats *st,
                         const config *cfg);
/* Another reference to s (s may be NULL). */
snapshot *snapshot_ref(snapshot *s);
/* Drops one reference; frees s with the last. NULL is accepted. */
void snapshot_unref(snapshot *s);

typedef struct snapshot_hub {
    pthread_mutex_t lock;
    snapshot *current;
} snapshot_hub;

void snapshot_hub_init(snapshot_hub *hub);
/* Makes s current; the hub takes over the caller's reference. */
void snapshot_hub_publish(snapshot_hub *hub, snapshot *s);
/* A new reference to the current snapshot (NULL before the first). */
snapshot *snapshot_hub_acquire(snapshot_hub *hub);
void snapshot_hub_free(snapshot_hub *hub);

#endif
