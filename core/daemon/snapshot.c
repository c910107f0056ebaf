#include "snapshot.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "render.h"

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static void snapshot_free(snapshot *s)
{
    free(s->status_json);
    free(s->metrics_text);
    free(s->monitor);
    if (s->token) {
        memset(s->token, 0, strlen(s->token));
        free(s->token);
    }
    free(s->history_url);
    free(s->config_dir);
    free(s);
}

snapshot *snapshot_build(const board *b, const daemon_stats *st,
                         const config *cfg)
{
    snapshot *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    atomic_init(&s->refs, 1);
    s->generated_ms = clock_wall_ms();
    s->status_json = render_status(b, st, cfg, s->generated_ms, &s->status_len);
    s->metrics_text = render_metrics(b, st, cfg, &s->metrics_len);
    s->monitor = strdup(cfg->monitor);
    s->token = dup_or_null(cfg->daemon.token);
    s->history_url = cfg->history.configured ? strdup(cfg->history.url) : NULL;
    s->config_dir = strdup(cfg->dir);
    s->history_points = cfg->daemon.history_points;
    s->started_ms = st->started_ms;
    s->stopping = st->stopping;
    s->actions = cfg->daemon.actions;
    if (!s->status_json || !s->metrics_text || !s->monitor ||
        (cfg->daemon.token && !s->token) ||
        (cfg->history.configured && !s->history_url) || !s->config_dir) {
        snapshot_free(s);
        return NULL;
    }
    return s;
}

snapshot *snapshot_ref(snapshot *s)
{
    if (s)
        atomic_fetch_add(&s->refs, 1);
    return s;
}

void snapshot_unref(snapshot *s)
{
    if (s && atomic_fetch_sub(&s->refs, 1) == 1)
        snapshot_free(s);
}

void snapshot_hub_init(snapshot_hub *hub)
{
    pthread_mutex_init(&hub->lock, NULL);
    hub->current = NULL;
}

void snapshot_hub_publish(snapshot_hub *hub, snapshot *s)
{
    pthread_mutex_lock(&hub->lock);
    snapshot *old = hub->current;
    hub->current = s;
    pthread_mutex_unlock(&hub->lock);
    snapshot_unref(old);
}

snapshot *snapshot_hub_acquire(snapshot_hub *hub)
{
    pthread_mutex_lock(&hub->lock);
    snapshot *s = snapshot_ref(hub->current);
    pthread_mutex_unlock(&hub->lock);
    return s;
}

void snapshot_hub_free(snapshot_hub *hub)
{
    snapshot_unref(hub->current);
    hub->current = NULL;
    pthread_mutex_destroy(&hub->lock);
}
