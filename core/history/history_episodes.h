/*
 * history_episodes.h - conditions the history rules open and close
 * (nbaq_episodes, schema version 3): loading the open ones and the start
 * of the baseline with a metric's past, noting what a run changes, writing
 * that with the run, and closing them by hand (`history accept`).
 * docs/history.md, "Episodes".
 */
#ifndef NBAQ_HISTORY_EPISODES_H
#define NBAQ_HISTORY_EPISODES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "history_store.h"

/* The rules an episode belongs to, as stored in nbaq_episodes.rule. */
#define EPISODE_RULE_ANOMALY "anomaly"
#define EPISODE_RULE_CHANGE "change"

/* Why an episode closed, as stored in nbaq_episodes.close_reason. */
#define EPISODE_RETURNED "returned"   /* the value came back            */
#define EPISODE_ACCEPTED "accepted"   /* `history accept`               */
#define EPISODE_RELEARNED "relearned" /* open longer than relearn_after */

typedef enum episode_change {
    EPISODE_NOTE_OPEN,   /* insert: this run opened it                   */
    EPISODE_NOTE_CLOSE,  /* update: this run closed it (reason)          */
    EPISODE_NOTE_SUSPECT /* mark this run's value a suspect warm-up one  */
} episode_change;

/* One change a run makes, kept by the store until history_save_run. rule
 * and reason point to the static strings above. */
struct episode_note {
    episode_change change;
    int64_t series;
    int64_t run_ms; /* the run it belongs to (run->started_ms)          */
    const char *rule;
    const char *reason;
    history_episode episode;
};

/* Notes a change for the run of note->run_ms; store NULL or series 0:
 * nothing. Out of memory drops the note (the episode is then judged again
 * from the stored state next run) and returns -1. */
int history_episodes_note(history_store *store, const episode_note *note);

/*
 * Fills past's open episodes and baseline start for series, as of now_ms.
 * An open episode older than its rule's relearn_after is closed as
 * "relearned" at now_ms (noted for the run) and its opening becomes the
 * baseline's start. 0, or -1 with err naming the store.
 */
int history_episodes_load(history_store *store, int64_t series,
                          const metric_rule *rule, int64_t now_ms,
                          history_past *past, char *err, size_t err_size);

/* Writes the notes of the run started at run_ms (inside the caller's
 * transaction; run_pk: its row) and forgets every note. 0, or -1 with
 * err. */
int history_episodes_save(history_store *store, int64_t run_ms, int64_t run_pk,
                          char *err, size_t err_size);

/* Forgets every note (a run that is not saved). */
void history_episodes_forget(history_store *store);

/* One episode `history accept` closed. */
typedef struct accepted_episode {
    char rule[16];
    int64_t opened_ms;
} accepted_episode;

/*
 * Closes every open episode of series as "accepted" at now_ms by `by`
 * (with note, may be NULL), in one transaction; their values become the
 * baseline. Fills up to max entries of out and sets *count to the number
 * closed (0: nothing was open). 0, or -1 with err naming the store.
 */
int history_episodes_accept(history_store *store, int64_t series,
                            int64_t now_ms, const char *by, const char *note,
                            accepted_episode *out, size_t max, size_t *count,
                            char *err, size_t err_size);

/* `history accept` (accept.c). */
typedef struct history_accept_request {
    const char *monitor, *check, *metric;
    const char *by;   /* NULL: $USER, else "unknown"                     */
    const char *note; /* may be NULL                                     */
    int64_t now_ms;
} history_accept_request;

/* Closes the metric's open conditions as accepted and says so on out.
 * HISTORY_EXIT_OK; HISTORY_EXIT_NOTHING when the metric has no values or
 * no open condition; HISTORY_EXIT_STORE. err: one line. */
int history_accept(history_store *store, const history_accept_request *req,
                   FILE *out, char *err, size_t err_size);

#endif
