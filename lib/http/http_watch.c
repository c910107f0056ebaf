/*
 * The sockets and the timer curl asks a client to watch (the multi
 * socket interface), so that the batch loop can hand curl one socket's
 * event at a time: a transfer that ends is then noticed, and the request
 * taking its place sent, before the other transfers' data is read.
 */
#include "http_internal.h"

#include <stdlib.h>

static struct pollfd *watch_find(http_watch *w, curl_socket_t s)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->fds[i].fd == s)
            return &w->fds[i];
    return NULL;
}

static int watch_set(http_watch *w, curl_socket_t s, short events)
{
    struct pollfd *p = watch_find(w, s);
    if (p == NULL) {
        if (w->count == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 16;
            struct pollfd *grown = realloc(w->fds, cap * sizeof *grown);
            if (grown == NULL)
                return -1;
            w->fds = grown;
            w->cap = cap;
        }
        p = &w->fds[w->count++];
        p->fd = s;
    }
    p->events = events;
    p->revents = 0;
    return 0;
}

void http_watch_forget(http_watch *w, curl_socket_t s)
{
    struct pollfd *p = watch_find(w, s);
    if (p != NULL)
        *p = w->fds[--w->count];
}

static int on_socket(CURL *easy, curl_socket_t s, int what, void *user,
                     void *socket_user)
{
    http_watch *w = user;
    (void)easy;
    (void)socket_user;
    if (what == CURL_POLL_REMOVE) {
        http_watch_forget(w, s);
        return 0;
    }
    short events = (what & CURL_POLL_IN ? POLLIN : 0) |
                   (what & CURL_POLL_OUT ? POLLOUT : 0);
    return watch_set(w, s, events) == 0 ? 0 : -1;
}

static int on_timer(CURLM *multi, long timeout_ms, void *user)
{
    http_watch *w = user;
    (void)multi;
    w->timer_due_ms = timeout_ms < 0 ? -1 : http_now_ms() + timeout_ms;
    return 0;
}

int http_watch_attach(http_watch *w, CURLM *multi)
{
    *w = (http_watch){.timer_due_ms = -1};
    return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, on_socket) ||
           curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, w) ||
           curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, on_timer) ||
           curl_multi_setopt(multi, CURLMOPT_TIMERDATA, w);
}

void http_watch_free(http_watch *w)
{
    free(w->fds);
    w->fds = NULL;
    w->count = w->cap = 0;
}

int64_t http_watch_timer_wait(const http_watch *w, int64_t now_ms)
{
    if (w->timer_due_ms < 0)
        return -1;
    return w->timer_due_ms > now_ms ? w->timer_due_ms - now_ms : 0;
}

int http_watch_wants_input(http_watch *w, curl_socket_t s)
{
    const struct pollfd *p = watch_find(w, s);
    return p != NULL && (p->events & POLLIN);
}
