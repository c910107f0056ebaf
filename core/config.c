#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history.h"
#include "history_store.h"
#include "reconcile.h"
#include "status.h"
#include "text.h"
#include "thresholds.h"
#include "yread.h"

#define DEFAULT_TIMEOUT_MS 60000
#define MAX_WORKERS 1024

static int parse_plugin_dirs(config *cfg, const ynode *node, char *err,
                             size_t err_size)
{
    static const char where[] = "top level";
    size_t n = node->kind == YNODE_SCALAR ? 1 : node->count;
    if (node->kind == YNODE_MAPPING)
        return yread_fail(node, where, err, err_size,
                          "'plugin_dirs' expected a list of directories, got "
                          "a mapping");
    cfg->plugin_dirs = arena_alloc(&cfg->mem, (n ? n : 1) * sizeof(char *));
    if (!cfg->plugin_dirs)
        return yread_fail(node, where, err, err_size, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const ynode *item = node->kind == YNODE_SCALAR ? node : node->items[i];
        char *dir;
        if (yread_string(&cfg->mem, item, where, "plugin_dirs", &dir, err,
                         err_size) != 0)
            return -1;
        if (dir[0] != '/') {
            size_t len = strlen(cfg->dir) + strlen(dir) + 2;
            char *joined = arena_alloc(&cfg->mem, len);
            if (!joined)
                return yread_fail(item, where, err, err_size, "out of memory");
            snprintf(joined, len, "%s/%s", cfg->dir, dir);
            dir = joined;
        }
        cfg->plugin_dirs[i] = dir;
    }
    cfg->plugin_dir_count = n;
    return 0;
}

/* The URL the run will open, parsed now, so that --check-config catches
 * an unknown scheme. The store's own message never shows a password. */
static int check_history_url(const config *cfg, const ynode *url, char *err,
                             size_t err_size)
{
    store_location loc;
    char reason[1024];
    if (history_store_location_parse(cfg->history.url, cfg->dir, &loc, reason,
                                     sizeof reason) != 0)
        return yread_fail(url, "history", err, err_size, "%s", reason);
    history_store_location_free(&loc);
    return 0;
}

static int parse_history(config *cfg, const ynode *node, char *err,
                         size_t err_size)
{
    static const char *const keys[] = {"url", "retention", "trend_window",
                                       "report_points", NULL};
    static const char where[] = "history";
    history_config *h = &cfg->history;
    char location[512];
    if (yread_check_keys(node, keys, "in history", err, err_size) != 0)
        return -1;
    h->configured = 1;
    h->node = node;
    h->location = arena_strdup(&cfg->mem,
                               ynode_location(node, location, sizeof location));
    for (size_t i = 0; i < node->count; i++) {
        const char *key = node->pairs[i].key->text;
        const ynode *v = node->pairs[i].value;
        int64_t n = 0;
        int rc = 0;
        if (strcmp(key, "url") == 0)
            rc = yread_string(&cfg->mem, v, where, key, &h->url, err, err_size);
        else if (strcmp(key, "retention") == 0)
            rc = yread_duration(v, where, key, 3600000, &h->retention_ms, err,
                                err_size);
        else if (strcmp(key, "trend_window") == 0)
            rc = yread_duration(v, where, key, 1000, &h->trend_window_ms, err,
                                err_size);
        else if (strcmp(key, "report_points") == 0) {
            rc = yread_int(v, where, key, 0, 100000, &n, err, err_size);
            h->report_points = (uint32_t)n;
        }
        if (rc != 0)
            return -1;
    }
    if (!h->url)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'url'");
    return check_history_url(cfg, ynode_get(node, "url"), err, err_size);
}

