#include "heartbeat.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "clock.h"
#include "log.h"

#define PING_TIMEOUT_MS 10000
/* The Watchdog alert ends this many intervals after the last post: a
 * daemon that stops posting lets it resolve in Alertmanager. */
#define WATCHDOG_INTERVALS 3

static size_t discard(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

/* One request; 1 on a 2xx answer. what names the target in the log:
 * never the URL, which is often the secret of the receiving end. */
static int send_request(CURL *curl, const char *url, const char *body,
                        int64_t timeout_ms, const char *what)
{
    curl_easy_reset(curl);
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    struct curl_slist *headers = NULL;
    if (body) {
        headers = curl_slist_append(NULL, "Content-Type: application/json");
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
    }
    long status = 0;
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(headers);
    int ok = rc == CURLE_OK && status >= 200 && status < 300;
    if (!ok && rc == CURLE_OK)
        log_msg(NBAQ_LOG_WARN, NULL, "heartbeat: %s answered HTTP %ld", what,
                status);
    else if (!ok)
        log_msg(NBAQ_LOG_WARN, NULL, "heartbeat: %s: %s", what,
                curl_easy_strerror(rc));
    return ok;
}

static void add_time(cJSON *o, const char *key, int64_t ms)
{
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;
    char text[40], stamp[48];
    gmtime_r(&seconds, &tm);
    strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(stamp, sizeof stamp, "%s.%03dZ", text, (int)(ms % 1000));
    cJSON_AddStringToObject(o, key, stamp);
}

/* The always-firing Watchdog alert (docs/daemon.md), as Alertmanager's
 * POST /api/v2/alerts takes it; NULL when out of memory. */
static char *watchdog_body(const heartbeat_identity *id, int64_t interval_ms)
{
    cJSON *list = cJSON_CreateArray();
    cJSON *alert = cJSON_CreateObject();
    cJSON_AddItemToArray(list, alert);
    cJSON *labels = cJSON_AddObjectToObject(alert, "labels");
    cJSON_AddStringToObject(labels, "alertname", "Watchdog");
    cJSON_AddStringToObject(labels, "monitor", id->monitor);
    cJSON_AddStringToObject(labels, "member", id->member);
    cJSON_AddStringToObject(labels, "severity", "none");
    cJSON_AddStringToObject(labels, "source", "nbaq");
    cJSON *notes = cJSON_AddObjectToObject(alert, "annotations");
    cJSON_AddStringToObject(notes, "summary",
                            "nbaq is running: this alert always fires; its "
                            "absence means the daemon stopped");
    int64_t now = clock_wall_ms();
    add_time(alert, "startsAt", id->started_ms);
    add_time(alert, "endsAt", now + WATCHDOG_INTERVALS * interval_ms);
    char *body = cJSON_PrintUnformatted(list);
    cJSON_Delete(list);
    return body;
}

static _Noreturn void ping(const daemon_config *dc,
                           const heartbeat_identity *id, int64_t timeout_ms)
{
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    close_range(3, ~0u, 0); /* the daemon's sockets are not the ping's */
    int ok = 1;
    CURL *curl = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
                     ? curl_easy_init()
                     : NULL;
    if (!curl)
        ok = 0;
    if (curl && dc->heartbeat_url)
        ok &= send_request(curl, dc->heartbeat_url, NULL, timeout_ms,
                           "the heartbeat URL");
    if (curl && dc->heartbeat_alertmanager) {
        char url[2048];
        snprintf(url, sizeof url, "%s/api/v2/alerts",
                 dc->heartbeat_alertmanager);
        char *body = watchdog_body(id, dc->heartbeat_interval_ms);
        ok &= body && send_request(curl, url, body, timeout_ms,
                                   "Alertmanager (the Watchdog alert)");
        cJSON_free(body);
    }
    if (curl)
        curl_easy_cleanup(curl);
    fflush(NULL);
    _exit(ok ? 0 : 1);
}

void heartbeat_tick(heartbeat *h, const daemon_config *dc,
                    const heartbeat_identity *id, int64_t now_mono_ms)
{
    if ((!dc->heartbeat_url && !dc->heartbeat_alertmanager) ||
        now_mono_ms < h->next_mono_ms)
        return;
    h->next_mono_ms = now_mono_ms + dc->heartbeat_interval_ms;
    if (h->pid > 0)
        return; /* the previous ping still runs: skip this one */
    int64_t timeout = dc->heartbeat_interval_ms < PING_TIMEOUT_MS
                          ? dc->heartbeat_interval_ms
                          : PING_TIMEOUT_MS;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        ping(dc, id, timeout);
    if (pid < 0) {
        h->failed++;
        log_msg(NBAQ_LOG_WARN, NULL, "heartbeat: cannot start a ping");
        return;
    }
    h->pid = pid;
}

int64_t heartbeat_next(const heartbeat *h, const daemon_config *dc)
{
    return dc->heartbeat_url || dc->heartbeat_alertmanager ? h->next_mono_ms
                                                           : INT64_MAX;
}

int heartbeat_reaped(heartbeat *h, pid_t pid, int status)
{
    if (pid != h->pid)
        return 0;
    h->pid = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        h->sent++;
    else
        h->failed++;
    return 1;
}
