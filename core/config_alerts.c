/*
 * config_alerts.c - parsing and validating the `alerts:` section.
 */
#include "config_alerts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "status.h"
#include "text.h"
#include "yread.h"

#define MAX_RUNS 100000
#define MIN_REPEAT_MS 1000

void alerts_config_defaults(alerts_config *ac)
{
    memset(ac, 0, sizeof *ac);
    ac->open_after = 1;
    ac->resolve_after = 1;
    ac->repeat_ms = ALERTS_DEFAULT_REPEAT_MS;
    ac->flapping = 1;
    ac->flap_window = ALERTS_DEFAULT_FLAP_WINDOW;
    ac->flap_settle = ALERTS_DEFAULT_FLAP_SETTLE;
    /* FAIL and ERROR: the check's severity; WARNING, UNKNOWN: one lower. */
    ac->from_status[NBAQ_WARNING].below = 1;
    ac->from_status[NBAQ_UNKNOWN].below = 1;
}

nbaq_severity alerts_severity_of(const alerts_config *ac, nbaq_status status,
                                 nbaq_severity declared)
{
    if ((int)status < 0 || (int)status >= NBAQ_STATUS_COUNT)
        status = NBAQ_FAIL;
    const severity_rule *rule = &ac->from_status[status];
    if (rule->fixed)
        return rule->severity;
    return (uint32_t)declared > rule->below
               ? (nbaq_severity)((uint32_t)declared - rule->below)
               : NBAQ_SEV_INFO;
}

int64_t alerts_repeat_min(int64_t a, int64_t b)
{
    if (a <= 0)
        return b;
    if (b <= 0)
        return a;
    return a < b ? a : b;
}

/* The names a list may hold: the config's checks or its reporters. */
typedef struct name_set {
    const char *what; /* "check", "reporter"                            */
    const char **names;
    size_t count;
} name_set;

static int name_in(const name_set *set, const ynode *item, const char *where,
                   const char *key, char *err, size_t err_size)
{
    for (size_t i = 0; i < set->count; i++) {
        if (strcmp(set->names[i], item->text) == 0)
            return 0;
    }
    const char *guess = text_suggest(item->text, set->names, set->count);
    if (guess)
        return yread_fail(item, where, err, err_size,
                          "'%s': no %s named '%.100s' (did you mean '%s'?)",
                          key, set->what, item->text, guess);
    return yread_fail(item, where, err, err_size, "'%s': no %s named '%.100s'",
                      key, set->what, item->text);
}

/* The daemon's watchdog, which a list of checks may name too. */
static int is_watchdog(const name_set *set, const ynode *item)
{
    return strcmp(set->what, "check") == 0 && item->kind == YNODE_SCALAR &&
           strcmp(item->text, ALERTS_WATCHDOG_CHECK) == 0;
}

/* A list of names (or one name) that must all be in set (or the
 * watchdog, in a list of checks). */
static int read_names(config *cfg, const ynode *node, const char *where,
                      const char *key, const name_set *set, char ***out,
                      size_t *count, char *err, size_t err_size)
{
    if (node->kind == YNODE_MAPPING || node->is_null)
        return yread_fail(
            node, where, err, err_size,
            "'%s' expected a list of %s names, got %s", key, set->what,
            node->is_null ? "nothing" : ynode_kind_name(node->kind));
    size_t n = node->kind == YNODE_SCALAR ? 1 : node->count;
    *out = arena_alloc(&cfg->mem, (n ? n : 1) * sizeof **out);
    if (!*out)
        return yread_fail(node, where, err, err_size, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const ynode *item = node->kind == YNODE_SCALAR ? node : node->items[i];
        if (is_watchdog(set, item)) {
            (*out)[i] = arena_strdup(&cfg->mem, item->text);
            if (!(*out)[i])
                return yread_fail(node, where, err, err_size, "out of memory");
            continue;
        }
        if (yread_name(&cfg->mem, item, where, key, &(*out)[i], err,
                       err_size) != 0 ||
            name_in(set, item, where, key, err, err_size) != 0)
            return -1;
    }
    *count = n;
    return 0;
}

static int read_severity(const ynode *node, const char *where, const char *key,
                         nbaq_severity *out, char *err, size_t err_size)
{
    int choice;
    if (yread_choice(node, where, key, severity_labels, &choice, err,
                     err_size) != 0)
        return -1;
    *out = (nbaq_severity)choice;
    return 0;
}

static int read_count(const ynode *node, const char *where, const char *key,
                      uint32_t *out, char *err, size_t err_size)
{
    int64_t n;
    if (yread_int(node, where, key, 1, MAX_RUNS, &n, err, err_size) != 0)
        return -1;
    *out = (uint32_t)n;
    return 0;
}

