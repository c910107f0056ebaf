/*
 * round.h - one round of the daemon: the checks that are due together,
 * run exactly as a one-shot run of those checks (run_monitor_observed:
 * one child per check through the runner, evaluation, alerts, history,
 * reporters), inside a child process of the daemon. The round process
 * hands the run back on a pipe as one JSON document (docs/daemon.md,
 * "Rounds"), then exits.
 *
 * Running a round in its own process keeps the daemon's event loop (the
 * schedule and the HTTP server) free while checks run, lets rounds of
 * different checks overlap, and gives every round a fresh history store
 * connection that is never shared with the daemon.
 *
 * Signals in the round process: SIGINT, SIGHUP and SIGTERM are ignored,
 * except that while checks or reporters run, the runner's own handler
 * turns SIGINT/SIGTERM into "kill the running jobs" (to force a stop the
 * daemon sends SIGTERM, again and again until the round ends, so that one
 * arriving before the checks start is not lost). The round process leads
 * its own process
 * group, so a Ctrl-C on the terminal reaches the daemon only.
 */
#ifndef NBAQ_DAEMON_ROUND_H
#define NBAQ_DAEMON_ROUND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "nbaq.h"
#include "textbuf.h"

/* Output of a round process past this is dropped: the round fails. */
#define ROUND_OUTPUT_MAX (256u << 20)

typedef struct round_proc {
    pid_t pid;
    int fd;         /* read end of the result pipe; -1 once at EOF        */
    textbuf output; /* what the round process wrote                     */
    int overflow;   /* wrote more than ROUND_OUTPUT_MAX                  */
    int exited;     /* wait_status is valid                              */
    int wait_status;
    char **names; /* the round's checks: malloc'd, owned                */
    size_t count;
    int64_t started_mono_ms;
    int64_t started_wall_ms;
    int64_t deadline_mono_ms; /* killed past this (the daemon's watchdog) */
    int killed;               /* ...which happened                       */
} round_proc;

/*
 * Starts a round of the checks names[0..count) of cfg (bound). Returns 0
 * with *r filled (names copied), or -1 with err (fork or pipe failed).
 * Call fflush(NULL) first is not needed: round_spawn does it.
 */
int round_spawn(config *cfg, const char *const *names, size_t count,
                round_proc *r, char *err, size_t err_size);

/* Starts a round of one check the host judged itself (the watchdog):
 * run_monitor_host_checks in the round process; its name is the round's
 * one name. result stays the caller's (the child has its own copy). */
int round_spawn_host_check(config *cfg, nbaq_check_result *result,
                           round_proc *r, char *err, size_t err_size);

/* Reads what the pipe holds now (non-blocking). Returns 1 at end of
 * file (the fd is closed), 0 otherwise. */
int round_read(round_proc *r);

/*
 * After the process exited (r->exited): reads the rest of the pipe and
 * parses the document. Returns it (the caller cJSON_Delete()s it), or
 * NULL with err saying why the round failed: a crash, a signal, a failed
 * run ("cannot create the run cache directory ..."), bad output.
 */
cJSON *round_result(round_proc *r, char *err, size_t err_size);

void round_free(round_proc *r);

/* The nbaq_run as the JSON a round hands back: checks with their metrics
 * and the run's alerts. Exposed for the unit tests. NULL: out of memory.
 * Non-finite metric values are the strings "NaN", "+Inf", "-Inf". */
cJSON *round_encode_run(const nbaq_run *run);

/* One alert as round_encode_run gives it (also the fleet's alerts read
 * from the store, fleet_alerts.h). NULL: out of memory. */
cJSON *round_encode_alert(const nbaq_alert *a);

/* Adds text (NULL: "") to o as a string; strings from plugins may be any
 * bytes, and JSON needs UTF-8: invalid sequences are cleaned. */
void round_add_text(cJSON *o, const char *key, const char *text);

#endif
