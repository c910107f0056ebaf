#include "http.h"

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "assets.h"
#include "clock.h"
#include "conn_guard.h"
#include "history_api.h"
#include "dashboard_api.h"
#include "log.h"
#include "promtext.h"
#include "render.h"
#include "route.h"
#include "textbuf.h"
#include "text.h"

/* Bounds on what a client may send and hold. */
#define REQUEST_MEMORY_LIMIT (32u * 1024u) /* request line + headers   */
#define IDLE_TIMEOUT_S 10u
#define LISTEN_BACKLOG 128u
/* The hard limit: room for newcomers in their grace and connections cut
 * but not yet closed (conn_guard.h). */
#define HARD_LIMIT(max) (4u * (max) + 8u)

/* Response codes counted for nbaq_daemon_http_requests_total. */
static const unsigned counted_codes[] = {200, 400, 401, 404, 405,
                                         413, 500, 503, 0};
#define CODE_SLOTS (sizeof counted_codes / sizeof counted_codes[0])

struct http_server {
    struct MHD_Daemon *mhd;
    snapshot_hub *hub;
    history_api history;
    struct MHD_Response *assets[8]; /* daemon_assets, made once        */
    uint64_t answered[CODE_SLOTS];  /* by counted_codes; last: others  */
    char last_error[512];           /* libmicrohttpd's last message    */
    conn_guard guard;
};

/* One request: its raw URI, as sent, before any decoding. */
typedef struct request {
    char *raw;
    int too_long;
    int answered;
} request;

int http_token_equal(const char *given, const char *expected)
{
    size_t n = strlen(given), m = strlen(expected);
    volatile unsigned char diff = (unsigned char)(n != m);
    for (size_t i = 0; i < m; i++) {
        unsigned char g = i < n ? (unsigned char)given[i] : 0;
        diff |= (unsigned char)(g ^ (unsigned char)expected[i]);
    }
    return diff == 0;
}

/* ------------------------------------------------------------------ */
/* Responses                                                            */

static void count(http_server *s, unsigned code)
{
    size_t i = 0;
    while (counted_codes[i] && counted_codes[i] != code)
        i++;
    s->answered[i]++;
}

static void common_headers(struct MHD_Response *r, const char *type)
{
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
}

static enum MHD_Result answer(http_server *s, struct MHD_Connection *c,
                              unsigned code, struct MHD_Response *r)
{
    if (!r)
        return MHD_NO;
    count(s, code);
    enum MHD_Result ok = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ok;
}

static void free_text(void *text)
{
    free(text);
}

/* A JSON answer built for this request (text malloc'd, taken over). */
static enum MHD_Result send_json(http_server *s, struct MHD_Connection *c,
                                 unsigned code, char *text)
{
    if (!text)
        return MHD_NO;
    struct MHD_Response *r = MHD_create_response_from_buffer_with_free_callback(
        strlen(text), text, free_text);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    common_headers(r, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    return answer(s, c, code, r);
}

static enum MHD_Result send_error(http_server *s, struct MHD_Connection *c,
                                  unsigned code, const char *message)
{
    textbuf body = TEXTBUF_INIT;
    textbuf_printf(&body, "{\"error\":\"%s\"}", message); /* plain ASCII */
    return send_json(s, c, code, body.failed ? NULL : textbuf_take(&body));
}

static void release_snapshot(void *snap)
{
    snapshot_unref(snap);
}

/* text lives in snap: the response holds a reference until it is sent. */
static enum MHD_Result send_snapshot_text(http_server *s,
                                          struct MHD_Connection *c,
                                          snapshot *snap, const char *text,
                                          size_t len, const char *type)
{
    snapshot_ref(snap);
    struct MHD_Response *r =
        MHD_create_response_from_buffer_with_free_callback_cls(
            len, (void *)text, release_snapshot, snap);
    if (!r) {
        snapshot_unref(snap);
        return MHD_NO;
    }
    common_headers(r, type);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    return answer(s, c, 200, r);
}

/* ------------------------------------------------------------------ */
/* Routes                                                               */

static enum MHD_Result serve_asset(http_server *s, struct MHD_Connection *c,
                                   size_t i)
{
    count(s, 200);
    return MHD_queue_response(c, 200, s->assets[i]);
}

static enum MHD_Result serve_health(http_server *s, struct MHD_Connection *c,
                                    const snapshot *snap)
{
    if (snap->stopping)
        return send_json(s, c, 503, strdup("{\"status\":\"stopping\"}"));
    return send_json(s, c, 200, strdup("{\"status\":\"ok\"}"));
}

typedef struct metrics_body {
    snapshot *snap;
    char *tail;
} metrics_body;

static void release_metrics(void *arg)
{
    metrics_body *body = arg;
    snapshot_unref(body->snap);
    free(body->tail);
    free(body);
}

static void memory_figures(long long *rss, long long *max_rss)
{
    *rss = *max_rss = -1;
    long pages_total, pages_resident;
    FILE *f = fopen("/proc/self/statm", "re");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) == 2)
            *rss = (long long)pages_resident * sysconf(_SC_PAGESIZE);
        fclose(f);
    }
    struct rusage usage;
    if (getrusage(RUSAGE_SELF, &usage) == 0)
        *max_rss = (long long)usage.ru_maxrss * 1024;
}

