/*
 * objstore_sort.c - see objstore_sort.h.
 */
#include "objstore_sort.h"

#include <stdlib.h>
#include <string.h>

typedef struct sort_key {
    uint64_t head; /* 8 bytes after the shared prefix, big-endian, 0-padded */
    uint32_t index;
} sort_key;

/* Bytes all names start with. */
static size_t shared_prefix(const char *const *names, size_t count)
{
    size_t len = strlen(names[0]);
    for (size_t i = 1; i < count && len > 0; i++) {
        size_t n = 0;
        while (n < len && names[i][n] == names[0][n])
            n++;
        len = n;
    }
    return len;
}

/* Bytes [from, from + 8) of s as a number that orders as strcmp() does:
 * past the end of s, bytes count as 0, below every byte of a name.     */
static uint64_t head_at(const char *s, size_t from)
{
    uint64_t head = 0;
    int ended = 0;
    for (size_t i = 0; i < 8; i++) {
        unsigned char c = ended ? 0 : (unsigned char)s[from + i];
        ended = c == 0;
        head = head << 8 | c;
    }
    return head;
}

/* LSD radix sort on head, a byte per pass; passes where every key has
 * the same byte are skipped.                                           */
static void radix_sort(sort_key *keys, sort_key *tmp, size_t count)
{
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t at[256] = {0};
        for (size_t i = 0; i < count; i++)
            at[(keys[i].head >> shift) & 0xFF]++;
        if (at[(keys[0].head >> shift) & 0xFF] == count)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t n = at[b];
            at[b] = sum;
            sum += n;
        }
        for (size_t i = 0; i < count; i++)
            tmp[at[(keys[i].head >> shift) & 0xFF]++] = keys[i];
        memcpy(keys, tmp, count * sizeof *keys);
    }
}

/* Orders a run of keys whose heads tie by the rest of their names (an
 * insertion sort: ties are few and short).                             */
static void sort_ties(sort_key *keys, size_t count, const char *const *names,
                      size_t from)
{
    for (size_t i = 1; i < count; i++) {
        sort_key k = keys[i];
        size_t j = i;
        while (j > 0 && strcmp(names[keys[j - 1].index] + from,
                               names[k.index] + from) > 0) {
            keys[j] = keys[j - 1];
            j--;
        }
        keys[j] = k;
    }
}

int objstore_sort_names(const char *const *names, size_t count, uint32_t *order)
{
    if (count == 0)
        return 0;
    sort_key *keys = malloc(2 * count * sizeof *keys);
    if (keys == NULL)
        return -1;
    size_t prefix = shared_prefix(names, count);
    for (size_t i = 0; i < count; i++)
        keys[i] = (sort_key){head_at(names[i], prefix), (uint32_t)i};
    radix_sort(keys, keys + count, count);
    for (size_t i = 0, j; i < count; i = j) {
        for (j = i + 1; j < count && keys[j].head == keys[i].head; j++)
            ;
        /* a head that ends in 0 holds the whole name: no tie possible */
        if (j - i > 1)
            sort_ties(keys + i, j - i, names, prefix + 8);
    }
    for (size_t i = 0; i < count; i++)
        order[i] = keys[i].index;
    free(keys);
    return 0;
}
