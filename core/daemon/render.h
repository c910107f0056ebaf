/*
 * render.h - the texts a snapshot serves: /api/status (JSON) and the
 * per-round part of /metrics (Prometheus text format 0.0.4), plus the
 * per-request part of /metrics (uptime, memory), written with base's
 * promtext.h like the prometheus reporter. docs/daemon.md lists
 * every field and series.
 *
 * Ownership: render_status and render_metrics return malloc'd text the
 * caller frees (NULL when out of memory).
 */
#ifndef NBAQ_DAEMON_RENDER_H
#define NBAQ_DAEMON_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "board.h"
#include "config.h"
#include "snapshot.h"
#include "textbuf.h"

char *render_status(const board *b, const daemon_stats *st, const config *cfg,
                    int64_t now_ms, size_t *len);
char *render_metrics(const board *b, const daemon_stats *st, const config *cfg,
                     size_t *len);

/* The fleet's part (render_fleet.c): the "fleet" object of /api/status,
 * and the nbaq_fleet_* series of /metrics. */
void render_fleet_status(cJSON *doc, const daemon_stats *st);
void render_fleet_metrics(textbuf *out, const daemon_stats *st,
                          const char *monitor);

/* Figures that change between two snapshots, rendered per request. */
typedef struct health_figures {
    const char *monitor;
    int64_t started_ms;
    int64_t now_ms;
    long long rss_bytes;     /* -1: unknown                              */
    long long max_rss_bytes; /* -1: unknown                              */
} health_figures;
void render_health(textbuf *out, const health_figures *h);

#endif