/* missing_series and missing_series_runs (docs/configuration.md). */
static int parse_missing_series(const ynode *node, const char *where,
                                check_config *c, char *err, size_t err_size)
{
    static const char *const modes[] = {"zero", "warn", "ignore", NULL};
    const ynode *v;
    int mode = MISSING_SERIES_ZERO;
    int64_t runs = MISSING_SERIES_DEFAULT_RUNS;
    if ((v = ynode_get(node, "missing_series")) &&
        yread_choice(v, where, "missing_series", modes, &mode, err, err_size))
        return -1;
    if ((v = ynode_get(node, "missing_series_runs")) &&
        yread_int(v, where, "missing_series_runs", 1, 1000, &runs, err,
                  err_size) != 0)
        return -1;
    c->missing_series = (missing_series_mode)mode;
    c->missing_series_runs = (unsigned)runs;
    return 0;
}

static int parse_check(config *cfg, const ynode *node, size_t index,
                       check_config *c, char *err, size_t err_size)
{
    static const char *const keys[] = {"name",
                                       "plugin",
                                       "description",
                                       "severity",
                                       "timeout",
                                       "enabled",
                                       "options",
                                       "thresholds",
                                       "interval",
                                       "missing_series",
                                       "missing_series_runs",
                                       NULL};
    char where[200];
    snprintf(where, sizeof where, "check #%zu", index + 1);
    if (node->kind != YNODE_MAPPING)
        return yread_fail(node, where, err, err_size,
                          "expected a mapping with name and plugin, got %s",
                          ynode_kind_name(node->kind));
    const ynode *name = ynode_get(node, "name");
    if (!name)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'name'");
    if (yread_name(&cfg->mem, name, where, "name", &c->name, err, err_size))
        return -1;
    snprintf(where, sizeof where, "check '%.100s'", c->name);
    char in_where[220];
    snprintf(in_where, sizeof in_where, "in %s", where);
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    c->node = node;
    c->severity = NBAQ_SEV_MEDIUM;
    c->timeout_ms = cfg->timeout_ms;
    c->enabled = 1;
    c->description = "";
    const ynode *plugin = ynode_get(node, "plugin");
    if (!plugin)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'plugin'");
    if (yread_name(&cfg->mem, plugin, where, "plugin", &c->plugin, err,
                   err_size) != 0)
        return -1;
    const ynode *v;
    if ((v = ynode_get(node, "description")) &&
        yread_string(&cfg->mem, v, where, "description", &c->description, err,
                     err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "severity"))) {
        int choice;
        if (yread_choice(v, where, "severity", severity_labels, &choice, err,
                         err_size))
            return -1;
        c->severity = (nbaq_severity)choice;
    }
    if ((v = ynode_get(node, "timeout")) &&
        yread_duration(v, where, "timeout", 1, &c->timeout_ms, err, err_size) !=
            0)
        return -1;
    if ((v = ynode_get(node, "enabled")) &&
        yread_bool(v, where, "enabled", &c->enabled, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "interval")) && /* --daemon (docs/daemon.md) */
        yread_duration(v, where, "interval", DAEMON_MIN_INTERVAL_MS,
                       &c->interval_ms, err, err_size) != 0)
        return -1;
    if (parse_missing_series(node, where, c, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "options")) && !v->is_null)
        c->options_node = v;
    if ((v = ynode_get(node, "thresholds")) && !v->is_null &&
        thresholds_parse(&cfg->mem, v, c->name, &c->rules, &c->rule_count, err,
                         err_size) != 0)
        return -1;
    return 0;
}

static int parse_checks(config *cfg, const ynode *node, char *err,
                        size_t err_size)
{
    if (node->is_null)
        return 0;
    if (node->kind != YNODE_SEQUENCE)
        return yread_fail(node, "top level", err, err_size,
                          "'checks' expected a list, got %s",
                          ynode_kind_name(node->kind));
    cfg->checks = arena_alloc(&cfg->mem, (node->count ? node->count : 1) *
                                             sizeof *cfg->checks);
    if (!cfg->checks)
        return yread_fail(node, "top level", err, err_size, "out of memory");
    for (size_t i = 0; i < node->count; i++) {
        check_config *c = &cfg->checks[i];
        if (parse_check(cfg, node->items[i], i, c, err, err_size) != 0)
            return -1;
        size_t j;
        int seen = nameset_put(&cfg->check_index, c->name, i, &j);
        if (seen < 0)
            return yread_fail(c->node, "checks", err, err_size,
                              "out of memory");
        if (seen) {
            char first[512];
            ynode_location(cfg->checks[j].node, first, sizeof first);
            return yread_fail(ynode_get(c->node, "name"), "checks", err,
                              err_size,
                              "duplicate check name '%s' (first defined at "
                              "%s)",
                              c->name, first);
        }
        cfg->check_count = i + 1;
    }
    return 0;
}

