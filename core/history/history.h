/*
 * history.h - the history store and the history-based rules, as the host
 * calls them. Library nbaq_history (core/history/CMakeLists.txt).
 *
 * The host's sequence for one run: who calls what, and when
 *
 *   1. main.c, once, after the config is loaded, before any check runs:
 *        history_open(url, config_dir, NULL, &store, err, sizeof err)
 *      On failure err names the store (a PostgreSQL password is redacted);
 *      the host prints it, carries on with store == NULL (every function
 *      below accepts NULL and then does nothing), sets
 *      run->history_saved = -1 and signals it in its exit code.
 *
 *   2. Runner, in the parent, before it forks check C:
 *        history_state_load(store, monitor, C, &state, err, sizeof err)
 *      The child answers state_get(key) with history_state_find(&state,
 *      key). The parent frees it with history_state_free() when C is done.
 *
 *   3. evaluate.c, for every metric M of check C, after the static
 *      thresholds (warn_above...) have set M's status and reason:
 *        history_evaluate_metric(store, monitor, C, rule, run->started_ms,
 *                                &settings, M, &past, &verdict, err, size)
 *      rule is the metric_rule that matched M (NULL: none). It reads M's
 *      past, applies the anomaly and change rules (sets M->anomalous) and
 *      fills M's history fields (previous, change_pct, trend, window_ms,
 *      previous_window_mean, stats, history). The host then merges the
 *      verdict: M->status = worst(M->status, verdict.status), and appends
 *      verdict.reason to M->reason (joined by "; ") when it is not "".
 *      M->history points into `past`: keep `past` until the run has been
 *      saved and reported, then history_past_free(&past).
 *      history_evaluate_metric is history_load_past, history_apply_rules
 *      and history_annotate in a row; a host that merges the verdict
 *      itself may make those three calls instead (core/aggregate.c does).
 *
 *   4. After alerts are computed and before the reporters run (so that
 *      run->history_saved is known to them):
 *        history_save_run(store, run, states, n, err, sizeof err)
 *      0: run->history_saved = 1; -1: run->history_saved = -1.
 *
 *   5. After saving, when the config sets a retention:
 *        history_prune(store, run->monitor, now - retention, &n, err, ...)
 *
 *   6. history_close(store) before exit.
 *
 *   The `history` sub-command: `nbaq-host -c FILE history ...` calls
 *   history_cli_main() (below) and exits with what it returns.
 *
 * Threads: a store is used by one thread at a time. Processes: a store must
 * not be used in a forked child (each check child gets its state only).
 */
#ifndef NBAQ_HISTORY_H
#define NBAQ_HISTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "nbaq.h"
#include "rules.h"

/* Opaque: one open store (an SQLite file or a PostgreSQL connection). */
typedef struct history_store history_store;

/* ------------------------------------------------------------------------ */
/* Opening and closing                                                      */

typedef struct history_open_options {
    int busy_timeout_ms;   /* SQLite: wait this long for a lock; 0: 5000  */
    int connect_timeout_s; /* PostgreSQL: 0: 10 (the URL may override)    */
} history_open_options;

/*
 * Opens the store named by url, creating it and migrating its schema:
 *   "history.db", "data/h.db"   a path, relative to base_dir when not
 *                               absolute (base_dir NULL: the working dir)
 *   "/var/lib/nbaq/h.db"        an absolute path
 *   "sqlite://h.db"             the same, relative to base_dir
 *   "sqlite:///var/lib/h.db"    absolute (three slashes)
 *   "postgresql://user:pw@host:port/db?sslmode=...", "postgres://..."
 *                               a libpq connection URI
 * The SQLite file is created when missing; its directory must exist.
 * options NULL: defaults. On success *out is the store (free it with
 * history_close) and 0 is returned. On failure *out is NULL, -1 is
 * returned and err says why, naming the store (never its password): a
 * missing directory, a read-only, locked or corrupt file, an unreachable
 * server, a schema newer than this code.
 */
int history_open(const char *url, const char *base_dir,
                 const history_open_options *options, history_store **out,
                 char *err, size_t err_size);

