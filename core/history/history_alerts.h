/*
 * history_alerts.h - the alert lifecycle's tables in the history store
 * (schema version 2): one row per tracked fingerprint, the silences, and
 * the notification outbox. core/alerts/ decides what happens; this module
 * only reads and writes. docs/alerts.md describes the tables.
 *
 * Every function accepts store NULL: it then does nothing, a load is
 * empty, and it returns 0, so that the lifecycle can run without memory
 * when no store is configured. Errors: -1 with err "history store <name>:
 * ...".
 *
 * Transactions: history_alerts_begin() takes the store's exclusive write
 * lock (SQLite BEGIN IMMEDIATE, a PostgreSQL advisory lock), so that one
 * run's read-modify-write of the lifecycle is never interleaved with
 * another host's; history_alerts_commit() or _rollback() ends it. Outside
 * such a transaction every function commits on its own.
 *
 * Ownership: rows a load returns are malloc'd and owned by the caller,
 * who frees them with the matching _free function. Rows passed in are
 * only read during the call.
 */
#ifndef NBAQ_HISTORY_ALERTS_H
#define NBAQ_HISTORY_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "history.h"
#include "nbaq.h"

/* Flap history keeps at most this many results per fingerprint. */
#define HISTORY_ALERT_RESULTS_MAX 63

/* What the lifecycle remembers of one fingerprint between runs. A row
 * exists while an alert is open, while failing runs count towards
 * open_after, and while failures are inside the flap window. */
typedef struct history_alert {
    char *fingerprint;
    char *check;
    char *metric;           /* "" for the check's own status            */
    int open;               /* an alert is open (an episode runs)       */
    int64_t episode;        /* alerts opened for this fingerprint so far */
    nbaq_severity severity; /* as last shown, escalation included       */
    int escalated;          /* severity was raised in this episode      */
    nbaq_alert_state state; /* as last shown                            */
    char *summary;          /* the last failing run's, one line         */
    int64_t started_ms;     /* open: first failing run of the episode   */
    int64_t ended_ms;       /* closed by resolution: when; else 0       */
    int64_t fail_since_ms;  /* first run of the failing streak; 0       */
    int64_t pass_since_ms;  /* first run of the passing streak; 0       */
    uint32_t failing_runs;  /* consecutive non-PASS runs                */
    uint32_t passing_runs;  /* consecutive PASS runs                    */
    uint64_t results;       /* bit i: the run i runs ago was failing    */
    uint32_t result_count;  /* results recorded, <= RESULTS_MAX         */
    int flapping;
    /* Channels notified in this episode and when last:
     * "name=epoch_ms,name=epoch_ms" (names never hold ',' or '=').     */
    char *notified;
    int64_t updated_ms;
} history_alert;

/* A silence: by fingerprint (check "") or by check (fingerprint ""). */
typedef struct history_silence {
    int64_t id;
    char *fingerprint;
    char *check;
    int64_t until_ms;
    int64_t created_ms;
    char *comment;
} history_silence;

/* One notification of one alert transition for one channel. */
typedef struct history_outbox_row {
    int64_t id; /* assigned by history_outbox_add                    */
    char *channel;
    char *run_id; /* the run that queued it                          */
    int64_t created_ms;
    int64_t attempts; /* failed sends so far                         */
    char *last_error; /* "" before the first failure                 */
    int64_t episode;
    /* The alert as it is to be sent. */
    char *fingerprint;
    char *check;
    char *metric;
    char *summary;
    nbaq_severity severity;
    nbaq_alert_state state;
    int64_t started_ms;
    int64_t ended_ms;
    uint32_t failing_runs;
    /* Filled by history_outbox_of_alert only; 0: not (yet).           */
    int64_t delivered_ms;
    int64_t superseded_ms;
} history_outbox_row;

int history_alerts_begin(history_store *store, char *err, size_t err_size);
int history_alerts_commit(history_store *store, char *err, size_t err_size);
void history_alerts_rollback(history_store *store);

/* Every row of monitor, ordered by fingerprint. */
int history_alerts_load(history_store *store, const char *monitor,
                        history_alert **rows, size_t *count, char *err,
                        size_t err_size);