static int parse_reporter(config *cfg, const ynode *node, size_t index,
                          reporter_config *r, char *err, size_t err_size)
{
    static const char *const keys[] = {"name",    "plugin",  "timeout",
                                       "enabled", "options", NULL};
    char where[200];
    snprintf(where, sizeof where, "reporter #%zu", index + 1);
    if (node->kind != YNODE_MAPPING)
        return yread_fail(node, where, err, err_size,
                          "expected a mapping with a plugin, got %s",
                          ynode_kind_name(node->kind));
    const ynode *plugin = ynode_get(node, "plugin");
    const ynode *name = ynode_get(node, "name");
    if (name && yread_name(&cfg->mem, name, where, "name", &r->name, err,
                           err_size) != 0)
        return -1;
    if (r->name)
        snprintf(where, sizeof where, "reporter '%.100s'", r->name);
    char in_where[220];
    snprintf(in_where, sizeof in_where, "in %s", where);
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    if (!plugin)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'plugin'");
    if (yread_name(&cfg->mem, plugin, where, "plugin", &r->plugin, err,
                   err_size) != 0)
        return -1;
    if (!r->name)
        r->name = r->plugin;
    r->node = node;
    r->timeout_ms = cfg->timeout_ms;
    r->enabled = 1;
    const ynode *v;
    if ((v = ynode_get(node, "timeout")) &&
        yread_duration(v, where, "timeout", 1, &r->timeout_ms, err, err_size) !=
            0)
        return -1;
    if ((v = ynode_get(node, "enabled")) &&
        yread_bool(v, where, "enabled", &r->enabled, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "options")) && !v->is_null)
        r->options_node = v;
    return 0;
}

static int parse_reporters(config *cfg, const ynode *node, char *err,
                           size_t err_size)
{
    if (node->is_null)
        return 0;
    if (node->kind != YNODE_SEQUENCE)
        return yread_fail(node, "top level", err, err_size,
                          "'reporters' expected a list, got %s",
                          ynode_kind_name(node->kind));
    cfg->reporters = arena_alloc(&cfg->mem, (node->count ? node->count : 1) *
                                                sizeof *cfg->reporters);
    if (!cfg->reporters)
        return yread_fail(node, "top level", err, err_size, "out of memory");
    for (size_t i = 0; i < node->count; i++) {
        reporter_config *r = &cfg->reporters[i];
        if (parse_reporter(cfg, node->items[i], i, r, err, err_size) != 0)
            return -1;
        for (size_t j = 0; j < i; j++) {
            if (strcmp(cfg->reporters[j].name, r->name) != 0)
                continue;
            char first[512];
            ynode_location(cfg->reporters[j].node, first, sizeof first);
            return yread_fail(r->node, "reporters", err, err_size,
                              "duplicate reporter name '%s' (first defined at "
                              "%s; give each a distinct 'name')",
                              r->name, first);
        }
        cfg->reporter_count = i + 1;
    }
    return 0;
}

static unsigned online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}

