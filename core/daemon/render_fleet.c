/*
 * render_fleet.c - the fleet's part of /api/status and /metrics: the
 * members with their heartbeats and config versions, which member ran
 * each check last, and this member's own claim figures (fleet_member.h).
 */
#include <string.h>

#include "fleet_member.h"
#include "promtext.h"
#include "render.h"

/* A member whose heartbeat is older than the lease is gone. */
static int member_alive(const history_fleet_member *m, int64_t now_ms,
                        int64_t lease_ms)
{
    return m->stopped_ms == 0 && now_ms - m->heartbeat_ms <= lease_ms;
}

/* Not run for twice its interval (by any member). */
static int check_stale(const history_fleet_check *c, int64_t now_ms)
{
    return c->last_started_ms > 0 &&
           now_ms - c->last_started_ms > 2 * c->interval_ms;
}

static size_t config_versions(const fleet_member *f)
{
    const history_fleet_view *v = &f->view;
    size_t versions = 0;
    for (size_t i = 0; i < v->member_count; i++) {
        if (!member_alive(&v->members[i], v->now_ms, f->lease_ms))
            continue;
        size_t k = 0;
        while (
            k < i &&
            (!member_alive(&v->members[k], v->now_ms, f->lease_ms) ||
             strcmp(v->members[k].config_hash, v->members[i].config_hash) != 0))
            k++;
        versions += k == i;
    }
    return versions;
}

static cJSON *member_object(const fleet_member *f,
                            const history_fleet_member *m)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "member", m->member);
    cJSON_AddStringToObject(o, "host", m->host);
    cJSON_AddNumberToObject(o, "pid", m->pid);
    cJSON_AddStringToObject(o, "version", m->version);
    cJSON_AddStringToObject(o, "config_hash", m->config_hash);
    cJSON_AddBoolToObject(o, "same_config",
                          strcmp(m->config_hash, f->config_hash) == 0);
    cJSON_AddNumberToObject(o, "started_ms", (double)m->started_ms);
    cJSON_AddNumberToObject(o, "heartbeat_ms", (double)m->heartbeat_ms);
    cJSON_AddBoolToObject(o, "alive",
                          member_alive(m, f->view.now_ms, f->lease_ms));
    cJSON_AddBoolToObject(o, "self", strcmp(m->member, f->id) == 0);
    if (m->stopped_ms)
        cJSON_AddNumberToObject(o, "stopped_ms", (double)m->stopped_ms);
    else
        cJSON_AddNullToObject(o, "stopped_ms");
    cJSON_AddNumberToObject(o, "claims", (double)m->claims);
    return o;
}

static void add_text_or_null(cJSON *o, const char *key, const char *text)
{
    if (*text)
        cJSON_AddStringToObject(o, key, text);
    else
        cJSON_AddNullToObject(o, key);
}

static cJSON *check_object(const history_fleet_check *c, int64_t now_ms)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "check", c->check);
    cJSON_AddNumberToObject(o, "interval_ms", (double)c->interval_ms);
    add_text_or_null(o, "last_member", c->last_member);
    cJSON_AddNumberToObject(o, "last_started_ms", (double)c->last_started_ms);
    cJSON_AddNumberToObject(o, "last_finished_ms", (double)c->last_finished_ms);
    add_text_or_null(o, "running_on", c->lease_owner);
    cJSON_AddNumberToObject(o, "next_slot_ms", (double)c->next_slot_ms);
    cJSON_AddBoolToObject(o, "stale", check_stale(c, now_ms));
    return o;
}

void render_fleet_status(cJSON *doc, const daemon_stats *st)
{
    const fleet_member *f = st->fleet;
    cJSON *o = cJSON_AddObjectToObject(doc, "fleet");
    if (!o || !f)
        return;
    cJSON_AddBoolToObject(o, "shared", f->shared);
    cJSON_AddStringToObject(o, "member", f->id);
    cJSON_AddStringToObject(o, "config_hash", f->config_hash);
    cJSON_AddBoolToObject(o, "connected", f->fleet != NULL || !f->shared);
    cJSON_AddStringToObject(o, "last_error", f->last_error);
    cJSON_AddNumberToObject(o, "lease_ms", (double)f->lease_ms);
    cJSON_AddNumberToObject(o, "claims", (double)f->claims);
    cJSON_AddNumberToObject(o, "claims_lost", (double)f->claims_lost);
    cJSON_AddNumberToObject(o, "heartbeats_sent", (double)st->heartbeats_sent);
    cJSON_AddNumberToObject(o, "heartbeats_failed",
                            (double)st->heartbeats_failed);
    if (!f->shared)
        return;
    const history_fleet_view *v = &f->view;
    cJSON_AddNumberToObject(o, "as_of_ms", (double)v->now_ms);
    cJSON_AddNumberToObject(o, "config_versions", (double)config_versions(f));
    cJSON *members = cJSON_AddArrayToObject(o, "members");
    for (size_t i = 0; members && i < v->member_count; i++)
        cJSON_AddItemToArray(members, member_object(f, &v->members[i]));
    cJSON *checks = cJSON_AddArrayToObject(o, "checks");
    for (size_t i = 0; checks && i < v->check_count; i++)
        cJSON_AddItemToArray(checks, check_object(&v->checks[i], v->now_ms));
}

