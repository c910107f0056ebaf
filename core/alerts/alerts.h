/*
 * alerts.h - one run's alerts: the lifecycle of every fingerprint, the
 * notifications each channel must send (the outbox), and what came of
 * them. docs/alerts.md describes the behaviour; this is how run.c drives
 * it:
 *
 *   1. alerts_process(), after the checks are aggregated and before the
 *      run is saved. In one exclusive store transaction it loads the
 *      fingerprints, the active silences and the undelivered
 *      notifications, applies this run's results, queues one outbox row
 *      per channel and alert transition, saves, and commits. It sets
 *      run->alerts (with notify set for every alert some channel sends).
 *   2. For each reporter, alerts_channel_of(reporter index): a channel
 *      gets alerts_channel_view(), whose alerts carry notify for exactly
 *      what it must send; any other reporter gets the run itself.
 *   3. After a channel's report(), alerts_channel_done(): its rows are
 *      marked delivered when report() returned 0, else one more failed
 *      attempt is recorded and the rows wait for the next run.
 *   4. alerts_add_failures(): one check-like entry "channel:<name>"
 *      (ERROR) per channel that failed with notifications to deliver,
 *      for the reporters that run afterwards.
 *   5. alerts_run_free().
 *
 * Without a store configured the lifecycle has no memory: every failing
 * fingerprint is NEW in every run and the outbox lives for the run only.
 * With a store configured that could not be opened (or a lifecycle
 * transaction that failed), alerts are computed the same way but nothing
 * is notified, so that an outage of the store never pages everybody
 * again; the failure is logged and alerts_run.failed is set.
 *
 * Ownership: the alerts_run owns everything it creates (one arena and
 * what the store returned) until alerts_run_free(); run->alerts and the
 * views point into it. The config, store and run are the caller's and
 * must outlive it.
 */
#ifndef NBAQ_CORE_ALERTS_H
#define NBAQ_CORE_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "history.h"
#include "history_alerts.h"
#include "nbaq.h"

/* One check of the run, with what its plugin said on its own (the
 * check's status also counts its metrics', which have their own alerts).
 */
typedef struct alerts_check_input {
    const nbaq_check_result *result;
    nbaq_status own_status; /* the plugin's status, or ERROR when its
                               process did not end normally            */
    const char *own_message;
} alerts_check_input;

typedef struct alerts_params {
    const config *cfg;
    history_store *store; /* NULL: none configured, or it failed   */
    int store_failed;     /* configured but could not be opened      */
    const alerts_check_input *checks;
    size_t check_count;
    int full_run; /* no --only: alerts of checks removed from the
                     config (or disabled) are resolved              */
} alerts_params;

typedef struct alerts_channel alerts_channel;

typedef struct alerts_run {
    arena mem;
    const config *cfg;
    history_store *store;
    int64_t now_ms;
    int remembered; /* the lifecycle was read from and saved to a store */
    int failed;     /* the store could not be read or written (logged)  */
    alerts_channel *channels;
    size_t channel_count;
    history_outbox_row *pending; /* loaded from the store (malloc'd)   */
    size_t pending_count;
} alerts_run;

/* Computes the run's alerts and queues its notifications; sets
 * run->alerts. Returns 0, or -1 with err when out of memory (store
 * failures are not errors: see above). */
int alerts_process(alerts_run *ar, const alerts_params *params, nbaq_run *run,
                   char *err, size_t err_size);

/* The channel of reporter (its index in cfg->reporters), or -1 when that
 * reporter is no channel. */
long alerts_channel_of(const alerts_run *ar, size_t reporter);

/* The run as channel must see it; valid until alerts_run_free(). NULL
 * when out of memory. */
const nbaq_run *alerts_channel_view(alerts_run *ar, long channel,
                                    const nbaq_run *run);

/* How many notifications channel has to deliver this run. */
size_t alerts_channel_pending(const alerts_run *ar, long channel);

/* Records the outcome of channel's report(): delivered, or failed with
 * reason (one line, no secret). */
void alerts_channel_done(alerts_run *ar, long channel, int delivered,
                         const char *reason);

/* Appends to run->checks an ERROR entry "channel:<name>" for each channel
 * that failed with notifications to deliver, and recounts the run's
 * status. Allocates in mem (the run's arena). Returns how many, or -1
 * when out of memory. */
long alerts_add_failures(alerts_run *ar, nbaq_run *run, arena *mem);

void alerts_run_free(alerts_run *ar);

#endif
