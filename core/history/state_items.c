/*
 * state_items.c - a loaded state's items: looked up in a check's child,
 * freed by the host. Apart from state.c (the store's side) so that the
 * fork server (core/forkserver.h) links it without the store.
 */
#include <stdlib.h>
#include <string.h>

#include "history.h"

void history_state_free(history_state *state)
{
    if (!state)
        return;
    for (size_t i = 0; i < state->count; i++) {
        free(state->items[i].key);
        free(state->items[i].value);
    }
    free(state->items);
    state->items = NULL;
    state->count = 0;
}

const char *history_state_find(const history_state *state, const char *key)
{
    for (size_t i = 0; state && key && i < state->count; i++) {
        if (strcmp(state->items[i].key, key) == 0)
            return state->items[i].value;
    }
    return NULL;
}