/* `name{monitor="m",<key>="<value>"} number` */
static void labelled(textbuf *out, const char *name, const char *monitor,
                     const char *key, const char *value, double number)
{
    textbuf_printf(out, "%s{monitor=\"", name);
    textfmt_prom_label_value(out, monitor);
    if (key) {
        textbuf_printf(out, "\",%s=\"", key);
        textfmt_prom_label_value(out, value);
    }
    textbuf_puts(out, "\"} ");
    textfmt_prom_value(out, number);
    textbuf_putc(out, '\n');
}

/* This member's own counters: one family each, labelled by member. */
static void own_figures(textbuf *out, const daemon_stats *st,
                        const char *monitor)
{
    const fleet_member *f = st->fleet;
    const struct {
        const char *name, *help;
        double value;
    } counters[] = {
        {"nbaq_fleet_claims_total", "Runs this member claimed (and ran).",
         (double)f->claims},
        {"nbaq_fleet_claims_lost_total",
         "Due runs another member held or took first.", (double)f->claims_lost},
        {"nbaq_fleet_claim_seconds_total",
         "Time this member spent claiming runs.",
         (double)f->claim_us_total / 1e6},
        {"nbaq_fleet_store_errors_total",
         "Claims and heartbeats that failed on the store.", (double)f->errors},
    };
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++) {
        textfmt_prom_family(out, counters[i].name, "counter", counters[i].help);
        labelled(out, counters[i].name, monitor, "member", f->id,
                 counters[i].value);
    }
    textfmt_prom_family(
        out, "nbaq_daemon_heartbeats_total", "counter",
        "Heartbeats (ping and Watchdog alert) sent, by result.");
    labelled(out, "nbaq_daemon_heartbeats_total", monitor, "result", "ok",
             (double)st->heartbeats_sent);
    labelled(out, "nbaq_daemon_heartbeats_total", monitor, "result", "failed",
             (double)st->heartbeats_failed);
}

void render_fleet_metrics(textbuf *out, const daemon_stats *st,
                          const char *monitor)
{
    const fleet_member *f = st->fleet;
    if (!f)
        return;
    own_figures(out, st, monitor);
    if (!f->shared)
        return;
    const history_fleet_view *v = &f->view;
    textfmt_prom_family(out, "nbaq_fleet_member_up", "gauge",
                        "1 while the member heartbeats within its lease.");
    int self_seen = 0;
    for (size_t i = 0; i < v->member_count; i++) {
        const history_fleet_member *m = &v->members[i];
        int self = strcmp(m->member, f->id) == 0;
        self_seen |= self;
        labelled(out, "nbaq_fleet_member_up", monitor, "member", m->member,
                 self ? f->up && f->fleet
                      : member_alive(m, v->now_ms, f->lease_ms));
    }
    if (!self_seen)
        labelled(out, "nbaq_fleet_member_up", monitor, "member", f->id,
                 f->up && f->fleet);
    textfmt_prom_family(out, "nbaq_fleet_config_versions", "gauge",
                        "Distinct config hashes among the live members.");
    labelled(out, "nbaq_fleet_config_versions", monitor, NULL, NULL,
             (double)config_versions(f));
    textfmt_prom_family(
        out, "nbaq_fleet_check_stale", "gauge",
        "1 when no member ran the check for twice its interval.");
    for (size_t i = 0; i < v->check_count; i++)
        labelled(out, "nbaq_fleet_check_stale", monitor, "check",
                 v->checks[i].check, check_stale(&v->checks[i], v->now_ms));
}
