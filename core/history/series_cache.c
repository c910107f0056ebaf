/*
 * series_cache.c - (monitor, check, metric) -> series id, so that saving a
 * run looks each series up once per process rather than once per row.
 * Open addressing with linear probing; the table doubles at half load.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "history_store.h"

typedef struct series_slot {
    char *key; /* "monitor\x1f" "check\x1f" "metric"; NULL: empty slot  */
    int64_t id;
} series_slot;

struct series_cache {
    series_slot *slots;
    size_t capacity; /* a power of two                                  */
    size_t used;
};

/* FNV-1a over the three parts and their separators. */
static uint64_t hash_parts(const char *monitor, const char *check,
                           const char *metric)
{
    uint64_t h = 1469598103934665603ULL;
    const char *parts[3] = {monitor, check, metric};
    for (int i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++)
            h = (h ^ *p) * 1099511628211ULL;
        h = (h ^ 0x1f) * 1099511628211ULL;
    }
    return h;
}

static int key_equals(const char *key, const char *monitor, const char *check,
                      const char *metric)
{
    const char *parts[3] = {monitor, check, metric};
    for (int i = 0; i < 3; i++) {
        size_t len = strlen(parts[i]);
        if (strncmp(key, parts[i], len) != 0)
            return 0;
        key += len;
        if (*key != (i < 2 ? '\x1f' : '\0'))
            return 0;
        key++;
    }
    return 1;
}

series_cache *history_series_cache_new(void)
{
    return calloc(1, sizeof(series_cache));
}

void history_series_cache_clear(series_cache *cache)
{
    if (!cache)
        return;
    for (size_t i = 0; i < cache->capacity; i++)
        free(cache->slots[i].key);
    free(cache->slots);
    cache->slots = NULL;
    cache->capacity = cache->used = 0;
}

void history_series_cache_free(series_cache *cache)
{
    history_series_cache_clear(cache);
    free(cache);
}

static series_slot *find_slot(series_slot *slots, size_t capacity,
                              uint64_t hash, const char *monitor,
                              const char *check, const char *metric)
{
    size_t i = (size_t)hash & (capacity - 1);
    while (slots[i].key && !key_equals(slots[i].key, monitor, check, metric))
        i = (i + 1) & (capacity - 1);
    return &slots[i];
}

int64_t history_series_cache_get(const series_cache *cache, const char *monitor,
                                 const char *check, const char *metric)
{
    if (!cache || cache->capacity == 0)
        return 0;
    series_slot *slot =
        find_slot(cache->slots, cache->capacity,
                  hash_parts(monitor, check, metric), monitor, check, metric);
    return slot->key ? slot->id : 0;
}

static int grow(series_cache *cache)
{
    size_t capacity = cache->capacity ? cache->capacity * 2 : 64;
    series_slot *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < cache->capacity; i++) {
        series_slot *old = &cache->slots[i];
        if (!old->key)
            continue;
        /* Rehash from the stored key's parts. */
        char *sep1 = strchr(old->key, '\x1f');
        char *sep2 = strchr(sep1 + 1, '\x1f');
        *sep1 = *sep2 = '\0';
        uint64_t h = hash_parts(old->key, sep1 + 1, sep2 + 1);
        *sep1 = *sep2 = '\x1f';
        size_t j = (size_t)h & (capacity - 1);
        while (slots[j].key)
            j = (j + 1) & (capacity - 1);
        slots[j] = *old;
    }
    free(cache->slots);
    cache->slots = slots;
    cache->capacity = capacity;
    return 0;
}

int history_series_cache_put(series_cache *cache, const char *monitor,
                             const char *check, const char *metric, int64_t id)
{
    if (!cache)
        return -1;
    if ((cache->used + 1) * 2 > cache->capacity && grow(cache) != 0)
        return -1;
    series_slot *slot =
        find_slot(cache->slots, cache->capacity,
                  hash_parts(monitor, check, metric), monitor, check, metric);
    if (slot->key) {
        slot->id = id;
        return 0;
    }
    size_t len = strlen(monitor) + strlen(check) + strlen(metric) + 3;
    slot->key = malloc(len);
    if (!slot->key)
        return -1;
    memcpy(slot->key, monitor, strlen(monitor));
    char *p = slot->key + strlen(monitor);
    *p++ = '\x1f';
    memcpy(p, check, strlen(check));
    p += strlen(check);
    *p++ = '\x1f';
    strcpy(p, metric);
    slot->id = id;
    cache->used++;
    return 0;
}
