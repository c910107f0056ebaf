/*
 * fleet_board.h - the board's check results from the whole fleet
 * (docs/daemon.md, "A fleet of daemons"): every member shows the last
 * result of each check, whichever member ran it, with that member's name
 * ("member" in the result). With SQLite history nothing of this applies.
 */
#ifndef NBAQ_DAEMON_FLEET_BOARD_H
#define NBAQ_DAEMON_FLEET_BOARD_H

#include <stddef.h>

#include "board.h"
#include "history_fleet.h"

/* The results of names[0..count) came from this member's round. */
void fleet_board_stamp(board *b, const char *const *names, size_t count,
                       const char *member);

/* Each check of the board whose stored last result (rows, as
 * history_fleet_results_load gives them) is newer than the board's takes
 * it. Returns how many changed. */
size_t fleet_board_merge(board *b, const history_fleet_result_row *rows,
                         size_t count);

#endif
