/*
 * lifecycle.h - the alert state machine of one fingerprint, one run at a
 * time. Pure: no store, no clock, no channels; the caller loads the
 * fingerprint's history_alert, feeds it this run's result, and saves it.
 *
 *   closed --(open_after failing runs)--> NEW (notified)
 *   open, failing --> FIRING (repeats are the router's business)
 *   open, failing, a higher severity than shown (the status got worse,
 *     e.g. WARNING to FAIL) --> ESCALATED (notified)
 *   open, failing, a lower severity than shown --> FIRING, severity
 *     lowered (LIFECYCLE_LOWERED: notified only when configured)
 *   open, failing, escalate.after_runs consecutive failing runs or open
 *     for escalate.after --> ESCALATED: severity one level up, once
 *   open --(resolve_after passing runs)--> RESOLVED (notified): ended_ms
 *     is the first passing run, the alert closes
 *   a short failure back soon (flapping.h) --> FLAPPING (notified once;
 *     opens an alert when none is open); while flapping nothing is
 *     notified; once `settle` results agree it stops: failing, the alert
 *     is notified again (SETTLED, state FIRING); passing, the rules above
 *     resolve it.
 *
 * docs/alerts.md works through sequences by hand; tests/alerts checks
 * them.
 */
#ifndef NBAQ_CORE_ALERTS_LIFECYCLE_H
#define NBAQ_CORE_ALERTS_LIFECYCLE_H

#include <stdint.h>

#include "flapping.h"
#include "history_alerts.h"
#include "nbaq.h"

typedef struct lifecycle_policy {
    uint32_t open_after;          /* >= 1                                    */
    uint32_t resolve_after;       /* >= 1                                    */
    uint32_t escalate_after_runs; /* 0: not by runs                    */
    int64_t escalate_after_ms;    /* 0: not by time                    */
    flap_policy flap;
} lifecycle_policy;

/* What this run did to the alert that channels must hear about. */
typedef enum lifecycle_event {
    LIFECYCLE_NONE = 0,
    LIFECYCLE_OPENED,
    LIFECYCLE_ESCALATED,
    LIFECYCLE_FLAPPING, /* started flapping                             */
    LIFECYCLE_RESOLVED,
    LIFECYCLE_LOWERED, /* severity lowered by a milder status             */
    LIFECYCLE_SETTLED  /* stopped flapping and still failing              */
} lifecycle_event;

/*
 * Applies one run's result to a (a zeroed history_alert for a fingerprint
 * never seen). severity is what this run's status maps to (alerts.
 * severity_from_status); it is ignored on a passing run. Updates every
 * counter, the flap history, open/closed, severity, state and times;
 * strings (summary, notified) are the caller's. Opening a new episode
 * empties a->notified (sets its first byte to NUL when it has one).
 */
lifecycle_event lifecycle_step(history_alert *a, const lifecycle_policy *p,
                               int failing, int64_t now_ms,
                               nbaq_severity severity);

/* Closes an open alert whose check is gone from the configuration (or
 * disabled): RESOLVED at now_ms. LIFECYCLE_NONE when none was open. */
lifecycle_event lifecycle_close(history_alert *a, int64_t now_ms);

/* Non-zero when the fingerprint's row can be deleted: no alert open, no
 * failing streak counting towards open_after, and no failure left in
 * the flap window. */
int lifecycle_forgettable(const history_alert *a, const lifecycle_policy *p);

/* Non-zero when event is notified to every channel the alert is routed
 * to (LIFECYCLE_NONE is not: a firing alert goes only where it is new or
 * due again; LIFECYCLE_LOWERED only with notify_lowered). */
int lifecycle_notifies(lifecycle_event event, int notify_lowered);

/* base one level up, at most CRITICAL. */
nbaq_severity lifecycle_raise(nbaq_severity base);

#endif
