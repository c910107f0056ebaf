/*
 * reservoir.c - seeded reservoir sampling (see reservoir.h).
 */
#include "reservoir.h"

#include <stdlib.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t reservoir_random(reservoir *r)
{
    uint64_t *s = r->rng;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

uint64_t reservoir_uniform(reservoir *r, uint64_t bound)
{
    /* reject the low (2^64 mod bound) values, then every residue is
     * equally likely */
    uint64_t threshold = (0 - bound) % bound;
    for (;;) {
        uint64_t x = reservoir_random(r);
        if (x >= threshold)
            return x % bound;
    }
}

int reservoir_init(reservoir *r, size_t capacity, uint64_t seed)
{
    memset(r, 0, sizeof *r);
    r->items = calloc(capacity, sizeof *r->items);
    if (!r->items)
        return -1;
    r->capacity = capacity;
    uint64_t state = seed;
    for (int i = 0; i < 4; i++)
        r->rng[i] = splitmix64(&state);
    return 0;
}

int reservoir_offer(reservoir *r, const char *key, uint64_t size)
{
    uint64_t i = r->seen;
    size_t slot;
    if (i < r->capacity) {
        slot = (size_t)i;
    } else {
        uint64_t j = reservoir_uniform(r, i + 1);
        if (j >= r->capacity) {
            r->seen++;
            return 0;
        }
        slot = (size_t)j;
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    free(r->items[slot].key);
    r->items[slot].key = copy;
    r->items[slot].size = size;
    if (i < r->capacity)
        r->count++;
    r->seen++;
    return 0;
}

static int compare_items(const void *a, const void *b)
{
    const reservoir_item *x = a, *y = b;
    return strcmp(x->key, y->key);
}

void reservoir_sort(reservoir *r)
{
    qsort(r->items, r->count, sizeof *r->items, compare_items);
}

void reservoir_free(reservoir *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->items[i].key);
    free(r->items);
    memset(r, 0, sizeof *r);
}