/* name{monitor="..."} value; name may end in an open label list. */
static void prom_figure(textbuf *out, const char *name, const char *monitor,
                        uint64_t value)
{
    textbuf_puts(out, name);
    textbuf_puts(out, strchr(name, '{') ? ",monitor=\"" : "{monitor=\"");
    textfmt_prom_label_value(out, monitor);
    textbuf_puts(out, "\"} ");
    textfmt_prom_value(out, (double)value);
    textbuf_putc(out, '\n');
}

static void http_figures(http_server *s, textbuf *out, const char *monitor)
{
    textfmt_prom_family(
        out, "nbaq_daemon_http_requests_total", "counter",
        "HTTP requests answered, by status code (\"other\": any "
        "code not listed).");
    for (size_t i = 0; i < CODE_SLOTS; i++) {
        textbuf_printf(out, "nbaq_daemon_http_requests_total{monitor=\"");
        textfmt_prom_label_value(out, monitor);
        if (counted_codes[i])
            textbuf_printf(out, "\",code=\"%u\"} ", counted_codes[i]);
        else
            textbuf_puts(out, "\",code=\"other\"} ");
        textfmt_prom_value(out, (double)s->answered[i]);
        textbuf_putc(out, '\n');
    }
    textfmt_prom_family(out, "nbaq_daemon_http_connections_refused_total",
                        "counter",
                        "Connections closed at once: every open connection was "
                        "being answered.");
    prom_figure(out, "nbaq_daemon_http_connections_refused_total", monitor,
                s->guard.refused);
    textfmt_prom_family(
        out, "nbaq_daemon_http_connections_cut_total", "counter",
        "Connections cut: \"timeout\" past daemon.request_timeout, "
        "\"room\" the oldest, to make room for a new one.");
    prom_figure(out,
                "nbaq_daemon_http_connections_cut_total{reason=\"timeout\"",
                monitor, s->guard.cut_slow);
    prom_figure(out, "nbaq_daemon_http_connections_cut_total{reason=\"room\"",
                monitor, s->guard.cut_for_room);
    textfmt_prom_family(out, "nbaq_daemon_http_connections_open", "gauge",
                        "HTTP connections open now, this one included.");
    prom_figure(out, "nbaq_daemon_http_connections_open", monitor,
                s->guard.open - s->guard.cut);
}

