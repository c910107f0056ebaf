#include "fleet_member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fleet_alerts.h"
#include "log.h"
#include "text.h"
#include "watchdog.h"

#define RETRY_AFTER_ERROR_MS 1000

/* FNV-1a (64 bits) of the config file, in hex: equal files, equal
 * hashes, on every member. It tells versions apart; it is no signature. */
static void hash_config(const config *cfg, char out[FLEET_CONFIG_HASH_SIZE])
{
    text_copy(out, FLEET_CONFIG_HASH_SIZE, "unknown");
    FILE *f = fopen(cfg->absolute_path, "rb");
    if (!f)
        return;
    uint64_t hash = 0xcbf29ce484222325ull;
    int c;
    while ((c = getc(f)) != EOF)
        hash = (hash ^ (unsigned char)c) * 0x100000001b3ull;
    fclose(f);
    snprintf(out, FLEET_CONFIG_HASH_SIZE, "%016llx", (unsigned long long)hash);
}

static void note_error(fleet_member *m, const char *what, const char *err)
{
    m->errors++;
    m->up = 0;
    if (strcmp(m->last_error, err) != 0)
        log_msg(NBAQ_LOG_ERROR, NULL, "fleet: %s: %s", what, err);
    text_copy(m->last_error, sizeof m->last_error, err);
}

/* Drops the connection after an error: the next heartbeat reconnects.
 * The leases of running rounds are not released: they stay this
 * member's (renewed after the reconnect), or expire. */
static void disconnect(fleet_member *m)
{
    history_fleet_abandon(m->fleet);
    m->fleet = NULL;
    history_close(m->store);
    m->store = NULL;
}

static void register_checks(fleet_member *m)
{
    char err[512];
    if (m->fleet && m->cfg->daemon.watchdog_enabled &&
        history_fleet_register(m->fleet, WATCHDOG_CHECK,
                               m->cfg->daemon.watchdog_interval_ms, err,
                               sizeof err) != 0) {
        note_error(m, "registering the watchdog", err);
        disconnect(m);
    }
    for (size_t i = 0; m->fleet && i < m->cfg->check_count; i++) {
        const check_config *c = &m->cfg->checks[i];
        int64_t interval =
            c->interval_ms ? c->interval_ms : m->cfg->daemon.interval_ms;
        if (c->enabled && history_fleet_register(m->fleet, c->name, interval,
                                                 err, sizeof err) != 0) {
            note_error(m, "registering the checks", err);
            disconnect(m);
        }
    }
}

static int connect_store(fleet_member *m)
{
    char err[1024];
    history_fleet_identity id = {m->cfg->monitor, m->id,      m->host,
                                 (int)getpid(),   m->version, m->config_hash};
    if (history_open(m->store_url, m->store_dir, NULL, &m->store, err,
                     sizeof err) != 0 ||
        history_fleet_open(m->store, &id, &m->fleet, err, sizeof err) != 0) {
        note_error(m, "cannot join", err);
        disconnect(m);
        return -1;
    }
    register_checks(m);
    if (m->fleet)
        log_msg(NBAQ_LOG_INFO, NULL,
                "fleet: member %s joined monitor %s on %s (lease %lld ms)",
                m->id, m->cfg->monitor, history_store_name(m->store),
                (long long)m->lease_ms);
    return m->fleet ? 0 : -1;
}

static int is_postgresql(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 ||
                   strncmp(url, "postgres://", 11) == 0);
}

int fleet_member_start(fleet_member *m, const config *cfg, const char *version,
                       char *err, size_t err_size)
{
    memset(m, 0, sizeof *m);
    m->lock_fd = -1;
    m->cfg = cfg;
    m->version = version;
    m->lease_ms = cfg->daemon.fleet_lease_ms;
    m->up = 1;
    if (gethostname(m->host, sizeof m->host) != 0)
        text_copy(m->host, sizeof m->host, "unknown");
    snprintf(m->id, sizeof m->id, "%s:%d", m->host, (int)getpid());
    hash_config(cfg, m->config_hash);
    if (!cfg->history.url)
        return 0;
    if (!is_postgresql(cfg->history.url)) {
        m->lock_fd =
            history_daemon_lock(cfg->history.url, cfg->dir, err, err_size);
        return m->lock_fd == -1 ? -1 : 0;
    }
    m->store_url = strdup(cfg->history.url);
    m->store_dir = strdup(cfg->dir);
    if (!m->store_url || !m->store_dir)
        return err_set(err, err_size, "out of memory");
    m->shared = 1;
    history_set_run_member(m->id); /* rounds, forked from here, save it */
    connect_store(m);
    m->next_heartbeat_mono_ms = clock_mono_ms();
    return 0;
}

