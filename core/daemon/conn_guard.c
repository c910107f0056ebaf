#include "conn_guard.h"

#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

/* The address part of addr (no port); 0 when it has none. */
static int address_of(const struct sockaddr *addr, unsigned char ip[16],
                      int *family)
{
    memset(ip, 0, 16);
    *family = addr ? addr->sa_family : AF_UNSPEC;
    if (*family == AF_INET) {
        memcpy(ip, &((const struct sockaddr_in *)(const void *)addr)->sin_addr,
               4);
        return 1;
    }
    if (*family == AF_INET6) {
        memcpy(ip,
               &((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr,
               16);
        return 1;
    }
    return 0;
}

static int same_address(const conn_slot *s, const unsigned char ip[16],
                        int family)
{
    return s->family == family && memcmp(s->ip, ip, 16) == 0;
}

int conn_guard_init(conn_guard *g, unsigned max_total, unsigned max_per_ip,
                    int64_t timeout_ms, size_t capacity)
{
    memset(g, 0, sizeof *g);
    if (capacity <= max_total)
        capacity = (size_t)max_total + 1;
    g->slots = calloc(capacity, sizeof *g->slots);
    if (!g->slots)
        return -1;
    g->capacity = capacity;
    g->max_total = max_total;
    g->max_per_ip = max_per_ip ? max_per_ip : max_total;
    g->timeout_ms = timeout_ms;
    return 0;
}

void conn_guard_free(conn_guard *g)
{
    free(g->slots);
    g->slots = NULL;
    g->capacity = 0;
}

static void cut(conn_guard *g, conn_slot *s)
{
    shutdown(s->fd, SHUT_RDWR);
    s->cut = 1;
    g->cut++;
}

/* The live (not yet cut) connection whose request began first, among all
 * (ip NULL) or those from one address; NULL when there is none. */
static conn_slot *oldest(conn_guard *g, const unsigned char *ip, int family)
{
    conn_slot *best = NULL;
    for (size_t i = 0; i < g->capacity; i++) {
        conn_slot *s = &g->slots[i];
        if (!s->used || s->cut || (ip && !same_address(s, ip, family)))
            continue;
        if (!best || s->since_ms < best->since_ms)
            best = s;
    }
    return best;
}

static size_t live_from(const conn_guard *g, const unsigned char ip[16],
                        int family)
{
    size_t n = 0;
    for (size_t i = 0; i < g->capacity; i++) {
        const conn_slot *s = &g->slots[i];
        n += s->used && !s->cut && same_address(s, ip, family);
    }
    return n;
}

/* Makes room for one more live connection among those oldest() finds;
 * 0 when it cannot. */
static int make_room(conn_guard *g, const unsigned char *ip, int family)
{
    conn_slot *victim = oldest(g, ip, family);
    if (!victim)
        return 0;
    cut(g, victim);
    g->cut_for_room++;
    return 1;
}

int conn_guard_admit(conn_guard *g, const struct sockaddr *addr, int64_t now_ms)
{
    (void)now_ms;
    /* A cut connection still holds its slot until libmicrohttpd closes
     * it: the hard limit counts it, the configured ones do not. */
    if (g->open + 1 >= g->capacity) {
        g->refused++;
        return 0;
    }
    unsigned char ip[16];
    int family;
    if (address_of(addr, ip, &family) &&
        live_from(g, ip, family) >= g->max_per_ip &&
        !make_room(g, ip, family)) {
        g->refused++;
        return 0;
    }
    if (g->open - g->cut >= g->max_total && !make_room(g, NULL, 0)) {
        g->refused++;
        return 0;
    }
    return 1;
}

conn_slot *conn_guard_add(conn_guard *g, int fd, const struct sockaddr *addr,
                          int64_t now_ms)
{
    for (size_t i = 0; i < g->capacity; i++) {
        conn_slot *s = &g->slots[i];
        if (s->used)
            continue;
        memset(s, 0, sizeof *s);
        s->used = 1;
        s->fd = fd;
        s->since_ms = now_ms;
        address_of(addr, s->ip, &s->family);
        g->open++;
        return s;
    }
    return NULL;
}

void conn_guard_restart(conn_slot *slot, int64_t now_ms)
{
    slot->since_ms = now_ms;
}

void conn_guard_remove(conn_guard *g, conn_slot *slot)
{
    if (!slot || !slot->used)
        return;
    if (slot->cut)
        g->cut--;
    g->open--;
    memset(slot, 0, sizeof *slot);
}

void conn_guard_expire(conn_guard *g, int64_t now_ms)
{
    for (size_t i = 0; i < g->capacity; i++) {
        conn_slot *s = &g->slots[i];
        if (s->used && !s->cut && now_ms - s->since_ms >= g->timeout_ms) {
            cut(g, s);
            g->cut_slow++;
        }
    }
}

int64_t conn_guard_wait_ms(const conn_guard *g, int64_t now_ms)
{
    int64_t wait = -1;
    for (size_t i = 0; i < g->capacity; i++) {
        const conn_slot *s = &g->slots[i];
        if (!s->used || s->cut)
            continue;
        int64_t left = s->since_ms + g->timeout_ms - now_ms;
        if (left < 0)
            left = 0;
        if (wait < 0 || left < wait)
            wait = left;
    }
    return wait;
}
