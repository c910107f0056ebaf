#include "heartbeat.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

#include "log.h"

#define PING_TIMEOUT_MS 10000

static size_t discard(char *data, size_t size, size_t n, void *user)
{
    (void)data;
    (void)user;
    return size * n;
}

static _Noreturn void ping(const char *url, int64_t timeout_ms)
{
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_IGN);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    close_range(3, ~0u, 0); /* the daemon's sockets are not the ping's */
    long status = 0;
    CURLcode rc = CURLE_FAILED_INIT;
    CURL *curl = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK
                     ? curl_easy_init()
                     : NULL;
    if (curl) {
        curl_easy_setopt(curl, CURLOPT_URL, url);
        curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
        rc = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_cleanup(curl);
    }
    int ok = rc == CURLE_OK && status >= 200 && status < 300;
    /* Never the URL: it is the secret of the receiving check. */
    if (!ok && rc == CURLE_OK)
        log_msg(NBAQ_LOG_WARN, NULL,
                "heartbeat: the heartbeat URL answered HTTP %ld", status);
    else if (!ok)
        log_msg(NBAQ_LOG_WARN, NULL, "heartbeat: the heartbeat URL: %s",
                curl_easy_strerror(rc));
    fflush(NULL);
    _exit(ok ? 0 : 1);
}

void heartbeat_tick(heartbeat *h, const daemon_config *dc, int64_t now_mono_ms)
{
    if (!dc->heartbeat_url || now_mono_ms < h->next_mono_ms)
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
        ping(dc->heartbeat_url, timeout);
    if (pid < 0) {
        h->failed++;
        log_msg(NBAQ_LOG_WARN, NULL, "heartbeat: cannot start a ping");
        return;
    }
    h->pid = pid;
}

int64_t heartbeat_next(const heartbeat *h, const daemon_config *dc)
{
    return dc->heartbeat_url ? h->next_mono_ms : INT64_MAX;
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
