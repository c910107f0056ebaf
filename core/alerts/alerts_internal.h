/*
 * alerts_internal.h - what the files of core/alerts share while one run's
 * alerts are computed (alerts.c drives; observe.c, track.c, outbox.c and
 * channels.c each do one part). Not for the rest of the host.
 */
#ifndef NBAQ_CORE_ALERTS_INTERNAL_H
#define NBAQ_CORE_ALERTS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "alerts.h"
#include "lifecycle.h"
#include "routing.h"

/* One result of this run for one fingerprint. Strings live in the run's
 * results or the alerts_run's arena. */
typedef struct observation {
    const char *check;
    const char *metric; /* "" for the check's own status              */
    int failing;
    nbaq_status status;     /* the plugin's own, or the metric's       */
    const char *summary;    /* one line; "" when passing                  */
    nbaq_severity severity; /* the check's configured                  */
} observation;

/* One fingerprint's row during the run. row's strings are malloc'd. */
typedef struct tracked {
    history_alert row;
    int is_new;  /* not in the store before this run               */
    int touched; /* changed this run: to be saved or deleted       */
    int forget;  /* delete the row                                 */
    lifecycle_event event;
    int shown; /* part of run->alerts                            */
    int64_t silenced_until_ms;
    int notify; /* some channel sends it this run                 */
} tracked;

typedef struct tracked_set {
    tracked *items; /* loaded rows first, then the ones this run adds   */
    size_t count;
    size_t cap;
    size_t *slots;     /* hash index by fingerprint: item index + 1, 0 free */
    size_t slot_count; /* a power of two, at least twice count          */
} tracked_set;

/* One notification a channel sends this run. */
typedef struct channel_send {
    int64_t id;              /* outbox id; 0 without a store           */
    const nbaq_alert *alert; /* what is sent; notify 1                */
    int64_t created_ms;
    int64_t attempts; /* failed attempts before this run       */
} channel_send;

struct alerts_channel {
    size_t reporter; /* index in cfg->reporters                        */
    const char *name;
    unsigned char is_default; /* takes every alert without routes      */
    channel_send *sends;      /* by fingerprint once channels_sort() ran     */
    size_t send_count;
    size_t send_cap;
    size_t sorted; /* sends[0..sorted) are in fingerprint order        */
    /* Open alerts this channel has heard of in their episode, sorted
     * once channels_sort() ran: its view keeps them (notify 0), so that
     * a channel that must re-post what is open (Alertmanager) sees them. */
    const char **known;
    size_t known_count;
    size_t known_cap;
    nbaq_run view;
    int view_built;
    int failed;
    const char *reason; /* why it failed, in the arena                */
};

/* observe.c: every result of the run (own statuses and metrics), in the
 * run's order. Returns -1 when out of memory. */
int observe_run(arena *mem, const alerts_params *params, observation **out,
                size_t *count);
/* One line, at most ALERT_SUMMARY_MAX bytes, cut on a UTF-8 boundary. */
#define ALERT_SUMMARY_MAX 1000
char *observe_summary_line(arena *mem, const char *text);

/* track.c */
/* Takes count rows loaded from the store (their strings now belong to
 * the set; the array is freed). -1 when out of memory (rows freed). */
int track_adopt(tracked_set *set, history_alert *rows, size_t count);
/* The row of fingerprint; NULL when none. */
tracked *track_find(tracked_set *set, const char *fingerprint);
/* A new zeroed row for fingerprint (check, metric); NULL when out of
 * memory. Invalidates earlier pointers into the set. */
tracked *track_add(tracked_set *set, const char *fingerprint, const char *check,
                   const char *metric);
/* Replaces a malloc'd string of a row; -1 when out of memory. */
int track_set_string(char **field, const char *value);
void track_free(tracked_set *set);

/* channels.c */
int channels_build(alerts_run *ar);
/* The router over the run's channels. is_default and names point into
 * arrays in the arena. */
int channels_router(alerts_run *ar, router *r);
/* Adds send to channel; -1 when out of memory. */
int channels_add_send(alerts_run *ar, alerts_channel *c,
                      const channel_send *send);
/* Records that channel c has heard of the open alert of fingerprint
 * (copied into the arena); -1 when out of memory. */
int channels_add_known(alerts_run *ar, alerts_channel *c,
                       const char *fingerprint);
/* Sorts every channel's sends (and known alerts) by fingerprint, for
 * channels_find. */
void channels_sort(alerts_run *ar);
/* The send of fingerprint among the sorted ones, or NULL. */
const channel_send *channels_find(const alerts_channel *c,
                                  const char *fingerprint);

/* outbox.c: decides who hears about each shown alert this run, queues
 * the rows in the store (inside the lifecycle transaction) and adds them
 * to the channels. suppress: queue nothing. Returns -1 on a store error
 * (err filled) or when out of memory. */
int outbox_queue(alerts_run *ar, const router *r, tracked_set *set,
                 const char *run_id, int suppress, char *err, size_t err_size);
/* Adds the undelivered rows of earlier runs to their channels, except
 * those superseded by a row queued this run, and marks their alerts in
 * set as notified. Sorts the channels' sends. */
int outbox_add_pending(alerts_run *ar, tracked_set *set);
/* An nbaq_alert in the arena from a row's snapshot. */
nbaq_alert *outbox_alert(arena *mem, const history_outbox_row *row);

#endif