/* repeat_interval: a duration of at least 1s, or 0 (never repeat). */
static int read_repeat(const ynode *node, const char *where, int64_t *out,
                       char *err, size_t err_size)
{
    if (yread_duration(node, where, "repeat_interval", 0, out, err, err_size) !=
        0)
        return -1;
    if (*out > 0 && *out < MIN_REPEAT_MS)
        return yread_fail(node, where, err, err_size,
                          "'repeat_interval' must be 0 (never) or at least "
                          "1s, got '%.100s'",
                          node->text);
    return 0;
}

static int parse_escalate(alerts_config *ac, const ynode *node, char *err,
                          size_t err_size)
{
    static const char *const keys[] = {"after_runs", "after", NULL};
    static const char where[] = "alerts.escalate";
    if (yread_check_keys(node, keys, "in alerts.escalate", err, err_size) != 0)
        return -1;
    const ynode *v;
    if ((v = ynode_get(node, "after_runs")) &&
        read_count(v, where, "after_runs", &ac->escalate_after_runs, err,
                   err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "after")) &&
        yread_duration(v, where, "after", 1000, &ac->escalate_after_ms, err,
                       err_size) != 0)
        return -1;
    if (!ac->escalate_after_runs && !ac->escalate_after_ms)
        return yread_fail(node, where, err, err_size,
                          "set 'after_runs', 'after' or both");
    return 0;
}

/* Keys of the share-of-changes method, read by older configs. */
static void warn_retired(const ynode *node, const char *key)
{
    char text[1024];
    const ynode *v = ynode_get(node, key);
    if (!v)
        return;
    yread_fail(v, "alerts.flapping", text, sizeof text,
               "'%s' is no longer used and is ignored: flapping starts when "
               "a short failure comes back within 'window' runs and stops "
               "after 'settle' equal runs (docs/alerts.md)",
               key);
    log_msg(NBAQ_LOG_WARN, NULL, "%s", text);
}

static int parse_flapping(alerts_config *ac, const ynode *node, char *err,
                          size_t err_size)
{
    static const char *const keys[] = {"enabled",   "window",   "settle",
                                       "start_pct", "stop_pct", NULL};
    static const char where[] = "alerts.flapping";
    if (node->kind == YNODE_SCALAR)
        return yread_bool(node, "alerts", "flapping", &ac->flapping, err,
                          err_size);
    if (yread_check_keys(node, keys, "in alerts.flapping", err, err_size) != 0)
        return -1;
    const ynode *v;
    int64_t runs;
    if ((v = ynode_get(node, "enabled")) &&
        yread_bool(v, where, "enabled", &ac->flapping, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "window"))) {
        if (yread_int(v, where, "window", 2, 63, &runs, err, err_size) != 0)
            return -1;
        ac->flap_window = (uint32_t)runs;
    }
    if ((v = ynode_get(node, "settle"))) {
        if (yread_int(v, where, "settle", 2, 63, &runs, err, err_size) != 0)
            return -1;
        ac->flap_settle = (uint32_t)runs;
    }
    warn_retired(node, "start_pct");
    warn_retired(node, "stop_pct");
    return 0;
}

/* One value of severity_from_status: a severity, `declared` or
 * `declared-N`. */
static int read_severity_rule(const ynode *node, const char *key,
                              severity_rule *rule, char *err, size_t err_size)
{
    static const char where[] = "alerts.severity_from_status";
    static const char prefix[] = "declared";
    const char *text = node->kind == YNODE_SCALAR ? node->text : "";
    if (strncmp(text, prefix, sizeof prefix - 1) == 0) {
        const char *rest = text + sizeof prefix - 1;
        *rule = (severity_rule){0};
        if (*rest == '\0')
            return 0;
        if (rest[0] == '-' && rest[1] >= '1' && rest[1] <= '4' &&
            rest[2] == '\0') {
            rule->below = (uint32_t)(rest[1] - '0');
            return 0;
        }
        return yread_fail(node, where, err, err_size,
                          "'%s' expected 'declared' or 'declared-1' to "
                          "'declared-4', got '%.100s'",
                          key, text);
    }
    *rule = (severity_rule){.fixed = 1};
    return read_severity(node, where, key, &rule->severity, err, err_size);
}

static int parse_severity_map(alerts_config *ac, const ynode *node, char *err,
                              size_t err_size)
{
    static const char *const keys[] = {"FAIL", "WARNING", "ERROR", "UNKNOWN",
                                       NULL};
    static const nbaq_status statuses[] = {NBAQ_FAIL, NBAQ_WARNING, NBAQ_ERROR,
                                           NBAQ_UNKNOWN};
    if (yread_check_keys(node, keys, "in alerts.severity_from_status", err,
                         err_size) != 0)
        return -1;
    for (size_t i = 0; keys[i]; i++) {
        const ynode *v = ynode_get(node, keys[i]);
        if (v && read_severity_rule(v, keys[i], &ac->from_status[statuses[i]],
                                    err, err_size) != 0)
            return -1;
    }
    return 0;
}

