/*
 * reservoir.h - a uniform random sample of k items from a stream of
 * unknown length (reservoir sampling, Vitter's algorithm R), seeded so
 * that the same stream and seed give the same sample.
 *
 * Item i (from 0) of the stream is kept outright while i < k; after that
 * it replaces slot j, drawn uniformly from 0..i, when j < k. Every item of
 * a stream of n then ends in the sample with probability k / n.
 * Random numbers: xoshiro256** seeded through splitmix64; bounded draws
 * by rejection, so they carry no modulo bias.
 *
 * Ownership: the reservoir owns copies of the keys it keeps (strdup on
 * offer, free on eviction and in reservoir_free). Keys read through
 * reservoir_key() live until the next offer or free.
 */
#ifndef NBAQ_JSON_VALIDITY_RESERVOIR_H
#define NBAQ_JSON_VALIDITY_RESERVOIR_H

#include <stddef.h>
#include <stdint.h>

typedef struct reservoir_item {
    char *key;
    uint64_t size;
} reservoir_item;

typedef struct reservoir {
    size_t capacity;       /* k                                          */
    size_t count;          /* items held, min(k, seen)                   */
    uint64_t seen;         /* items offered so far                       */
    reservoir_item *items; /* capacity slots                             */
    uint64_t rng[4];       /* xoshiro256** state                         */
} reservoir;

/* Returns 0, or -1 when out of memory. capacity > 0.                    */
int reservoir_init(reservoir *r, size_t capacity, uint64_t seed);

/* Offers one item (key copied). Returns 0, or -1 when out of memory.   */
int reservoir_offer(reservoir *r, const char *key, uint64_t size);

/* Orders the kept items by key (bytewise), for stable reports.         */
void reservoir_sort(reservoir *r);

void reservoir_free(reservoir *r);

/* The next raw 64-bit number, and one uniform in [0, bound), bound > 0. */
uint64_t reservoir_random(reservoir *r);
uint64_t reservoir_uniform(reservoir *r, uint64_t bound);

#endif /* NBAQ_JSON_VALIDITY_RESERVOIR_H */