void fleet_member_reload(fleet_member *m, const config *cfg)
{
    m->cfg = cfg;
    m->lease_ms = cfg->daemon.fleet_lease_ms;
    hash_config(cfg, m->config_hash);
    char err[512];
    if (m->fleet &&
        history_fleet_set_config(m->fleet, m->config_hash, err, sizeof err))
        note_error(m, "reload", err);
    register_checks(m);
    m->next_heartbeat_mono_ms = clock_mono_ms();
}

static int64_t micros_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int fleet_member_claim(fleet_member *m, const char *check, int64_t interval_ms,
                       int64_t *wait_ms)
{
    *wait_ms = 0;
    if (!m->shared)
        return 1;
    *wait_ms = RETRY_AFTER_ERROR_MS;
    if (!m->fleet)
        return -1;
    char err[1024];
    int claimed = 0;
    int64_t started = micros_now();
    if (history_fleet_claim(m->fleet, check, interval_ms, m->lease_ms, &claimed,
                            wait_ms, err, sizeof err) != 0) {
        note_error(m, "claiming a run", err);
        disconnect(m);
        *wait_ms = RETRY_AFTER_ERROR_MS;
        return -1;
    }
    m->claim_us_total += micros_now() - started;
    if (claimed)
        m->claims++;
    else
        m->claims_lost++;
    return claimed;
}

void fleet_member_release(fleet_member *m, const char *check)
{
    char err[1024];
    if (m->fleet &&
        history_fleet_release(m->fleet, check, err, sizeof err) != 0) {
        note_error(m, "releasing a run", err); /* the lease will expire */
        disconnect(m);
    }
}

static int load_results(fleet_member *m)
{
    char err[1024];
    history_fleet_result_row *rows;
    size_t count;
    if (history_fleet_results_load(m->fleet, &rows, &count, err, sizeof err)) {
        note_error(m, "reading the last results", err);
        disconnect(m);
        return -1;
    }
    history_fleet_results_free(m->results, m->result_count);
    m->results = rows;
    m->result_count = count;
    return 0;
}

static int load_alerts(fleet_member *m)
{
    char err[1024];
    cJSON *alerts = fleet_alerts_load(m->store, m->cfg->monitor,
                                      clock_wall_ms(), err, sizeof err);
    if (!alerts) {
        note_error(m, "reading the open alerts", err);
        disconnect(m);
        /* Not the last heartbeat's list: the board keeps its own. */
        cJSON_Delete(m->alerts);
        m->alerts = NULL;
        return -1;
    }
    cJSON_Delete(m->alerts);
    m->alerts = alerts;
    return 0;
}

int fleet_member_tick(fleet_member *m, int64_t now_mono_ms)
{
    if (!m->shared || now_mono_ms < m->next_heartbeat_mono_ms)
        return 0;
    int64_t every = m->lease_ms / 4 > 0 ? m->lease_ms / 4 : 1;
    m->next_heartbeat_mono_ms = now_mono_ms + every;
    if (!m->fleet && connect_store(m) != 0)
        return 1;
    char err[1024];
    if (history_fleet_heartbeat(m->fleet, m->lease_ms, err, sizeof err) != 0) {
        note_error(m, "heartbeat", err);
        disconnect(m);
        return 1;
    }
    if (fleet_member_refresh_view(m) != 0 || load_results(m) != 0 ||
        load_alerts(m) != 0)
        return 1;
    m->up = 1;
    m->last_error[0] = '\0';
    return 1;
}

int fleet_member_refresh_view(fleet_member *m)
{
    char err[1024];
    history_fleet_view view;
    if (!m->fleet)
        return -1;
    if (history_fleet_view_load(m->fleet, &view, err, sizeof err) != 0) {
        note_error(m, "reading the fleet", err);
        disconnect(m);
        return -1;
    }
    history_fleet_view_free(&m->view);
    m->view = view;
    return 0;
}

int64_t fleet_member_next_tick(const fleet_member *m)
{
    return m->shared ? m->next_heartbeat_mono_ms : INT64_MAX;
}

void fleet_member_stop(fleet_member *m)
{
    char err[512] = "";
    if (m->fleet) {
        history_fleet_close(m->fleet, err, sizeof err);
        m->fleet = NULL;
        if (err[0])
            log_msg(NBAQ_LOG_WARN, NULL,
                    "fleet: leaving: %s (the claims expire with the lease)",
                    err);
        else
            log_msg(NBAQ_LOG_INFO, NULL, "fleet: member %s left", m->id);
    }
    history_close(m->store);
    m->store = NULL;
    history_fleet_view_free(&m->view);
    history_fleet_results_free(m->results, m->result_count);
    m->results = NULL;
    m->result_count = 0;
    cJSON_Delete(m->alerts);
    m->alerts = NULL;
    history_set_run_member(NULL);
    free(m->store_url);
    free(m->store_dir);
    m->store_url = m->store_dir = NULL;
    if (m->lock_fd >= 0)
        close(m->lock_fd);
    m->lock_fd = -1;
}