/* Closes the store; NULL is accepted. Rolls back nothing: every write
 * function commits or rolls back before it returns. */
void history_close(history_store *store);

/* The store as it may be shown to a user: the resolved SQLite path, or the
 * PostgreSQL URL with its password replaced by "***". Owned by the store,
 * valid until history_close. */
const char *history_store_name(const history_store *store);

/* The schema version this code writes. */
int history_schema_version(void);

/* ------------------------------------------------------------------------ */
/* Before evaluation: one metric's past, rules and annotations              */

/* One stored value of a metric. */
typedef struct history_sample {
    int64_t ts_ms;
    double value; /* NAN when the stored value was NaN                   */
    int anomalous;
} history_sample;

/* A condition a history rule opened and has not closed: the baseline as
 * it was when it opened, frozen while it stays open (docs/history.md,
 * "Episodes"). Stored in nbaq_episodes. */
typedef struct history_episode {
    int open;          /* 0: none; the rest is undefined                 */
    int64_t opened_ms; /* the run that opened it                         */
    int side;          /* +1 above the baseline, -1 below                */
    double expected;   /* the baseline's value then (change: the value   */
    double scale;      /*   before the step); NAN where not known        */
    double lower, upper;
} history_episode;

/* What a metric's rules and annotations need of its past. Filled by
 * history_load_past (or history_evaluate_metric); every array is owned by
 * the struct and released by history_past_free. Zero-initialize it
 * (HISTORY_PAST_INIT) before the first call. */
typedef struct history_past {
    int has_previous; /* a value before now_ms exists            */
    double previous;  /* the latest value before now_ms          */
    int64_t previous_ts_ms;
    history_sample *baseline; /* anomaly baseline candidates, oldest     */
    size_t baseline_count;    /*   first (see history_load_past)         */
    history_sample *window;   /* every value in (now - 2W, now), oldest  */
    size_t window_count;      /*   first; W = the trend window           */
    nbaq_point *points;       /* for metric->history: the latest earlier */
    size_t point_count;       /*   finite values, oldest first, plus the */
    size_t point_capacity;    /*   current one added by history_annotate */
    nbaq_point_band *bands;   /* for metric->history_band: parallel to   */
                              /*   points (same count and capacity)      */
    /* Episodes (only when the rule has anomaly or change enabled).       */
    history_episode anomaly_open; /* open before this run                 */
    history_episode change_open;
    int64_t baseline_since_ms; /* the baseline starts here: the opening of
                                  the latest accepted or relearned level;
                                  INT64_MIN: no such level               */
    int64_t level_until_ms;    /* values flagged before it belong to that
                                  level and count in the baseline        */
    int64_t accepted_ms;       /* that level was accepted at (else 0)    */
    char *accepted_by;         /*   by whom (owned; NULL when not)       */
    /* Where this run's episode changes go, to be saved with the run.     */
    history_store *store;
    int64_t series; /* 0: never stored before                           */
} history_past;

#define HISTORY_PAST_INIT                                                      \
    {                                                                          \
        0                                                                      \
    }

#define HISTORY_DEFAULT_TREND_WINDOW_MS (24 * 3600 * 1000LL)
#define HISTORY_DEFAULT_REPORT_POINTS 48

/* Settings of the whole history section of the config. */
typedef struct history_settings {
    int64_t trend_window_ms; /* W; <= 0: 24 h                              */
    size_t report_points;    /* points in metric->history, this run
                                included; 0: none                         */
} history_settings;

/* What the history rules say about one value. */
typedef struct history_verdict {
    nbaq_status status; /* PASS when no history rule fired                */
    char reason[512];   /* "" when none fired; else "anomaly: ...",
                           "change: ..." or both joined by "; "          */
} history_verdict;

