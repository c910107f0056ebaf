#include "kvlist.h"

#include <stdlib.h>
#include <string.h>

void kvlist_free(kvlist *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].key);
        free(list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

const char *kvlist_get(const kvlist *list, const char *key)
{
    for (size_t i = 0; list && i < list->count; i++) {
        if (strcmp(list->items[i].key, key) == 0)
            return list->items[i].value;
    }
    return NULL;
}

int kvlist_set(kvlist *list, const char *key, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        return -1;
    for (size_t i = 0; i < list->count; i++) {
        if (strcmp(list->items[i].key, key) == 0) {
            free(list->items[i].value);
            list->items[i].value = copy;
            return 0;
        }
    }
    char *key_copy = strdup(key);
    kv_pair *items = realloc(list->items, (list->count + 1) * sizeof *items);
    if (!items || !key_copy) {
        if (items)
            list->items = items;
        free(copy);
        free(key_copy);
        return -1;
    }
    list->items = items;
    list->items[list->count].key = key_copy;
    list->items[list->count].value = copy;
    list->count++;
    return 0;
}
