/*
 * alertset.h - the alerts a notification channel must send in one run.
 *
 * The host decides which alerts a channel sends (routing, repeat intervals,
 * silences) and marks them with nbaq_alert.notify. A channel sends one
 * notification per run holding all of them, grouped by severity, most
 * severe first. This module makes that selection once for every channel.
 */
#ifndef NBAQ_ALERTSET_H
#define NBAQ_ALERTSET_H

#include <stddef.h>

#include "nbaq.h"

typedef struct alertset {
    /* The alerts with notify set: severity descending, and within one
     * severity in the host's order. The array is allocated by
     * alertset_init and freed by alertset_free; the alerts it points to
     * belong to the run and live as long as the run.                     */
    const nbaq_alert **alerts;
    size_t count;
    size_t by_severity[NBAQ_SEVERITY_COUNT];
    size_t resolved; /* how many of them are RESOLVED                    */
    /* The RESOLVED ones among by_severity.                              */
    size_t resolved_by_severity[NBAQ_SEVERITY_COUNT];
} alertset;

/* Selects the alerts of run whose notify is set. Returns 0, or -1 with err
 * filled when memory runs out. An empty set (count 0) is not an error.   */
int alertset_init(alertset *set, const nbaq_run *run, char *err,
                  size_t err_size);

/* As alertset_init, and also every alert of run that is still open (not
 * RESOLVED) whatever its notify: for a receiver that forgets an alert
 * that is not posted again (Alertmanager). The host leaves out of a
 * channel's run the alerts that were never routed to it. */
int alertset_init_open(alertset *set, const nbaq_run *run, char *err,
                       size_t err_size);
void alertset_free(alertset *set);

/* The most severe severity in a non-empty set. */
nbaq_severity alertset_worst(const alertset *set);

/* The most severe severity among the alerts that are not RESOLVED;
 * NBAQ_SEV_INFO when every alert is resolved. */
nbaq_severity alertset_worst_firing(const alertset *set);

/* Non-zero when the set is not empty and every alert in it is RESOLVED:
 * the notification only says that alerts ended. */
int alertset_resolved_only(const alertset *set);

/* Room for any text alertset_describe writes, NUL included. */
#define ALERTSET_DESCRIBE_SIZE 160

/* The set in a few words, for subjects and headlines, the alerts still
 * open first: "3 alerts (1 critical, 2 medium)", "1 alert (critical),
 * 2 resolved (1 high, 1 medium)", "2 alerts resolved (1 critical,
 * 1 high)", "1 alert resolved (high)". */
void alertset_describe(const alertset *set, char *buf, size_t size);

/* The alerts of one severity: a slice of set->alerts, *count long. */
const nbaq_alert *const *alertset_group(const alertset *set,
                                        nbaq_severity severity, size_t *count);

#endif /* NBAQ_ALERTSET_H */
