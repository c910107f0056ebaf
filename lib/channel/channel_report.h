/*
 * channel_report.h - the body of the report callback of a channel that
 * sends one payload per run (webhook, slack, alertmanager): select the
 * alerts to send, build the payload, send it; a run with nothing to send
 * sends nothing.
 */
#ifndef NBAQ_CHANNEL_REPORT_H
#define NBAQ_CHANNEL_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "alertset.h"
#include "nbaq.h"

/* A channel that sends one payload per run. */
typedef struct channel_poster {
    /* What the payload is, for "out of memory building the <payload>". */
    const char *payload;
    /* The payload of set (never empty; set and run are read-only and live
     * for the call), malloc'd (the caller frees it), or NULL when memory
     * runs out. now_ms: when this run sends. */
    char *(*build)(const nbaq_host_api *api, nbaq_ctx *ctx, const nbaq_run *run,
                   const alertset *set, int64_t now_ms);
    /* Sends body, which holds `alerts` alerts. 0, or -1 with err. */
    int (*send)(const nbaq_host_api *api, nbaq_ctx *ctx, const char *body,
                size_t alerts, int64_t now_ms, char *err, size_t err_size);
    /* Non-zero: the payload also holds every open alert of the run,
     * notified or not (alertset_init_open), for a receiver that forgets
     * alerts that are not posted again. */
    int keep_open;
} channel_poster;

/* Selects the alerts to send (alertset_init, or alertset_init_open for a
 * keep_open poster) and, when there are any,
 * builds the payload, releases the selection (only the payload stays in
 * memory while it travels) and sends it. 0 when there was nothing to
 * send or it was sent; -1 with err filled otherwise ("out of memory
 * building the <payload>", or send's reason). */
int channel_post_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, const channel_poster *poster,
                        char *err, size_t err_size);

#endif /* NBAQ_CHANNEL_REPORT_H */
