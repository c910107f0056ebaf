#include "prefix_tally.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_bytes(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

int prefix_tally_init(prefix_tally *t, size_t limit)
{
    memset(t, 0, sizeof *t);
    t->limit = limit;
    t->slot_count = 16;
    while (t->slot_count < 2 * limit)
        t->slot_count *= 2;
    t->slots = calloc(t->slot_count, sizeof *t->slots);
    return t->slots != NULL ? 0 : -1;
}

void prefix_tally_free(prefix_tally *t)
{
    for (size_t i = 0; t->slots != NULL && i < t->slot_count; i++)
        free(t->slots[i].part);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

void prefix_tally_add(prefix_tally *t, const char *part, size_t len,
                      uint64_t bytes)
{
    size_t mask = t->slot_count - 1;
    size_t i = (size_t)hash_bytes(part, len) & mask;

    for (;; i = (i + 1) & mask) {
        prefix_count *c = &t->slots[i];
        if (c->part == NULL)
            break;
        if (c->part_len == len && memcmp(c->part, part, len) == 0) {
            c->objects++;
            c->bytes += bytes;
            return;
        }
    }
    if (t->used == t->limit || (t->slots[i].part = malloc(len + 1)) == NULL) {
        t->failed |= t->used < t->limit;
        t->other_objects++;
        t->other_bytes += bytes;
        return;
    }
    memcpy(t->slots[i].part, part, len);
    t->slots[i].part[len] = '\0';
    t->slots[i].part_len = len;
    t->slots[i].objects = 1;
    t->slots[i].bytes = bytes;
    t->used++;
}
