/*
 * fleet_internal.h - what the fleet's files share (fleet.c: members and
 * leases; fleet_results.c: the last result of each check).
 */
#ifndef NBAQ_HISTORY_FLEET_INTERNAL_H
#define NBAQ_HISTORY_FLEET_INTERNAL_H

#include <stddef.h>

#include "history_fleet.h"
#include "history_store.h"

typedef enum fleet_stmt_id {
    FLEET_JOIN,
    FLEET_HEARTBEAT,
    FLEET_RENEW,
    FLEET_REGISTER,
    FLEET_CLAIM,
    FLEET_WAIT,
    FLEET_RELEASE,
    FLEET_STMT_COUNT
} fleet_stmt_id;

struct history_fleet {
    history_store *store;
    char *monitor;
    char *member;
    char *config_hash;
    store_stmt *stmts[FLEET_STMT_COUNT];
};

/* Reads every row of sql ($1: the monitor) with read into a new array of
 * rows of size bytes (*rows and *count start empty; the caller frees
 * them, and the rows read so far after a failure). 0, or -1 with err. */
int fleet_load_rows(history_fleet *f, const char *sql, size_t size,
                    int (*read)(const store_backend *, store_stmt *, void *),
                    void **rows, size_t *count, char *err, size_t err_size);

#endif
