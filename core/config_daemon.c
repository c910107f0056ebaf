#include "config_daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "units.h"
#include "yread.h"

#define TOKEN_MAX 4096
#define MAX_CONNECTIONS_LIMIT 10000
#define REQUEST_TIMEOUT_MIN_MS 100LL
#define REQUEST_TIMEOUT_MAX_MS (10 * 60 * 1000LL)
#define HISTORY_POINTS_MIN 10
#define HISTORY_POINTS_MAX 100000
#define DASHBOARD_MAX_METRICS_LIMIT 100000

static const char where[] = "daemon";

void daemon_config_defaults(daemon_config *d)
{
    memset(d, 0, sizeof *d);
    d->location = "";
    d->listen = DAEMON_DEFAULT_LISTEN;
    d->interval_ms = DAEMON_DEFAULT_INTERVAL_MS;
    d->jitter = DAEMON_DEFAULT_JITTER;
    d->max_connections = DAEMON_DEFAULT_MAX_CONNECTIONS;
    d->max_connections_per_ip = DAEMON_DEFAULT_MAX_CONNECTIONS_PER_IP;
    d->request_timeout_ms = DAEMON_DEFAULT_REQUEST_TIMEOUT_MS;
    d->history_points = DAEMON_DEFAULT_HISTORY_POINTS;
    d->refresh_ms = DAEMON_DEFAULT_REFRESH_MS;
    d->dashboard_max_metrics = DAEMON_DEFAULT_DASHBOARD_MAX_METRICS;
    d->fleet_lease_ms = DAEMON_DEFAULT_FLEET_LEASE_MS;
    d->heartbeat_interval_ms = DAEMON_DEFAULT_HEARTBEAT_INTERVAL_MS;
    d->watchdog_enabled = 1;
    d->watchdog_interval_ms = DAEMON_DEFAULT_WATCHDOG_INTERVAL_MS;
    d->watchdog_stale_after = DAEMON_DEFAULT_WATCHDOG_STALE_AFTER;
}

int daemon_listen_split(const char *listen, char *host, size_t host_size,
                        unsigned *port, char *err, size_t err_size)
{
    const char *colon;
    const char *host_start = listen;
    size_t host_len;
    if (listen[0] == '[') {
        const char *close = strchr(listen, ']');
        if (!close || close[1] != ':')
            return err_set(err, err_size,
                           "expected [address]:port for an IPv6 address");
        host_start = listen + 1;
        host_len = (size_t)(close - host_start);
        colon = close + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon)
            return err_set(err, err_size, "expected host:port");
        host_len = (size_t)(colon - listen);
        if (memchr(listen, ':', host_len))
            return err_set(err, err_size,
                           "write an IPv6 address in brackets: [::1]:9464");
    }
    if (host_len >= host_size)
        return err_set(err, err_size, "the host is too long");
    const char *p = colon + 1;
    char *end;
    errno = 0;
    long value = strtol(p, &end, 10);
    if (!*p || *end || errno || value < 0 || value > 65535)
        return err_set(err, err_size, "the port must be a number 0 to 65535");
    memcpy(host, host_start, host_len);
    host[host_len] = '\0';
    *port = (unsigned)value;
    return 0;
}

/* Visible ASCII only: the token travels in an HTTP header. The message
 * never shows the value. */
static int check_token(const ynode *node, const char *key, const char *token,
                       char *err, size_t err_size)
{
    size_t len = strlen(token);
    if (len == 0)
        return yread_fail(node, where, err, err_size, "'%s' is empty", key);
    if (len > TOKEN_MAX)
        return yread_fail(node, where, err, err_size,
                          "'%s' is longer than %d bytes", key, TOKEN_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)token[i];
        if (c < 0x21 || c > 0x7e)
            return yread_fail(node, where, err, err_size,
                              "'%s' may hold visible ASCII characters only "
                              "(no spaces); the value is not shown",
                              key);
    }
    return 0;
}

