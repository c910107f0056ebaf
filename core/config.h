/*
 * config.h - the monitor configuration (one YAML file), as loaded and
 * validated by config_load(). docs/configuration.md describes every key.
 *
 * config_load() checks everything it can without plugins: structure, types,
 * names, durations, thresholds. Options of checks and reporters are
 * validated later against the plugins' schemas (bind.c), which fills the
 * `options` and `plugin_ref` members.
 *
 * Ownership: a config owns every string, array and node reachable from it
 * (one arena plus the YAML document); all live until config_free().
 */
#ifndef NBAQ_CORE_CONFIG_H
#define NBAQ_CORE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "config_alerts.h"
#include "arena.h"
#include "config_daemon.h"
#include "nbaq.h"
#include "rules.h"
#include "nameset.h"
#include "ydoc.h"

struct plugin;

/* What a check's series that vanished become (core/vanished.c). */
typedef enum missing_series_mode {
    MISSING_SERIES_ZERO = 0, /* counts: value 0; others: a warning         */
    MISSING_SERIES_WARN,     /* every one: a warning on the check          */
    MISSING_SERIES_IGNORE    /* not reported                               */
} missing_series_mode;

#define MISSING_SERIES_DEFAULT_RUNS 10

typedef struct check_config {
    char *name;
    char *plugin;
    char *description; /* "" when not given                             */
    nbaq_severity severity;
    int64_t timeout_ms;  /* the check's, or the config's default          */
    int64_t interval_ms; /* --daemon: the check's `interval`; 0: daemon's */
    int enabled;
    const ynode *node; /* the list entry, for messages                  */
    const ynode *options_node; /* NULL when no `options:`                 */
    missing_series_mode missing_series; /* default zero                  */
    unsigned missing_series_runs; /* seen in this many latest runs: 10   */
    metric_rule *rules; /* thresholds, in config order                   */
    size_t rule_count;
    nbaq_options *options;           /* bind.c */
    const struct plugin *plugin_ref; /* bind.c */
} check_config;

typedef struct reporter_config {
    char *name; /* defaults to the plugin's name                 */
    char *plugin;
    int64_t timeout_ms;
    int enabled;
    const ynode *node;
    const ynode *options_node;
    nbaq_options *options;           /* bind.c */
    const struct plugin *plugin_ref; /* bind.c */
} reporter_config;

/* The `history:` section, kept for the history store (core/history/). */
typedef struct history_config {
    int configured;          /* the section is present                    */
    char *url;               /* as written (env substituted); see docs     */
    const char *location;    /* "file:line:col" of the section             */
    int64_t retention_ms;    /* 0 (the default): keep every run            */
    int64_t trend_window_ms; /* default 24h                                */
    uint32_t report_points;  /* default 48                                 */
    const ynode *node;       /* the whole section                          */
} history_config;

typedef struct config {
    arena mem;
    ydoc *doc;
    char *path;          /* as given on the command line               */
    char *absolute_path; /* resolved; locations in messages use it     */
    char *dir;           /* absolute directory of the config file      */
    char *monitor;       /* default "nbaq"                             */
    char **plugin_dirs;  /* absolute; relative ones joined to dir      */
    size_t plugin_dir_count;
    unsigned workers;   /* default: online CPUs                       */
    int64_t timeout_ms; /* default per-check timeout (60s)            */
    history_config history;
    daemon_config daemon; /* the `daemon:` section (daemon/)           */
    alerts_config alerts; /* the `alerts:` section (alerts/)           */
    check_config *checks;
    size_t check_count;
    nameset check_index; /* name -> index into checks                  */
    reporter_config *reporters;
    size_t reporter_count;
} config;

/* Loads and validates path. Returns NULL with err ("file:line:col: ...")
 * on any error. */
config *config_load(const char *path, char *err, size_t err_size);
void config_free(config *cfg);

/* The check named name, or NULL. */
check_config *config_find_check(const config *cfg, const char *name);

#endif