/*
 * Reads what one metric needs of its past, up to (not including) now_ms:
 *   - the previous value (the latest stored before now_ms);
 *   - the window (now - 2W, now) for the trend and statistics;
 *   - the latest report_points - 1 values for metric->history;
 *   - when rule->anomaly or rule->change is enabled, the open episodes
 *     and the start of the baseline (the latest accepted or relearned
 *     level); an open episode older than its rule's relearn_after is
 *     closed here ("relearned") and its values start the baseline;
 *   - when rule->anomaly is enabled, the baseline: the latest
 *     detect_points_needed() finite values since the baseline's start
 *     (and in [now - window_ms, now) when window_ms > 0) that are not
 *     flagged (anomalous 0), or that belong to the accepted level.
 * rule may be NULL; settings NULL: defaults. store NULL: an empty past,
 * 0. Returns 0, or -1 with err naming the store (past is then empty but
 * valid). past must be HISTORY_PAST_INIT or already used (it is reset).
 */
int history_load_past(history_store *store, const char *monitor,
                      const char *check, const char *metric,
                      const metric_rule *rule, int64_t now_ms,
                      const history_settings *settings, history_past *past,
                      char *err, size_t err_size);

/*
 * Applies rule's anomaly and change rules to metric->value against past:
 * sets metric->anomalous (1 when the anomaly rule fired, else 0), fills
 * metric->evidence and verdict, and notes the episodes this value opens
 * or closes (and whether it is a suspect warm-up value) with past->store,
 * which history_save_run writes with the run of now_ms. A rule still
 * learning says "learning (5 of 7 values)" with PASS. Never fires on a
 * NaN or infinite value. rule NULL: PASS, "". Does not touch
 * metric->status or metric->reason: the host merges the verdict.
 */
void history_apply_rules(const metric_rule *rule, history_past *past,
                         int64_t now_ms, nbaq_metric *metric,
                         history_verdict *verdict);

/* metric->evidence says "not judged" (state NONE, numbers NAN, season
 * "none") and metric->history_band is NULL: before the rules run. */
void history_evidence_none(nbaq_metric *metric);

/*
 * Fills metric's history fields from past and metric->value: previous,
 * change_pct, trend (better from the rule), window_ms,
 * previous_window_mean, stats over (now - W, now] this run included, and
 * history and history_band (pointing into past->points and past->bands,
 * this value last, its band from metric->evidence). See
 * docs/history.md for the exact definitions.
 */
void history_annotate(nbaq_metric *metric, history_past *past,
                      rule_better better, int64_t now_ms,
                      const history_settings *settings);

/*
 * history_load_past + history_apply_rules + history_annotate for one
 * metric. With store NULL the metric's history
 * fields say "no history" (has_previous 0, trend UNKNOWN, stats.count 0,
 * history_count 0) and the verdict is PASS. When reading fails, -1 and err
 * are returned, the rules are not applied (PASS) and the annotations use
 * this run's value only; the host carries on.
 */
int history_evaluate_metric(history_store *store, const char *monitor,
                            const char *check, const metric_rule *rule,
                            int64_t now_ms, const history_settings *settings,
                            nbaq_metric *metric, history_past *past,
                            history_verdict *verdict, char *err,
                            size_t err_size);

/* Frees past's arrays and zeroes it; a metric whose history pointed into it
 * must not be read afterwards. */
void history_past_free(history_past *past);

/*
 * One read snapshot over the reads of a check (its vanished series, every
 * metric's past): on SQLite one shared lock for all of them instead of one
 * per statement; on PostgreSQL nothing (each read stays in autocommit).
 * Only reads may happen until history_read_end, which ends it. Inside a
 * transaction already open, or with store NULL, both do nothing.
 */
void history_read_begin(history_store *store);
void history_read_end(history_store *store);

/* ------------------------------------------------------------------------ */
/* Check state (state_get / state_set of the host API)                     */

typedef struct history_state_item {
    char *key;
    char *value;
} history_state_item;

/* A check's saved key/value pairs; owned by the caller of
 * history_state_load, freed with history_state_free. */
typedef struct history_state {
    history_state_item *items;
    size_t count;
} history_state;

/* Loads every key saved for (monitor, check). store NULL: empty, 0.
 * -1 with err on failure (state is then empty). */