static int read_token_file(arena *mem, const ynode *node, const char *dir,
                           char **out, char *err, size_t err_size)
{
    char *path;
    if (yread_string(mem, node, where, "token_file", &path, err, err_size))
        return -1;
    if (path[0] != '/') {
        size_t len = strlen(dir) + strlen(path) + 2;
        char *joined = arena_alloc(mem, len);
        if (!joined)
            return yread_fail(node, where, err, err_size, "out of memory");
        snprintf(joined, len, "%s/%s", dir, path);
        path = joined;
    }
    FILE *f = fopen(path, "re");
    if (!f)
        return yread_fail(node, where, err, err_size,
                          "'token_file' %s: cannot open: %s", path,
                          strerror(errno));
    char buf[TOKEN_MAX + 2];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    int too_long = n > TOKEN_MAX;
    fclose(f);
    if (too_long)
        return yread_fail(node, where, err, err_size,
                          "'token_file' %s: longer than %d bytes", path,
                          TOKEN_MAX);
    buf[n] = '\0';
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
                     buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    *out = arena_strdup(mem, buf);
    memset(buf, 0, sizeof buf);
    if (!*out)
        return yread_fail(node, where, err, err_size, "out of memory");
    return check_token(node, "token_file", *out, err, err_size);
}

/* daemon.dashboard.metrics: a list of metric names or globs. */
static int parse_dashboard_metrics(arena *mem, const ynode *v, daemon_config *d,
                                   char *err, size_t err_size)
{
    static const char here[] = "daemon.dashboard";
    if (v->kind != YNODE_SEQUENCE)
        return yread_fail(v, here, err, err_size,
                          "'metrics' is a list of metric names or globs "
                          "(\"check/metric\", \"*_age_seconds\")");
    d->dashboard_metrics = arena_alloc(mem, (v->count + 1) * sizeof(char *));
    if (!d->dashboard_metrics)
        return yread_fail(v, here, err, err_size, "out of memory");
    for (size_t i = 0; i < v->count; i++) {
        if (yread_string(mem, v->items[i], here, "metrics",
                         &d->dashboard_metrics[i], err, err_size))
            return -1;
        if (!d->dashboard_metrics[i][0])
            return yread_fail(v->items[i], here, err, err_size,
                              "'metrics' holds an empty pattern");
    }
    d->dashboard_metric_count = v->count;
    return 0;
}

static int parse_dashboard(arena *mem, const ynode *v, daemon_config *d,
                           char *err, size_t err_size)
{
    static const char *const keys[] = {"metrics", "max_metrics", NULL};
    if (yread_check_keys(v, keys, "in daemon.dashboard", err, err_size) != 0)
        return -1;
    const ynode *metrics = ynode_get(v, "metrics");
    if (metrics && parse_dashboard_metrics(mem, metrics, d, err, err_size))
        return -1;
    const ynode *max = ynode_get(v, "max_metrics");
    int64_t n;
    if (max) {
        if (yread_int(max, "daemon.dashboard", "max_metrics", 1,
                      DASHBOARD_MAX_METRICS_LIMIT, &n, err, err_size))
            return -1;
        d->dashboard_max_metrics = (unsigned)n;
    }
    return 0;
}

static int read_connections(const ynode *v, const char *key, unsigned *out,
                            char *err, size_t err_size)
{
    int64_t n;
    if (yread_int(v, where, key, 1, MAX_CONNECTIONS_LIMIT, &n, err, err_size))
        return -1;
    *out = (unsigned)n;
    return 0;
}

static int parse_fleet(const ynode *v, daemon_config *d, char *err,
                       size_t err_size)
{
    static const char *const keys[] = {"lease", NULL};
    if (yread_check_keys(v, keys, "in daemon.fleet", err, err_size) != 0)
        return -1;
    const ynode *lease = ynode_get(v, "lease");
    return lease ? yread_duration(lease, "daemon.fleet", "lease", 1000,
                                  &d->fleet_lease_ms, err, err_size)
                 : 0;
}

/* An http:// or https:// URL from key of v, into *out. */
static int read_http_url(arena *mem, const ynode *v, const char *key,
                         char **out, char *err, size_t err_size)
{
    static const char here[] = "daemon.heartbeat";
    if (yread_string(mem, v, here, key, out, err, err_size))
        return -1;
    if (strncmp(*out, "http://", 7) != 0 && strncmp(*out, "https://", 8) != 0)
        return yread_fail(v, here, err, err_size,
                          "'%s' must start with http:// or https://", key);
    return 0;
}