/* Inserts or replaces each row (key: monitor, fingerprint). */
int history_alerts_save(history_store *store, const char *monitor,
                        const history_alert *rows, size_t count, char *err,
                        size_t err_size);
/* Deletes the rows of these fingerprints. */
int history_alerts_delete(history_store *store, const char *monitor,
                          const char *const *fingerprints, size_t count,
                          char *err, size_t err_size);
void history_alerts_free(history_alert *rows, size_t count);

/* Silences of monitor: active_at_ms >= 0: only those with until_ms
 * after it; < 0: all of them. Ordered by id. */
int history_silences_load(history_store *store, const char *monitor,
                          int64_t active_at_ms, history_silence **rows,
                          size_t *count, char *err, size_t err_size);
/* Adds silence (its id is ignored); *id (may be NULL) gets the new id. */
int history_silence_add(history_store *store, const char *monitor,
                        const history_silence *silence, int64_t *id, char *err,
                        size_t err_size);
/* Ends, at now_ms, the active silences of monitor that match: id > 0
 * that one; else every one of fingerprint (non-NULL) or of check
 * (non-NULL). *ended (may be NULL) gets how many. Ended silences stay
 * in the table, as a record. */
int history_silence_end(history_store *store, const char *monitor, int64_t id,
                        const char *fingerprint, const char *check,
                        int64_t now_ms, uint64_t *ended, char *err,
                        size_t err_size);
void history_silences_free(history_silence *rows, size_t count);

/* Queues rows for monitor, in order; sets each row's id. */
int history_outbox_add(history_store *store, const char *monitor,
                       history_outbox_row *rows, size_t count, char *err,
                       size_t err_size);
/* Marks undelivered rows as superseded at now_ms: a later transition of
 * the same alert for the same channel replaces them (a channel is only
 * ever sent an alert's latest transition). */
int history_outbox_supersede(history_store *store, const int64_t *ids,
                             size_t count, int64_t now_ms, char *err,
                             size_t err_size);
/* The undelivered, not superseded rows of monitor, oldest first. */
int history_outbox_pending(history_store *store, const char *monitor,
                           history_outbox_row **rows, size_t *count, char *err,
                           size_t err_size);
/*
 * Delivery claims. Inside the lifecycle transaction, which serializes
 * every host of the store (and every round process of a daemon):
 *   _claimable: the pending rows nobody else is delivering: unclaimed, or
 *     claimed by a holder that has ended or longer ago than
 *     OUTBOX_CLAIM_MS. The holder is the PostgreSQL session (ended: not in
 *     pg_stat_activity) or, on SQLite, the host process (its pid; ended:
 *     no such process on this machine);
 *   _claim: claims every such row (those just loaded and those just
 *     added) for this holder, which delivers them after the commit.
 * A failed attempt (history_outbox_mark with delivered 0) drops the claim.
 */
#define OUTBOX_CLAIM_MS (10 * 60 * 1000LL)
int history_outbox_claimable(history_store *store, const char *monitor,
                             history_outbox_row **rows, size_t *count,
                             char *err, size_t err_size);
int history_outbox_claim(history_store *store, const char *monitor, char *err,
                         size_t err_size);
/* The latest rows of one alert (every episode; at most
 * HISTORY_OUTBOX_OF_ALERT_MAX_TEXT), waiting, delivered, failing or
 * superseded, newest first, with delivered_ms and superseded_ms: for the
 * alert detail. */
#define HISTORY_OUTBOX_OF_ALERT_MAX_TEXT "100"
int history_outbox_of_alert(history_store *store, const char *monitor,
                            const char *fingerprint, history_outbox_row **rows,
                            size_t *count, char *err, size_t err_size);
/* Marks rows, in a transaction of its own (never inside _begin/_commit):
 * delivered at now_ms, or (delivered 0) one more failed attempt with
 * error (one line, no secret). */
int history_outbox_mark(history_store *store, const int64_t *ids, size_t count,
                        int delivered, int64_t now_ms, const char *error,
                        char *err, size_t err_size);
/* Deletes delivered and superseded rows of monitor created before
 * before_ms. */
int history_outbox_prune(history_store *store, const char *monitor,
                         int64_t before_ms, uint64_t *deleted, char *err,
                         size_t err_size);
void history_outbox_free(history_outbox_row *rows, size_t count);

#endif
