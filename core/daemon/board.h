/*
 * board.h - what the daemon knows of each check: its configuration, its
 * latest result, whether it runs now, and the open alerts. Rounds update
 * it (board_apply); the renderers read it to build a snapshot.
 *
 * Results are kept as the JSON objects a round process sent (round.h),
 * which is also what /api/status shows.
 *
 * Ownership: the board owns its entries, their strings (malloc'd) and
 * their JSON (cJSON, deleted by board_free).
 */
#ifndef NBAQ_DAEMON_BOARD_H
#define NBAQ_DAEMON_BOARD_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "nbaq.h"

typedef struct board_check {
    char *name;
    char *plugin;
    char *description;
    nbaq_severity severity;
    int64_t interval_ms;
    int running;
    int64_t running_since_ms; /* wall clock; valid while running        */
    int64_t next_run_ms;      /* wall clock estimate; set by the daemon  */
    uint64_t runs;            /* results received since the start       */
    cJSON *result; /* the latest check object of a round; NULL: none yet */
} board_check;

typedef struct board {
    board_check *checks; /* the enabled checks, in config order          */
    size_t count;
    cJSON *alerts; /* array: open alerts (every state but RESOLVED)       */
} board;

/* An empty board; 0, or -1 when out of memory. */
int board_init(board *b);
void board_free(board *b);

/* The interval a check of cfg runs at: its own, or the daemon's. */
int64_t board_interval_of(const config *cfg, const check_config *c);

/*
 * Makes the board's checks the enabled checks of cfg, keeping the result
 * of each check that stays, dropping the others and their alerts.
 * 0, or -1 when out of memory (the board is then unchanged).
 */
int board_sync(board *b, const config *cfg);

/* The entry named name, or NULL. */
board_check *board_find(board *b, const char *name);

/*
 * Takes a round's result (round.h): each check's object replaces the
 * check's result; the round's alerts replace the alerts of the round's
 * checks (an alert RESOLVED is dropped); results of checks no longer on
 * the board are ignored. names are the checks the round ran.
 */
void board_apply(board *b, const char *const *names, size_t count,
                 const cJSON *round);

/* The alerts of the whole fleet, read from the shared store
 * (fleet_alerts.h), replace the board's: copies of those that are open
 * and of a check on the board (or the monitor's, or the watchdog's). */
void board_set_alerts(board *b, const cJSON *alerts);

/* A round that failed as a whole: each of its checks gets ERROR with
 * message, started at started_ms, lasting duration_ms. */
void board_fail(board *b, const char *const *names, size_t count,
                const char *message, int64_t started_ms, int64_t duration_ms);

/* The status of a result object (NBAQ_UNKNOWN when it holds none). */
nbaq_status board_result_status(const cJSON *result);

#endif