static int parse_heartbeat(arena *mem, const ynode *v, daemon_config *d,
                           char *err, size_t err_size)
{
    static const char here[] = "daemon.heartbeat";
    static const char *const keys[] = {"url", "alertmanager", "interval", NULL};
    if (yread_check_keys(v, keys, "in daemon.heartbeat", err, err_size) != 0)
        return -1;
    const ynode *url = ynode_get(v, "url");
    const ynode *am = ynode_get(v, "alertmanager");
    const ynode *interval = ynode_get(v, "interval");
    if (!url && !am)
        return yread_fail(v, here, err, err_size,
                          "'url' (a URL to ping) or 'alertmanager' (where to "
                          "post the Watchdog alert) is required");
    if (url && read_http_url(mem, url, "url", &d->heartbeat_url, err, err_size))
        return -1;
    if (am && read_http_url(mem, am, "alertmanager", &d->heartbeat_alertmanager,
                            err, err_size))
        return -1;
    return interval ? yread_duration(interval, here, "interval", 1000,
                                     &d->heartbeat_interval_ms, err, err_size)
                    : 0;
}

/* daemon.watchdog.stale_after: a factor of the check's interval, "2"
 * or "2x", at least 1. */
static int read_stale_after(const ynode *v, double *out, char *err,
                            size_t err_size)
{
    static const char here[] = "daemon.watchdog";
    char text[64], reason[128];
    if (v->kind != YNODE_SCALAR || v->is_null)
        return yread_fail(v, here, err, err_size,
                          "'stale_after' expected a factor of the check's "
                          "interval such as 2x");
    text_copy(text, sizeof text, v->text);
    size_t len = strlen(text);
    if (len > 0 && (text[len - 1] == 'x' || text[len - 1] == 'X'))
        text[len - 1] = '\0';
    if (units_parse_double(text, out, reason, sizeof reason) != 0 ||
        !(*out >= 1.0) || *out > 1000.0)
        return yread_fail(v, here, err, err_size,
                          "'stale_after' is a factor of the check's interval "
                          "from 1 to 1000 such as 2x, got '%.100s'",
                          v->text);
    return 0;
}

static int parse_watchdog(const ynode *v, daemon_config *d, char *err,
                          size_t err_size)
{
    static const char here[] = "daemon.watchdog";
    static const char *const keys[] = {"enabled", "interval", "stale_after",
                                       "member_dead_after", NULL};
    if (yread_check_keys(v, keys, "in daemon.watchdog", err, err_size) != 0)
        return -1;
    const ynode *n;
    if ((n = ynode_get(v, "enabled")) &&
        yread_bool(n, here, "enabled", &d->watchdog_enabled, err, err_size))
        return -1;
    if ((n = ynode_get(v, "interval")) &&
        yread_duration(n, here, "interval", DAEMON_MIN_INTERVAL_MS,
                       &d->watchdog_interval_ms, err, err_size))
        return -1;
    if ((n = ynode_get(v, "stale_after")) &&
        read_stale_after(n, &d->watchdog_stale_after, err, err_size))
        return -1;
    if ((n = ynode_get(v, "member_dead_after")) &&
        yread_duration(n, here, "member_dead_after", 1000,
                       &d->watchdog_member_dead_after_ms, err, err_size))
        return -1;
    return 0;
}