static enum MHD_Result serve_metrics(http_server *s, struct MHD_Connection *c,
                                     snapshot *snap)
{
    health_figures h = {.monitor = snap->monitor,
                        .started_ms = snap->started_ms,
                        .now_ms = clock_wall_ms()};
    memory_figures(&h.rss_bytes, &h.max_rss_bytes);
    textbuf tail = TEXTBUF_INIT;
    render_health(&tail, &h);
    count(s, 200); /* this answer counts in its own figures */
    http_figures(s, &tail, snap->monitor);
    metrics_body *body = malloc(sizeof *body);
    if (!body || tail.failed) {
        free(body);
        textbuf_free(&tail);
        return MHD_NO;
    }
    body->snap = snapshot_ref(snap);
    body->tail = textbuf_take(&tail);
    struct MHD_IoVec iov[2] = {{snap->metrics_text, snap->metrics_len},
                               {body->tail, strlen(body->tail)}};
    struct MHD_Response *r =
        MHD_create_response_from_iovec(iov, 2, release_metrics, body);
    if (!r) {
        release_metrics(body);
        return MHD_NO;
    }
    common_headers(r, "text/plain; version=0.0.4; charset=utf-8");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    enum MHD_Result ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

static const char *arg(struct MHD_Connection *c, const char *name)
{
    return MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result serve_history(http_server *s, struct MHD_Connection *c,
                                     const snapshot *snap)
{
    history_query q = {.check = arg(c, "check"),
                       .metric = arg(c, "metric"),
                       .since = arg(c, "since"),
                       .until = arg(c, "until"),
                       .points = arg(c, "points")};
    int status = 500;
    char *text =
        history_api_answer(&s->history, snap, &q, clock_wall_ms(), &status);
    return send_json(s, c, (unsigned)status, text);
}

static int authorized(struct MHD_Connection *c, const snapshot *snap)
{
    if (!snap->token)
        return 1;
    const char *h =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return 0;
    h += 7;
    while (*h == ' ')
        h++;
    return http_token_equal(h, snap->token);
}

static enum MHD_Result unauthorized(http_server *s, struct MHD_Connection *c)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        sizeof "{\"error\":\"unauthorized\"}" - 1,
        (void *)"{\"error\":\"unauthorized\"}", MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    common_headers(r, "application/json");
    MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                            "Bearer realm=\"nbaq\"");
    return answer(s, c, 401, r);
}

/* The dashboard's own routes (dashboard_api.h), after the token check. */
static enum MHD_Result serve_dashboard(http_server *s, struct MHD_Connection *c,
                                       const char *path, const char *method,
                                       snapshot *snap)
{
    dashboard_request rq = {c, path, method, snap, clock_wall_ms()};
    int status = 500;
    char *text = dashboard_api_answer(&rq, &status);
    return send_json(s, c, (unsigned)status, text);
}

/* uri as sent; path: its part before '?' or '#', "" when too long. */
static enum MHD_Result route(http_server *s, struct MHD_Connection *c,
                             const char *uri, const char *path,
                             const char *method, snapshot *snap)
{
    size_t asset;
    http_route r = route_of_uri(uri, &asset);
    if (route_is_protected(r) && !authorized(c, snap))
        return unauthorized(s, c);
    switch (r) {
    case ROUTE_ASSET:
        return serve_asset(s, c, asset);
    case ROUTE_HEALTH:
        return serve_health(s, c, snap);
    case ROUTE_STATUS:
        return send_snapshot_text(s, c, snap, snap->status_json,
                                  snap->status_len, "application/json");
    case ROUTE_HISTORY:
        return serve_history(s, c, snap);
    case ROUTE_METRICS:
        return serve_metrics(s, c, snap);
    case ROUTE_DASHBOARD:
        return serve_dashboard(s, c, path, method, snap);
    case ROUTE_NOT_FOUND:
        break;
    }
    return send_error(s, c, 404, "not found");
}

