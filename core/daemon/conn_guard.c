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
    g->crowd_limit = (capacity + max_total) / 2;
    g->grace_ms =
        timeout_ms / 2 < CONN_GRACE_MS ? timeout_ms / 2 : CONN_GRACE_MS;
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

/* The live (not yet cut) connection past its grace whose request began
 * first, among all (ip NULL) or those from one address; NULL when there
 * is none. */
static conn_slot *oldest(conn_guard *g, const unsigned char *ip, int family,
                         int64_t now_ms, int64_t grace_ms)
{
    conn_slot *best = NULL;
    for (size_t i = 0; i < g->capacity; i++) {
        conn_slot *s = &g->slots[i];
        if (!s->used || s->cut || (ip && !same_address(s, ip, family)) ||
            now_ms - s->opened_ms < grace_ms)
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

int conn_guard_admit(conn_guard *g, const struct sockaddr *addr, int64_t now_ms)
{
    (void)addr;
    /* A cut connection holds its slot until libmicrohttpd closes it: the
     * hard limit counts it. The configured limits are kept by
     * conn_guard_expire(), once the newcomer has had its grace; a flood of
     * newcomers, though, only gets the grace while they number fewer than
     * the crowd limit: past it, the oldest is cut at once. */
    if (g->open + 1 >= g->capacity) {
        g->refused++;
        return 0;
    }
    if (g->open - g->cut >= g->crowd_limit) {
        conn_slot *victim = oldest(g, NULL, 0, now_ms, 0);
        if (victim) {
            cut(g, victim);
            g->cut_for_room++;
        }
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
        s->since_ms = s->opened_ms = now_ms;
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

/* Cuts the oldest connections (of ip, or of all when ip is NULL) past
 * their grace until at most limit live ones are left, or none can be cut. */
static void cut_down_to(conn_guard *g, const unsigned char *ip, int family,
                        size_t live, size_t limit, int64_t now_ms)
{
    for (; live > limit; live--) {
        conn_slot *victim = oldest(g, ip, family, now_ms, g->grace_ms);
        if (!victim)
            return;
        cut(g, victim);
        g->cut_for_room++;
    }
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
    for (size_t i = 0; i < g->capacity; i++) {
        conn_slot *s = &g->slots[i];
        if (!s->used || s->cut)
            continue;
        size_t live = live_from(g, s->ip, s->family);
        if (live > g->max_per_ip)
            cut_down_to(g, s->ip, s->family, live, g->max_per_ip, now_ms);
    }
    cut_down_to(g, NULL, 0, g->open - g->cut, g->max_total, now_ms);
}

int64_t conn_guard_wait_ms(const conn_guard *g, int64_t now_ms)
{
    int64_t wait = -1;
    for (size_t i = 0; i < g->capacity; i++) {
        const conn_slot *s = &g->slots[i];
        if (!s->used || s->cut)
            continue;
        int64_t left = s->since_ms + g->timeout_ms - now_ms;
        int64_t grace_left = s->opened_ms + g->grace_ms - now_ms;
        if (grace_left >= 0 && grace_left < left)
            left = grace_left + 1; /* limits are kept once it has passed */
        if (left < 0)
            left = 0;
        if (wait < 0 || left < wait)
            wait = left;
    }
    return wait;
}