static int parse_route(config *cfg, const ynode *node, size_t index,
                       alert_route *r, const name_set *checks,
                       const name_set *reporters, char *err, size_t err_size)
{
    static const char *const keys[] = {"channel", "min_severity", "checks",
                                       NULL};
    char where[64], in_where[80];
    snprintf(where, sizeof where, "alerts.routes[%zu]", index + 1);
    snprintf(in_where, sizeof in_where, "in %s", where);
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    r->min_severity = NBAQ_SEV_INFO;
    const ynode *v = ynode_get(node, "channel");
    if (!v)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'channel' (a reporter's "
                          "name)");
    if (yread_name(&cfg->mem, v, where, "channel", &r->channel, err,
                   err_size) != 0 ||
        name_in(reporters, v, where, "channel", err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "min_severity")) &&
        read_severity(v, where, "min_severity", &r->min_severity, err,
                      err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "checks")) &&
        read_names(cfg, v, where, "checks", checks, &r->checks, &r->check_count,
                   err, err_size) != 0)
        return -1;
    return 0;
}

static int parse_level(config *cfg, const ynode *node, size_t index,
                       alert_level *l, const name_set *checks,
                       const name_set *reporters, char *err, size_t err_size)
{
    static const char *const keys[] = {"after",    "min_severity",    "checks",
                                       "channels", "repeat_interval", NULL};
    char where[64], in_where[80];
    snprintf(where, sizeof where, "alerts.levels[%zu]", index + 1);
    snprintf(in_where, sizeof in_where, "in %s", where);
    if (yread_check_keys(node, keys, in_where, err, err_size) != 0)
        return -1;
    l->min_severity = NBAQ_SEV_INFO;
    const ynode *v = ynode_get(node, "after");
    if (!v)
        return yread_fail(node, where, err, err_size,
                          "missing required key 'after' (how long an alert "
                          "is open before the level applies)");
    if (yread_duration(v, where, "after", 0, &l->after_ms, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "min_severity")) &&
        read_severity(v, where, "min_severity", &l->min_severity, err,
                      err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "checks")) &&
        read_names(cfg, v, where, "checks", checks, &l->checks, &l->check_count,
                   err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "channels")) &&
        read_names(cfg, v, where, "channels", reporters, &l->channels,
                   &l->channel_count, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "repeat_interval"))) {
        if (read_repeat(v, where, &l->repeat_ms, err, err_size) != 0)
            return -1;
        if (l->repeat_ms == 0)
            return yread_fail(v, where, err, err_size,
                              "'repeat_interval' of a level must be a "
                              "duration (a level can only shorten it)");
    }
    if (l->channel_count == 0 && l->repeat_ms == 0)
        return yread_fail(node, where, err, err_size,
                          "a level must set 'channels', 'repeat_interval' "
                          "or both");
    return 0;
}

/* Parses each item of a list with fn into an array of item_size. */
typedef int (*item_parser)(config *cfg, const ynode *node, size_t index,
                           void *item, const name_set *checks,
                           const name_set *reporters, char *err,
                           size_t err_size);

static int parse_route_item(config *cfg, const ynode *node, size_t index,
                            void *item, const name_set *checks,
                            const name_set *reporters, char *err,
                            size_t err_size)
{
    return parse_route(cfg, node, index, item, checks, reporters, err,
                       err_size);
}

static int parse_level_item(config *cfg, const ynode *node, size_t index,
                            void *item, const name_set *checks,
                            const name_set *reporters, char *err,
                            size_t err_size)
{
    return parse_level(cfg, node, index, item, checks, reporters, err,
                       err_size);
}

static int parse_list(config *cfg, const ynode *node, const char *key,
                      size_t item_size, item_parser parse, void **items,
                      size_t *count, const name_set *checks,
                      const name_set *reporters, char *err, size_t err_size)
{
    if (node->is_null) {
        *count = 0;
        return 0;
    }
    if (node->kind != YNODE_SEQUENCE)
        return yread_fail(node, "alerts", err, err_size,
                          "'%s' expected a list, got %s", key,
                          ynode_kind_name(node->kind));
    *items =
        arena_alloc(&cfg->mem, (node->count ? node->count : 1) * item_size);
    if (!*items)
        return yread_fail(node, "alerts", err, err_size, "out of memory");
    for (size_t i = 0; i < node->count; i++) {
        if (parse(cfg, node->items[i], i, (char *)*items + i * item_size,
                  checks, reporters, err, err_size) != 0)
            return -1;
    }
    *count = node->count;
    return 0;
}

