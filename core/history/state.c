/*
 * state.c - a check's persistent key/value state, loaded before it runs.
 */
#include <stdlib.h>
#include <string.h>

#include "history_store.h"

static int state_append(history_state *state, size_t *capacity, const char *key,
                        const char *value)
{
    if (state->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 8;
        history_state_item *items =
            realloc(state->items, grown * sizeof *items);
        if (!items)
            return -1;
        state->items = items;
        *capacity = grown;
    }
    history_state_item *item = &state->items[state->count];
    item->key = strdup(key ? key : "");
    item->value = strdup(value ? value : "");
    if (!item->key || !item->value) {
        free(item->key);
        free(item->value);
        return -1;
    }
    state->count++;
    return 0;
}

int history_state_load(history_store *store, const char *monitor,
                       const char *check, history_state *state, char *err,
                       size_t err_size)
{
    state->items = NULL;
    state->count = 0;
    if (!store)
        return 0;
    const store_backend *b = store->backend;
    store_stmt *s =
        history_store_stmt_get(store, STMT_STATE_LOAD, err, err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, monitor);
    b->bind_text(s, 2, check);
    size_t capacity = 0;
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (state_append(state, &capacity, b->column_text(s, 0),
                         b->column_text(s, 1)) != 0) {
            rc = -2;
            break;
        }
    }
    b->reset(s);
    if (rc < 0) {
        history_state_free(state);
        return history_store_error(store, err, err_size,
                                   "loading state of %s: %s", check,
                                   rc == -2 ? "out of memory" : why);
    }
    return 0;
}
