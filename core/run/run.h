/*
 * run.h - one run of a monitor: every selected check in its own process,
 * evaluation, aggregation, history, then every reporter.
 */
#ifndef NBAQ_RUN_RUN_H
#define NBAQ_RUN_RUN_H

#include <stddef.h>

#include "config.h"
#include "nbaq.h"

typedef struct run_summary {
    size_t checks_run;
    nbaq_status status;      /* worst over the checks that ran (PASS: none) */
    size_t reporters_failed; /* each already reported on stderr            */
    int history_failed;      /* saving the run failed (reported)            */
    int alerts_failed;       /* the alert lifecycle was not saved (logged)  */
    int interrupted;         /* SIGINT or SIGTERM                            */
} run_summary;

/*
 * Runs the enabled checks of cfg (only: NULL, or only_count names of
 * checks to run, enabled or not), then its enabled reporters. cfg must be
 * bound (bind.c). Returns 0 with *summary, or -1 with err when the run
 * could not happen at all (the cache directory, the history store).
 */
int run_monitor(config *cfg, const char *const *only, size_t only_count,
                run_summary *summary, char *err, size_t err_size);

/* Called once the run is evaluated and its history saved, before the
 * reporters run. run is read-only and valid during the call only. */
typedef void (*run_observer)(void *arg, const nbaq_run *run);

/* run_monitor, handing the run to observe(observe_arg, run) (observe may
 * be NULL). --daemon uses it to publish each round (core/daemon/). */
int run_monitor_observed(config *cfg, const char *const *only,
                         size_t only_count, run_observer observe,
                         void *observe_arg, run_summary *summary, char *err,
                         size_t err_size);

/*
 * A run of checks the host judged itself (the daemon's watchdog,
 * core/daemon/watchdog.h): results[0..count) go through the alert
 * lifecycle like plugin checks' (the host's own status PASS, their
 * metrics' statuses as given), then to the alert channels only: no
 * history run is saved and no other reporter runs. results are the
 * caller's, lent for the call (the run may adjust them).
 */
int run_monitor_host_checks(config *cfg, nbaq_check_result *const *results,
                            size_t count, run_observer observe,
                            void *observe_arg, run_summary *summary, char *err,
                            size_t err_size);

#endif
