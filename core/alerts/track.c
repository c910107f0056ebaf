/*
 * track.c - the fingerprints' rows during one run, found through a small
 * open-addressing hash index: a run may hold thousands of alerts, and
 * each result of the run looks its fingerprint up.
 */
#include <stdlib.h>
#include <string.h>

#include "alerts_internal.h"

static uint64_t hash_text(const char *text)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static void index_put(tracked_set *set, size_t item)
{
    size_t mask = set->slot_count - 1;
    size_t i = (size_t)hash_text(set->items[item].row.fingerprint) & mask;
    while (set->slots[i])
        i = (i + 1) & mask;
    set->slots[i] = item + 1;
}

/* Makes room for one more item in the index (at most half full). */
static int index_reserve(tracked_set *set, size_t count)
{
    if (set->slot_count >= 2 * count && set->slot_count > 0)
        return 0;
    size_t n = set->slot_count ? set->slot_count : 64;
    while (n < 2 * count)
        n *= 2;
    size_t *slots = calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    free(set->slots);
    set->slots = slots;
    set->slot_count = n;
    for (size_t i = 0; i < set->count; i++)
        index_put(set, i);
    return 0;
}

tracked *track_find(tracked_set *set, const char *fingerprint)
{
    if (set->slot_count == 0)
        return NULL;
    size_t mask = set->slot_count - 1;
    for (size_t i = (size_t)hash_text(fingerprint) & mask; set->slots[i];
         i = (i + 1) & mask) {
        tracked *t = &set->items[set->slots[i] - 1];
        if (strcmp(t->row.fingerprint, fingerprint) == 0)
            return t;
    }
    return NULL;
}

int track_set_string(char **field, const char *value)
{
    char *copy = strdup(value ? value : "");
    if (!copy)
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

static void free_row(history_alert *a)
{
    free(a->fingerprint);
    free(a->check);
    free(a->metric);
    free(a->summary);
    free(a->notified);
}

int track_adopt(tracked_set *set, history_alert *rows, size_t count)
{
    set->items = calloc(count ? count : 1, sizeof *set->items);
    if (!set->items || index_reserve(set, count + 1) != 0) {
        history_alerts_free(rows, count);
        return -1;
    }
    for (size_t i = 0; i < count; i++) {
        set->items[i].row = rows[i];
        set->count = i + 1;
        index_put(set, i);
    }
    free(rows);
    set->cap = count ? count : 1;
    return 0;
}

tracked *track_add(tracked_set *set, const char *fingerprint, const char *check,
                   const char *metric)
{
    if (set->count == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        tracked *grown = realloc(set->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        set->items = grown;
        set->cap = cap;
    }
    if (index_reserve(set, set->count + 1) != 0)
        return NULL;
    tracked *t = &set->items[set->count];
    memset(t, 0, sizeof *t);
    t->is_new = 1;
    history_alert *a = &t->row;
    a->fingerprint = strdup(fingerprint);
    a->check = strdup(check);
    a->metric = strdup(metric);
    a->summary = strdup("");
    a->notified = strdup("");
    a->severity = NBAQ_SEV_MEDIUM;
    a->state = NBAQ_ALERT_FIRING;
    if (!a->fingerprint || !a->check || !a->metric || !a->summary ||
        !a->notified) {
        free_row(a);
        return NULL;
    }
    index_put(set, set->count++);
    return t;
}

void track_free(tracked_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        free_row(&set->items[i].row);
    free(set->items);
    free(set->slots);
    memset(set, 0, sizeof *set);
}