/* Printable ASCII only, for log lines: a path is the client's text. */
static void printable(char *dst, size_t size, const char *src)
{
    size_t k = 0;
    for (; *src && k + 1 < size; src++)
        dst[k++] = (*src >= 0x20 && *src < 0x7f) ? *src : '?';
    dst[k] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **req_cls)
{
    (void)url;
    (void)version;
    (void)upload;
    http_server *s = cls;
    request *req = *req_cls;
    if (!req)
        return MHD_NO; /* out of memory in on_uri */
    if (req->answered) {
        *upload_size = 0; /* a body nobody asked for: dropped */
        return MHD_YES;
    }
    req->answered = 1;
    char path[ROUTE_PATH_MAX + 1] = "", shown[128];
    if (!req->too_long) {
        size_t len = strcspn(req->raw, "?#");
        memcpy(path, req->raw, len);
        path[len] = '\0';
    }
    printable(shown, sizeof shown, req->too_long ? "(too long)" : path);
    log_msg(NBAQ_LOG_DEBUG, NULL, "http: %s %s", method, shown);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
        strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 &&
        !dashboard_api_allows(path, method)) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            sizeof "{\"error\":\"method not allowed\"}" - 1,
            (void *)"{\"error\":\"method not allowed\"}",
            MHD_RESPMEM_PERSISTENT);
        if (r) {
            common_headers(r, "application/json");
            MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        }
        return answer(s, c, 405, r);
    }
    snapshot *snap = snapshot_hub_acquire(s->hub);
    if (!snap)
        return send_error(s, c, 503, "starting");
    enum MHD_Result ok = route(s, c, req->raw, path, method, snap);
    snapshot_unref(snap);
    return ok;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    request *req = calloc(1, sizeof *req);
    if (!req)
        return NULL;
    size_t len = strcspn(uri, "?#");
    req->too_long = len > ROUTE_PATH_MAX;
    req->raw = strndup(uri, ROUTE_PATH_MAX + 1);
    if (!req->raw) {
        free(req);
        return NULL;
    }
    return req;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)why;
    (void)cls;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (info && info->socket_context)
        conn_guard_restart(info->socket_context, clock_mono_ms());
    request *req = *req_cls;
    if (req) {
        free(req->raw);
        free(req);
    }
    *req_cls = NULL;
}

/*
 * The connection limits are ours (conn_guard.h), not libmicrohttpd's: at
 * its own limit, libmicrohttpd 0.9.75 in external epoll mode can stop
 * accepting for good, and its per-IP limit refuses a newcomer where the
 * guard cuts the oldest slow connection instead. Its limits are set past
 * the guard's, so they are never reached.
 */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr,
                                 socklen_t len)
{
    (void)len;
    http_server *s = cls;
    return conn_guard_admit(&s->guard, addr, clock_mono_ms()) ? MHD_YES
                                                              : MHD_NO;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **ctx,
                          enum MHD_ConnectionNotificationCode what)
{
    http_server *s = cls;
    if (what != MHD_CONNECTION_NOTIFY_STARTED) {
        conn_guard_remove(&s->guard, *ctx);
        *ctx = NULL;
        return;
    }
    const union MHD_ConnectionInfo *fd =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    const union MHD_ConnectionInfo *addr =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!fd)
        return;
    *ctx = conn_guard_add(&s->guard, fd->connect_fd,
                          addr ? addr->client_addr : NULL, clock_mono_ms());
    if (!*ctx)
        shutdown(fd->connect_fd, SHUT_RDWR);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    http_server *s = cls;
    vsnprintf(s->last_error, sizeof s->last_error, fmt, ap);
    size_t len = strlen(s->last_error);
    while (len > 0 &&
           (s->last_error[len - 1] == '\n' || s->last_error[len - 1] == '\r'))
        s->last_error[--len] = '\0';
    log_msg(NBAQ_LOG_DEBUG, NULL, "http: %s", s->last_error);
}

/* ------------------------------------------------------------------ */
/* Start and stop                                                       */

