/*
 * conn_guard.h - who may hold one of the daemon's HTTP connections, and for
 * how long (docs/daemon.md, "Slow clients").
 *
 * Every open connection has the time its current request began: when the
 * connection opened, or when the previous request on it was answered. A
 * request that has not been received and answered within the request
 * timeout is cut. A new connection is always taken (up to the hard limit,
 * the capacity); once it has had its grace (CONN_GRACE_MS, time enough to
 * send a request), the connections past daemon.max_connections_per_ip of
 * one address, then past daemon.max_connections, are cut, those whose
 * request began longest ago first: a slow client holds a slot only until
 * someone needs it, while a client that sends its request at once is
 * answered within its grace. When newcomers crowd in faster than their
 * grace lets them be cut (more live connections than the crowd limit,
 * halfway between max_connections and the capacity), each newcomer cuts
 * the oldest one at once. Only at the hard limit (connections cut but not
 * yet closed included) is a new connection refused.
 *
 * Cutting is shutdown(2) on the connection's socket: libmicrohttpd sees
 * the end of the stream on its next turn and closes the connection itself,
 * so no descriptor is closed behind its back.
 *
 * Ownership: the guard owns its slot array; conn_guard_free() releases it.
 * A conn_slot pointer stays valid until conn_guard_remove() on it.
 */
#ifndef NBAQ_DAEMON_CONN_GUARD_H
#define NBAQ_DAEMON_CONN_GUARD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define CONN_GRACE_MS 250 /* at most half the request timeout */

typedef struct conn_slot {
    int used;
    int cut;           /* shut down, waiting for libmicrohttpd to close it */
    int fd;            /* the connection's socket                          */
    int64_t since_ms;  /* when its current request began (monotonic)      */
    int64_t opened_ms; /* when it was accepted                            */
    unsigned char ip[16];
    int family;
} conn_slot;

typedef struct conn_guard {
    conn_slot *slots;
    size_t capacity;       /* the most connections open at once, cut ones
                              included (libmicrohttpd's own limit)       */
    unsigned max_total;    /* daemon.max_connections                     */
    size_t crowd_limit;    /* live ones past it: the oldest is cut at
                              accept, grace or not                       */
    unsigned max_per_ip;   /* daemon.max_connections_per_ip              */
    int64_t timeout_ms;    /* daemon.request_timeout                     */
    int64_t grace_ms;      /* a new connection is not cut this long      */
    size_t open;           /* slots used                                 */
    size_t cut;            /* of which cut                               */
    uint64_t refused;      /* connections refused at accept              */
    uint64_t cut_slow;     /* cut at their deadline                      */
    uint64_t cut_for_room; /* cut to make room for a new connection      */
} conn_guard;

/* capacity: the hard limit on open connections (at least max_total + 1).
 * Returns 0, or -1 when out of memory. */
int conn_guard_init(conn_guard *g, unsigned max_total, unsigned max_per_ip,
                    int64_t timeout_ms, size_t capacity);
void conn_guard_free(conn_guard *g);

/* At accept: 1 to take the connection from addr, 0 to refuse it (the
 * hard limit is reached). */
int conn_guard_admit(conn_guard *g, const struct sockaddr *addr,
                     int64_t now_ms);
/* A connection libmicrohttpd has opened; NULL when no slot is free (the
 * connection is then shut down at once). */
conn_slot *conn_guard_add(conn_guard *g, int fd, const struct sockaddr *addr,
                          int64_t now_ms);
/* A request on the slot was answered: the next one starts its clock. */
void conn_guard_restart(conn_slot *slot, int64_t now_ms);
/* libmicrohttpd closed the slot's connection. */
void conn_guard_remove(conn_guard *g, conn_slot *slot);
/* Cuts every connection past its deadline, then keeps the configured
 * limits (see above). Call it after every turn of the server. */
void conn_guard_expire(conn_guard *g, int64_t now_ms);
/* Milliseconds until the next deadline; -1: no connection open. */
int64_t conn_guard_wait_ms(const conn_guard *g, int64_t now_ms);

#endif
