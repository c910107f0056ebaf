/*
 * episodes.c - conditions the history rules open and close: loaded with a
 * metric's past, noted while a run is judged, written with the run, and
 * closed by hand by `history accept`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_episodes.h"

int history_episodes_note(history_store *store, const episode_note *note)
{
    if (!store || note->series <= 0)
        return 0;
    if (store->note_count == store->note_capacity) {
        size_t capacity = store->note_capacity ? store->note_capacity * 2 : 16;
        episode_note *grown = realloc(store->notes, capacity * sizeof *grown);
        if (!grown)
            return -1;
        store->notes = grown;
        store->note_capacity = capacity;
    }
    store->notes[store->note_count++] = *note;
    return 0;
}

void history_episodes_forget(history_store *store)
{
    if (store)
        store->note_count = 0;
}

/* ---- loading ------------------------------------------------------------*/

static void read_episode(const store_backend *b, store_stmt *s,
                         history_episode *e)
{
    e->open = 1;
    e->opened_ms = b->column_int64(s, 1);
    e->side = (int)b->column_int64(s, 2);
    e->expected = b->column_double(s, 3);
    e->scale = b->column_double(s, 4);
    e->lower = b->column_double(s, 5);
    e->upper = b->column_double(s, 6);
}

static int load_open(history_store *store, int64_t series, history_past *past,
                     char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_EPISODES_OPEN, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, series);
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        const char *rule = b->column_text(s, 0);
        if (rule && strcmp(rule, EPISODE_RULE_ANOMALY) == 0)
            read_episode(b, s, &past->anomaly_open);
        else if (rule && strcmp(rule, EPISODE_RULE_CHANGE) == 0)
            read_episode(b, s, &past->change_open);
    }
    b->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

/* The latest accepted or relearned level: the baseline starts there. */
static int load_rebase(history_store *store, int64_t series, history_past *past,
                       char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_EPISODE_REBASE, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, series);
    char why[512];
    int rc = b->step(s, why, sizeof why);
    if (rc == 1) {
        past->baseline_since_ms = b->column_int64(s, 0);
        past->level_until_ms = b->column_int64(s, 1);
        const char *reason = b->column_text(s, 2);
        const char *by = b->column_text(s, 3);
        if (reason && strcmp(reason, EPISODE_ACCEPTED) == 0) {
            past->accepted_ms = b->column_int64(s, 1);
            past->accepted_by = strdup(by ? by : "");
            if (!past->accepted_by)
                rc = -2;
        }
    }
    b->reset(s);
    if (rc < 0)
        return history_store_error(store, err, err_size, "%s",
                                   rc == -2 ? "out of memory" : why);
    return 0;
}

/* An episode open longer than relearn_after ends now: its values become
 * the baseline. */
static int relearn(history_store *store, int64_t series, const char *rule,
                   int64_t relearn_after_ms, int64_t now_ms,
                   history_episode *episode, history_past *past)
{
    if (!episode->open || relearn_after_ms <= 0 ||
        now_ms - episode->opened_ms < relearn_after_ms)
        return 0;
    episode_note note = {.change = EPISODE_NOTE_CLOSE,
                         .series = series,
                         .run_ms = now_ms,
                         .rule = rule,
                         .reason = EPISODE_RELEARNED,
                         .episode = *episode};
    if (past->baseline_since_ms < episode->opened_ms) {
        past->baseline_since_ms = episode->opened_ms;
        past->level_until_ms = now_ms;
        past->accepted_ms = 0;
        free(past->accepted_by);
        past->accepted_by = NULL;
    }
    episode->open = 0;
    return history_episodes_note(store, &note);
}

int history_episodes_load(history_store *store, int64_t series,
                          const metric_rule *rule, int64_t now_ms,
                          history_past *past, char *err, size_t err_size)
{
    if (load_open(store, series, past, err, err_size) != 0 ||
        load_rebase(store, series, past, err, err_size) != 0)
        return -1;
    if (relearn(store, series, EPISODE_RULE_ANOMALY,
                rule->anomaly.enabled ? rule->anomaly.relearn_after_ms : 0,
                now_ms, &past->anomaly_open, past) != 0 ||
        relearn(store, series, EPISODE_RULE_CHANGE,
                rule->change.enabled ? rule->change.relearn_after_ms : 0,
                now_ms, &past->change_open, past) != 0)
        return history_store_error(store, err, err_size, "out of memory");
    return 0;
}

/* ---- saving -------------------------------------------------------------*/

static int save_open(history_store *store, const episode_note *n, char *err,
                     size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_EPISODE_OPEN, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, n->series);
    b->bind_text(s, 2, n->rule);
    b->bind_int64(s, 3, n->episode.opened_ms);
    b->bind_int64(s, 4, n->episode.side);
    b->bind_double(s, 5, n->episode.expected);
    b->bind_double(s, 6, n->episode.scale);
    b->bind_double(s, 7, n->episode.lower);
    b->bind_double(s, 8, n->episode.upper);
    return history_store_run_bound(store, s, err, err_size);
}

static int save_close(history_store *store, const episode_note *n, char *err,
                      size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_EPISODE_CLOSE, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, n->series);
    b->bind_text(s, 2, n->rule);
    b->bind_int64(s, 3, n->run_ms);
    b->bind_text(s, 4, n->reason);
    b->bind_text(s, 5, NULL);
    b->bind_text(s, 6, NULL);
    return history_store_run_bound(store, s, err, err_size);
}

static int save_suspect(history_store *store, const episode_note *n,
                        int64_t run_pk, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_VALUE_SUSPECT, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, n->series);
    b->bind_int64(s, 2, run_pk);
    return history_store_run_bound(store, s, err, err_size);
}

int history_episodes_save(history_store *store, int64_t run_ms, int64_t run_pk,
                          char *err, size_t err_size)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < store->note_count; i++) {
        const episode_note *n = &store->notes[i];
        if (n->run_ms != run_ms)
            continue;
        if (n->change == EPISODE_NOTE_OPEN)
            rc = save_open(store, n, err, err_size);
        else if (n->change == EPISODE_NOTE_CLOSE)
            rc = save_close(store, n, err, err_size);
        else
            rc = save_suspect(store, n, run_pk, err, err_size);
    }
    history_episodes_forget(store);
    return rc;
}

/* ---- accept -------------------------------------------------------------*/

static int accept_all(history_store *store, int64_t series, int64_t now_ms,
                      const char *by, const char *note, accepted_episode *out,
                      size_t max, size_t *count, char *err, size_t err_size)
{
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_EPISODE_ACCEPT, err, err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, series);
    b->bind_int64(s, 2, now_ms);
    b->bind_text(s, 3, by);
    b->bind_text(s, 4, note);
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (*count < max) {
            const char *rule = b->column_text(s, 0);
            snprintf(out[*count].rule, sizeof out[*count].rule, "%s",
                     rule ? rule : "");
            out[*count].opened_ms = b->column_int64(s, 1);
        }
        (*count)++;
    }
    b->reset(s);
    return rc < 0 ? history_store_error(store, err, err_size, "%s", why) : 0;
}

int history_episodes_accept(history_store *store, int64_t series,
                            int64_t now_ms, const char *by, const char *note,
                            accepted_episode *out, size_t max, size_t *count,
                            char *err, size_t err_size)
{
    *count = 0;
    if (history_store_begin(store, 0, err, err_size) != 0)
        return -1;
    if (accept_all(store, series, now_ms, by, note, out, max, count, err,
                   err_size) != 0) {
        history_store_rollback(store);
        *count = 0;
        return -1;
    }
    return history_store_commit(store, err, err_size);
}