static int make_assets(http_server *s, char *err, size_t err_size)
{
    if (daemon_asset_count > sizeof s->assets / sizeof s->assets[0])
        return err_set(err, err_size, "too many dashboard assets");
    for (size_t i = 0; i < daemon_asset_count; i++) {
        struct MHD_Response *r = MHD_create_response_from_buffer(
            daemon_assets[i].size, (void *)daemon_assets[i].data,
            MHD_RESPMEM_PERSISTENT);
        if (!r)
            return err_set(err, err_size, "out of memory");
        common_headers(r, daemon_assets[i].content_type);
        MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
        MHD_add_response_header(
            r, "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; "
            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'");
        s->assets[i] = r;
    }
    return 0;
}

static int resolve(const char *listen, struct addrinfo **out, char *err,
                   size_t err_size)
{
    char host[256], reason[128], port_text[16];
    unsigned port;
    if (daemon_listen_split(listen, host, sizeof host, &port, reason,
                            sizeof reason) != 0)
        return err_set(err, err_size, "daemon.listen '%s': %s", listen, reason);
    snprintf(port_text, sizeof port_text, "%u", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC,
                             .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    int rc = getaddrinfo(host[0] ? host : NULL, port_text, &hints, out);
    if (rc != 0)
        return err_set(err, err_size, "daemon.listen '%s': %s", listen,
                       gai_strerror(rc));
    return 0;
}

static void describe_bound(struct MHD_Daemon *mhd, const struct addrinfo *ai,
                           char *bound, size_t size)
{
    char host[NI_MAXHOST] = "?";
    getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof host, NULL, 0,
                NI_NUMERICHOST);
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(mhd, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : 0;
    if (ai->ai_family == AF_INET6)
        snprintf(bound, size, "[%s]:%u", host, port);
    else
        snprintf(bound, size, "%s:%u", host, port);
}

int http_start(const daemon_config *dc, snapshot_hub *hub, http_server **out,
               char *bound, size_t bound_size, char *err, size_t err_size)
{
    *out = NULL;
    if (!MHD_is_feature_supported(MHD_FEATURE_EPOLL))
        return err_set(err, err_size,
                       "this libmicrohttpd has no epoll support");
    http_server *s = calloc(1, sizeof *s);
    if (!s)
        return err_set(err, err_size, "out of memory");
    s->hub = hub;
    struct addrinfo *ai = NULL;
    if (make_assets(s, err, err_size) != 0 ||
        resolve(dc->listen, &ai, err, err_size) != 0) {
        http_stop(s);
        return -1;
    }
    unsigned flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    unsigned hard_limit = HARD_LIMIT(dc->max_connections);
    if (conn_guard_init(&s->guard, dc->max_connections,
                        dc->max_connections_per_ip, dc->request_timeout_ms,
                        hard_limit - 1) != 0) {
        freeaddrinfo(ai);
        http_stop(s);
        return err_set(err, err_size, "out of memory");
    }
    s->mhd = MHD_start_daemon(
        flags, 0, on_accept, s, on_request, s, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, s, MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_CONNECTION_LIMIT, hard_limit,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, hard_limit,
        MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)REQUEST_MEMORY_LIMIT,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned int)LISTEN_BACKLOG,
        MHD_OPTION_URI_LOG_CALLBACK, on_uri, s, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_STRICT_FOR_CLIENT, (int)1, MHD_OPTION_END);
    if (!s->mhd) {
        err_set(err, err_size, "cannot listen on %s%s%s", dc->listen,
                s->last_error[0] ? ": " : "", s->last_error);
        freeaddrinfo(ai);
        http_stop(s);
        return -1;
    }
    describe_bound(s->mhd, ai, bound, bound_size);
    freeaddrinfo(ai);
    *out = s;
    return 0;
}

int http_fd(const http_server *s)
{
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
    return info ? info->epoll_fd : -1;
}

int64_t http_timeout_ms(http_server *s)
{
    int64_t wait = conn_guard_wait_ms(&s->guard, clock_mono_ms());
    MHD_UNSIGNED_LONG_LONG timeout;
    if (MHD_get_timeout(s->mhd, &timeout) != MHD_YES)
        return wait;
    int64_t mhd = timeout > INT32_MAX ? INT32_MAX : (int64_t)timeout;
    return wait < 0 || mhd < wait ? mhd : wait;
}

void http_run(http_server *s)
{
    MHD_run(s->mhd);
    conn_guard_expire(&s->guard, clock_mono_ms());
}

void http_before_fork(http_server *s)
{
    history_api_close(&s->history);
}

void http_stop(http_server *s)
{
    if (!s)
        return;
    if (s->mhd)
        MHD_stop_daemon(s->mhd);
    for (size_t i = 0; i < sizeof s->assets / sizeof s->assets[0]; i++) {
        if (s->assets[i])
            MHD_destroy_response(s->assets[i]);
    }
    history_api_close(&s->history);
    conn_guard_free(&s->guard);
    free(s);
}
