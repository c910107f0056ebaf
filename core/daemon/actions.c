#include "actions.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "history_alerts.h"
#include "history_calc.h"
#include "http.h"

#define CSRF_BYTES 32
#define WHO_MAX 64
#define COMMENT_MAX 200

static char csrf_token[CSRF_BYTES * 2 + 1];

const char *actions_csrf_token(void)
{
    if (csrf_token[0])
        return csrf_token;
    unsigned char raw[CSRF_BYTES];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return NULL;
    for (size_t i = 0; i < sizeof raw; i++)
        snprintf(csrf_token + 2 * i, 3, "%02x", raw[i]);
    return csrf_token;
}

static const char *header(const dashboard_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

static const char *arg(const dashboard_request *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* The page's own origin only: Origin must be http://<Host>, and a
 * browser's Sec-Fetch-Site, when sent, "same-origin". */
static int same_origin(const dashboard_request *rq)
{
    const char *origin = header(rq, "Origin");
    const char *host = header(rq, "Host");
    const char *site = header(rq, "Sec-Fetch-Site");
    if (!origin || !host || (site && strcmp(site, "same-origin") != 0))
        return 0;
    char expected[512];
    snprintf(expected, sizeof expected, "http://%s", host);
    return strcmp(origin, expected) == 0;
}

/* Printable text without control characters, 1 to max bytes. */
static int plain_text(const char *s, size_t max)
{
    size_t len = s ? strlen(s) : 0;
    if (len == 0 || len > max)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* "dashboard ack by alice from 127.0.0.1: looking into it" */
static void comment_of(const dashboard_request *rq, const char *action,
                       char *out, size_t size)
{
    char addr[INET6_ADDRSTRLEN] = "unknown";
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(rq->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr,
                  sizeof addr);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr,
                  sizeof addr);
    const char *note = arg(rq, "comment");
    snprintf(out, size, "dashboard %s by %s from %s%s%s", action, arg(rq, "by"),
             addr, note && *note ? ": " : "", note && *note ? note : "");
}

static int known_alert(history_store *store, const char *monitor,
                       const char *fingerprint, char *check, size_t size,
                       char *err, size_t err_size)
{
    history_alert *rows;
    size_t count;
    if (history_alerts_load(store, monitor, &rows, &count, err, err_size))
        return -1;
    int found = 0;
    for (size_t i = 0; i < count && !found; i++) {
        if (strcmp(rows[i].fingerprint, fingerprint) == 0) {
            snprintf(check, size, "%s", rows[i].check);
            found = 1;
        }
    }
    history_alerts_free(rows, count);
    return found;
}

/* What makes the request acceptable; NULL when it is. */
static const char *refusal(const dashboard_request *rq, int *code)
{
    const char *given = header(rq, "X-Nbaq-Csrf");
    const char *csrf = actions_csrf_token();
    *code = 403;
    if (!rq->snap->actions || !rq->snap->token)
        return "actions are off (daemon.actions: true and a token turn "
               "them on)";
    if (!csrf || !given || !http_token_equal(given, csrf))
        return "missing or wrong CSRF token (X-Nbaq-Csrf)";
    if (!same_origin(rq))
        return "refused: the request does not come from this dashboard "
               "(Origin)";
    *code = 400;
    if (!plain_text(arg(rq, "by"), WHO_MAX))
        return "'by' is required: who acts, 1 to 64 characters";
    const char *note = arg(rq, "comment");
    if (note && *note && !plain_text(note, COMMENT_MAX))
        return "'comment' is at most 200 characters, without control "
               "characters";
    return NULL;
}

/* until: a duration from now (default 1h for silence, 24h for ack) or a
 * time to come. */
static int until_of(const dashboard_request *rq, const char *action,
                    int64_t *until)
{
    const char *text = arg(rq, "until");
    int64_t ms;
    if (!text)
        text = strcmp(action, "ack") == 0 ? "24h" : "1h";
    if (history_parse_duration(text, &ms) == 0)
        *until = rq->now_ms + ms;
    else if (history_parse_time(text, rq->now_ms, until) != 0)
        return -1;
    return *until > rq->now_ms ? 0 : -1;
}

char *actions_answer(const dashboard_request *rq, const char *fingerprint,
                     const char *action, int *status)
{
    int code;
    const char *why = refusal(rq, &code);
    if (why)
        return dashboard_api_error(code, status, why);
    int64_t until;
    if (until_of(rq, action, &until) != 0)
        return dashboard_api_error(400, status,
                                   "'until' must be a duration (2h) or a time "
                                   "to come");
    history_store *store;
    char *answer, err[1024], check[256], comment[512];
    if (dashboard_api_store(rq->snap, &store, &answer, status) != 0)
        return answer;
    int known = known_alert(store, rq->snap->monitor, fingerprint, check,
                            sizeof check, err, sizeof err);
    if (known <= 0) {
        history_close(store);
        return known < 0 ? dashboard_api_error(503, status, err)
                         : dashboard_api_error(404, status, "no such alert");
    }
    comment_of(rq, action, comment, sizeof comment);
    history_silence s = {.fingerprint = (char *)fingerprint,
                         .check = "",
                         .until_ms = until,
                         .created_ms = rq->now_ms,
                         .comment = comment};
    int64_t id;
    int rc =
        history_silence_add(store, rq->snap->monitor, &s, &id, err, sizeof err);
    history_close(store);
    if (rc != 0)
        return dashboard_api_error(503, status, err);
    char text[1024];
    snprintf(text, sizeof text,
             "{\"ok\":true,\"action\":\"%s\",\"silence\":%lld,"
             "\"until_ms\":%lld}",
             action, (long long)id, (long long)until);
    *status = 200;
    return strdup(text);
}