int history_state_load(history_store *store, const char *monitor,
                       const char *check, history_state *state, char *err,
                       size_t err_size);
/* The value of key, or NULL. Points into state. */
const char *history_state_find(const history_state *state, const char *key);
void history_state_free(history_state *state);

/* One state_set of this run, to be saved with it. */
typedef struct history_state_entry {
    const char *check;
    const char *key;
    const char *value; /* NULL: delete the key                           */
} history_state_entry;

/* ------------------------------------------------------------------------ */
/* Saving, pruning                                                          */

/* The fleet member ("host:pid") whose runs this process saves from now
 * on, recorded with each run; "" (the default) for none. The daemon sets
 * it before forking its rounds. member must outlive the process's runs. */
void history_set_run_member(const char *member);

/*
 * Saves the whole run in one transaction: the run (id, monitor, times,
 * status), every check (status, message, severity, times), every metric
 * (value, unit, status, reason, anomalous, evidence band and score) at
 * ts = run->started_ms, the episodes history_apply_rules opened or closed
 * for this run (those noted for another time are dropped), the run's
 * alerts, and the state entries (upserted per check and key; keys
 * not mentioned keep their earlier value). A crash or kill in the middle
 * leaves the store as it was before. Nothing is kept from the arguments.
 * store NULL: returns 0 and does nothing (the caller knows it has no
 * store). -1 with err naming the store; the store is unchanged.
 */
int history_save_run(history_store *store, const nbaq_run *run,
                     const history_state_entry *states, size_t state_count,
                     char *err, size_t err_size);

/* Deletes the runs of monitor (NULL: of every monitor) that started before
 * before_ms, with their checks, metric values and alerts, in one
 * transaction. Check state is kept. *runs_deleted (may be NULL) gets the
 * count. store NULL: 0. -1 with err on failure. */
int history_prune(history_store *store, const char *monitor, int64_t before_ms,
                  uint64_t *runs_deleted, char *err, size_t err_size);

/* ------------------------------------------------------------------------ */
/* The `history` sub-command                                                */

#define HISTORY_EXIT_OK 0
#define HISTORY_EXIT_USAGE 64   /* EX_USAGE: bad arguments                  */
#define HISTORY_EXIT_STORE 69   /* EX_UNAVAILABLE: store cannot be opened   */
                                /* or queried                              */
#define HISTORY_EXIT_NOTHING 65 /* EX_DATAERR: accept found no open      */
                                /* condition                             */

typedef struct history_cli_env {
    const char *url;      /* the config's history store URL             */
    const char *base_dir; /* relative paths resolve here (config's dir) */
    const char *monitor;  /* the config's monitor name                  */
    int64_t now_ms;       /* 0: the clock                               */
    /* The better direction of (check, metric) from the config's rules,
     * for trend words; NULL: up/down.                                   */
    rule_better (*better)(void *arg, const char *check, const char *metric);
    void *better_arg;
    history_open_options open_options;
} history_cli_env;

/*
 * `nbaq-host -c FILE history ARGS...`: argv[0] is "history". Sub-commands
 * (docs/history.md):
 *   show --check C --metric M [--since T] [--until T] [--json]
 *   trends [--window D] [--check C] [--until T] [--json]
 *   prune --older-than D
 *   accept --check C --metric M [--by NAME] [--note TEXT]
 * Writes results to out. Returns HISTORY_EXIT_OK, or HISTORY_EXIT_USAGE /
 * HISTORY_EXIT_STORE with a one-line message in err for the host to print
 * (usage errors end with a hint to `history --help`).
 */
int history_cli_main(int argc, char **argv, const history_cli_env *env,
                     FILE *out, char *err, size_t err_size);

/* ------------------------------------------------------------------------ */
/* For tests only                                                           */

/* Called inside history_save_run's transaction each time a batch of
 * metric values (1 to 64) has been written, with the count so far. Lets a
 * test kill the process in the middle of a run. */
typedef void (*history_save_hook)(void *arg, size_t rows_written);
void history_set_save_hook(history_store *store, history_save_hook hook,
                           void *arg);

#endif