static int make_sets(config *cfg, name_set *checks, name_set *reporters)
{
    checks->what = "check";
    checks->count = cfg->check_count;
    checks->names =
        arena_alloc(&cfg->mem, (cfg->check_count + 1) * sizeof *checks->names);
    reporters->what = "reporter";
    reporters->count = cfg->reporter_count;
    reporters->names = arena_alloc(&cfg->mem, (cfg->reporter_count + 1) *
                                                  sizeof *reporters->names);
    if (!checks->names || !reporters->names)
        return -1;
    for (size_t i = 0; i < cfg->check_count; i++)
        checks->names[i] = cfg->checks[i].name;
    for (size_t i = 0; i < cfg->reporter_count; i++)
        reporters->names[i] = cfg->reporters[i].name;
    return 0;
}

/* Every key but `routes` and `severity_from_status` shapes the lifecycle, which
 * lives in the store. */
static int need_history(const config *cfg, const ynode *node, char *err,
                        size_t err_size)
{
    if (cfg->history.configured)
        return 0;
    for (size_t i = 0; i < node->count; i++) {
        const ynode *key = node->pairs[i].key;
        if (strcmp(key->text, "routes") != 0 &&
            strcmp(key->text, "severity_from_status") != 0)
            return yread_fail(key, "alerts", err, err_size,
                              "'%s' needs a 'history' section: the alert "
                              "lifecycle is kept in the history store",
                              key->text);
    }
    return 0;
}

static int parse_scalars(alerts_config *ac, const ynode *node, char *err,
                         size_t err_size)
{
    const ynode *v;
    if ((v = ynode_get(node, "open_after")) &&
        read_count(v, "alerts", "open_after", &ac->open_after, err, err_size) !=
            0)
        return -1;
    if ((v = ynode_get(node, "resolve_after")) &&
        read_count(v, "alerts", "resolve_after", &ac->resolve_after, err,
                   err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "repeat_interval")) &&
        read_repeat(v, "alerts", &ac->repeat_ms, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "escalate")) &&
        parse_escalate(ac, v, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "flapping")) &&
        parse_flapping(ac, v, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "severity_from_status")) &&
        parse_severity_map(ac, v, err, err_size) != 0)
        return -1;
    if ((v = ynode_get(node, "notify_lowered")) &&
        yread_bool(v, "alerts", "notify_lowered", &ac->notify_lowered, err,
                   err_size) != 0)
        return -1;
    return 0;
}

int alerts_config_parse(config *cfg, const ynode *node, char *err,
                        size_t err_size)
{
    static const char *const keys[] = {
        "open_after",      "resolve_after",
        "repeat_interval", "escalate",
        "flapping",        "routes",
        "levels",          "severity_from_status",
        "notify_lowered",  NULL};
    alerts_config *ac = &cfg->alerts;
    if (yread_check_keys(node, keys, "in alerts", err, err_size) != 0 ||
        need_history(cfg, node, err, err_size) != 0)
        return -1;
    ac->configured = 1;
    if (parse_scalars(ac, node, err, err_size) != 0)
        return -1;
    name_set checks, reporters;
    if (make_sets(cfg, &checks, &reporters) != 0)
        return yread_fail(node, "alerts", err, err_size, "out of memory");
    const ynode *v;
    if ((v = ynode_get(node, "routes")) && !v->is_null) {
        ac->routes_given = 1;
        if (parse_list(cfg, v, "routes", sizeof *ac->routes, parse_route_item,
                       (void **)&ac->routes, &ac->route_count, &checks,
                       &reporters, err, err_size) != 0)
            return -1;
    }
    if ((v = ynode_get(node, "levels")) &&
        parse_list(cfg, v, "levels", sizeof *ac->levels, parse_level_item,
                   (void **)&ac->levels, &ac->level_count, &checks, &reporters,
                   err, err_size) != 0)
        return -1;
    return 0;
}

static void warn_disabled(const config *cfg, const char *where,
                          const char *channel)
{
    for (size_t i = 0; i < cfg->reporter_count; i++) {
        if (strcmp(cfg->reporters[i].name, channel) == 0 &&
            !cfg->reporters[i].enabled)
            log_msg(NBAQ_LOG_WARN, NULL,
                    "%s: %s: reporter '%s' is disabled: nothing is sent "
                    "to it",
                    cfg->path, where, channel);
    }
}

void alerts_config_warn(const config *cfg)
{
    const alerts_config *ac = &cfg->alerts;
    char where[64];
    for (size_t i = 0; i < ac->route_count; i++) {
        snprintf(where, sizeof where, "alerts.routes[%zu]", i + 1);
        warn_disabled(cfg, where, ac->routes[i].channel);
    }
    for (size_t i = 0; i < ac->level_count; i++) {
        snprintf(where, sizeof where, "alerts.levels[%zu]", i + 1);
        for (size_t c = 0; c < ac->levels[i].channel_count; c++)
            warn_disabled(cfg, where, ac->levels[i].channels[c]);
    }
}