static int parse_key(arena *mem, const char *key, const ynode *v,
                     const char *dir, daemon_config *d, char *err,
                     size_t err_size)
{
    int64_t n;
    if (strcmp(key, "listen") == 0) {
        char host[256], reason[128];
        unsigned port;
        if (yread_string(mem, v, where, key, &d->listen, err, err_size))
            return -1;
        if (daemon_listen_split(d->listen, host, sizeof host, &port, reason,
                                sizeof reason) != 0)
            return yread_fail(v, where, err, err_size, "'listen' %s, got '%s'",
                              reason, d->listen);
        return 0;
    }
    if (strcmp(key, "token") == 0)
        return yread_string(mem, v, where, key, &d->token, err, err_size) ||
               check_token(v, key, d->token, err, err_size);
    if (strcmp(key, "token_file") == 0)
        return read_token_file(mem, v, dir, &d->token, err, err_size);
    if (strcmp(key, "interval") == 0)
        return yread_duration(v, where, key, DAEMON_MIN_INTERVAL_MS,
                              &d->interval_ms, err, err_size);
    if (strcmp(key, "refresh") == 0)
        return yread_duration(v, where, key, 1000, &d->refresh_ms, err,
                              err_size);
    if (strcmp(key, "jitter") == 0) {
        if (yread_double(v, where, key, &d->jitter, err, err_size))
            return -1;
        if (d->jitter < 0 || d->jitter > DAEMON_MAX_JITTER)
            return yread_fail(v, where, err, err_size,
                              "'jitter' is a fraction of the interval from 0 "
                              "to %g, got '%s'",
                              DAEMON_MAX_JITTER, v->text);
        return 0;
    }
    if (strcmp(key, "max_connections") == 0)
        return read_connections(v, key, &d->max_connections, err, err_size);
    if (strcmp(key, "max_connections_per_ip") == 0)
        return read_connections(v, key, &d->max_connections_per_ip, err,
                                err_size);
    if (strcmp(key, "request_timeout") == 0) {
        if (yread_duration(v, where, key, REQUEST_TIMEOUT_MIN_MS,
                           &d->request_timeout_ms, err, err_size))
            return -1;
        if (d->request_timeout_ms > REQUEST_TIMEOUT_MAX_MS)
            return yread_fail(v, where, err, err_size,
                              "'request_timeout' is at most 10m, got '%s'",
                              v->text);
        return 0;
    }
    if (strcmp(key, "dashboard") == 0)
        return parse_dashboard(mem, v, d, err, err_size);
    if (strcmp(key, "fleet") == 0)
        return parse_fleet(v, d, err, err_size);
    if (strcmp(key, "heartbeat") == 0)
        return parse_heartbeat(mem, v, d, err, err_size);
    if (strcmp(key, "watchdog") == 0)
        return parse_watchdog(v, d, err, err_size);
    if (strcmp(key, "actions") == 0)
        return yread_bool(v, where, key, &d->actions, err, err_size);
    if (strcmp(key, "history_points") == 0) {
        if (yread_int(v, where, key, HISTORY_POINTS_MIN, HISTORY_POINTS_MAX, &n,
                      err, err_size))
            return -1;
        d->history_points = (unsigned)n;
        return 0;
    }
    return 0;
}

int daemon_config_parse(arena *mem, const ynode *node, const char *config_dir,
                        daemon_config *d, char *err, size_t err_size)
{
    static const char *const keys[] = {"listen",
                                       "token",
                                       "token_file",
                                       "interval",
                                       "jitter",
                                       "max_connections",
                                       "max_connections_per_ip",
                                       "request_timeout",
                                       "history_points",
                                       "refresh",
                                       "dashboard",
                                       "actions",
                                       "fleet",
                                       "heartbeat",
                                       "watchdog",
                                       NULL};
    if (yread_check_keys(node, keys, "in daemon", err, err_size) != 0)
        return -1;
    if (ynode_get(node, "token") && ynode_get(node, "token_file"))
        return yread_fail(ynode_get(node, "token_file"), where, err, err_size,
                          "give 'token' or 'token_file', not both");
    char location[512];
    d->configured = 1;
    d->location =
        arena_strdup(mem, ynode_location(node, location, sizeof location));
    for (size_t i = 0; i < node->count; i++) {
        if (parse_key(mem, node->pairs[i].key->text, node->pairs[i].value,
                      config_dir, d, err, err_size) != 0)
            return -1;
    }
    if (d->actions && !d->token)
        return yread_fail(ynode_get(node, "actions"), where, err, err_size,
                          "'actions: true' needs 'token' or 'token_file': "
                          "silencing from the page is for token holders "
                          "only");
    return 0;
}