/* Top-level scalars first (timeout is the checks' default), then lists. */
static int parse_top(config *cfg, const ynode *root, char *err, size_t err_size)
{
    static const char *const keys[] = {
        "monitor", "plugin_dirs", "workers", "timeout", "history",
        "checks",  "reporters",   "alerts",  "daemon",  NULL};
    static const char where[] = "top level";
    if (yread_check_keys(root, keys, "at the top level", err, err_size) != 0)
        return -1;
    const ynode *v;
    if ((v = ynode_get(root, "monitor")) &&
        yread_name(&cfg->mem, v, where, "monitor", &cfg->monitor, err,
                   err_size) != 0)
        return -1;
    if ((v = ynode_get(root, "workers"))) {
        int64_t n;
        if (yread_int(v, where, "workers", 1, MAX_WORKERS, &n, err, err_size))
            return -1;
        cfg->workers = (unsigned)n;
    }
    if ((v = ynode_get(root, "timeout")) &&
        yread_duration(v, where, "timeout", 1, &cfg->timeout_ms, err,
                       err_size) != 0)
        return -1;
    if ((v = ynode_get(root, "plugin_dirs")) && !v->is_null &&
        parse_plugin_dirs(cfg, v, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(root, "history")) && !v->is_null &&
        parse_history(cfg, v, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(root, "daemon")) && !v->is_null &&
        daemon_config_parse(&cfg->mem, v, cfg->dir, &cfg->daemon, err,
                            err_size) != 0)
        return -1;
    if ((v = ynode_get(root, "checks")) &&
        (parse_checks(cfg, v, err, err_size) != 0 ||
         reconcile_check_config(cfg, err, err_size) != 0))
        return -1;
    if ((v = ynode_get(root, "reporters")) &&
        parse_reporters(cfg, v, err, err_size) != 0)
        return -1;
    /* After checks and reporters: routes name them. */
    if ((v = ynode_get(root, "alerts")) && !v->is_null &&
        alerts_config_parse(cfg, v, err, err_size) != 0)
        return -1;
    return 0;
}

/* Locations name the file by its absolute path, so that plugins can
 * resolve paths relative to the config (opt_location) from any cwd. */
static int set_paths(config *cfg, const char *path, char *err, size_t err_size)
{
    char *resolved = realpath(path, NULL);
    if (!resolved)
        return err_set(err, err_size, "%s: cannot open: %s", path,
                       strerror(errno));
    cfg->absolute_path = arena_strdup(&cfg->mem, resolved);
    cfg->dir = arena_strdup(&cfg->mem, dirname(resolved));
    free(resolved);
    return cfg->dir && cfg->absolute_path
               ? 0
               : err_set(err, err_size, "out of memory");
}

config *config_load(const char *path, char *err, size_t err_size)
{
    config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    cfg->path = arena_strdup(&cfg->mem, path);
    cfg->monitor = "nbaq";
    cfg->workers = online_cpus();
    cfg->timeout_ms = DEFAULT_TIMEOUT_MS;
    cfg->history.retention_ms = 0;
    cfg->history.trend_window_ms = HISTORY_DEFAULT_TREND_WINDOW_MS;
    cfg->history.report_points = HISTORY_DEFAULT_REPORT_POINTS;
    alerts_config_defaults(&cfg->alerts);
    daemon_config_defaults(&cfg->daemon);
    if (set_paths(cfg, path, err, err_size) != 0)
        goto fail;
    cfg->doc = ydoc_load_file(cfg->absolute_path, 1, err, err_size);
    if (!cfg->doc)
        goto fail;
    if (!cfg->doc->root) {
        err_set(err, err_size, "%s: the file is empty", path);
        goto fail;
    }
    if (parse_top(cfg, cfg->doc->root, err, err_size) != 0)
        goto fail;
    return cfg;
fail:
    config_free(cfg);
    return NULL;
}

void config_free(config *cfg)
{
    if (!cfg)
        return;
    ydoc_free(cfg->doc);
    nameset_free(&cfg->check_index);
    arena_free(&cfg->mem);
    free(cfg);
}

check_config *config_find_check(const config *cfg, const char *name)
{
    size_t i;
    if (!nameset_get(&cfg->check_index, name, &i) || i >= cfg->check_count)
        return NULL;
    return &cfg->checks[i];
}
