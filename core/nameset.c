#include "nameset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_name(const char *s)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

/* The slot holding key, or the free slot where it would go. */
static nameset_entry *find_slot(nameset_entry *slots, size_t cap,
                                const char *key)
{
    size_t i = (size_t)hash_name(key) & (cap - 1);
    while (slots[i].key && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static int grow(nameset *set)
{
    size_t cap = set->cap ? set->cap * 2 : 16;
    nameset_entry *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < set->cap; i++) {
        if (set->slots[i].key)
            *find_slot(slots, cap, set->slots[i].key) = set->slots[i];
    }
    free(set->slots);
    set->slots = slots;
    set->cap = cap;
    return 0;
}

int nameset_put(nameset *set, const char *key, size_t value, size_t *existing)
{
    /* At most half full, so that probes stay short. */
    if ((set->count + 1) * 2 > set->cap && grow(set) != 0)
        return -1;
    nameset_entry *slot = find_slot(set->slots, set->cap, key);
    if (slot->key) {
        if (existing)
            *existing = slot->value;
        return 1;
    }
    slot->key = key;
    slot->value = value;
    set->count++;
    return 0;
}

int nameset_get(const nameset *set, const char *key, size_t *value)
{
    if (set->cap == 0)
        return 0;
    const nameset_entry *slot = find_slot(set->slots, set->cap, key);
    if (!slot->key)
        return 0;
    *value = slot->value;
    return 1;
}

void nameset_free(nameset *set)
{
    free(set->slots);
    memset(set, 0, sizeof *set);
}
