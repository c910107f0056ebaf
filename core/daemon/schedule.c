#include "schedule.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static uint64_t next_random(schedule *s)
{
    uint64_t x = s->rng; /* xorshift64: jitter needs no more than this */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->rng = x;
    return x;
}

static int64_t jitter_for(schedule *s, int64_t interval_ms)
{
    int64_t span = (int64_t)(s->jitter * (double)interval_ms);
    if (span <= 0)
        return 0;
    return (int64_t)(next_random(s) % (uint64_t)span);
}

void schedule_init(schedule *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    if (seed == 0 &&
        getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
        seed = (uint64_t)(uintptr_t)s ^ 0x9e3779b97f4a7c15ull;
    s->rng = seed ? seed : 1;
}

void schedule_free(schedule *s)
{
    for (size_t i = 0; i < s->count; i++)
        free(s->entries[i].name);
    free(s->entries);
    s->entries = NULL;
    s->count = 0;
}

long schedule_find(const schedule *s, const char *name)
{
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->entries[i].name, name) == 0)
            return (long)i;
    }
    return -1;
}

int schedule_sync(schedule *s, const char *const *names,
                  const int64_t *intervals, size_t n, double jitter,
                  int64_t now_ms)
{
    schedule_entry *entries = calloc(n ? n : 1, sizeof *entries);
    if (!entries)
        return -1;
    for (size_t i = 0; i < n; i++) {
        entries[i].name = strdup(names[i]);
        if (!entries[i].name) {
            for (size_t k = 0; k < i; k++)
                free(entries[k].name);
            free(entries);
            return -1;
        }
    }
    s->jitter = jitter;
    for (size_t i = 0; i < n; i++) {
        schedule_entry *e = &entries[i];
        long old = schedule_find(s, names[i]);
        e->interval_ms = intervals[i];
        if (old < 0) {
            e->slot_ms = e->started_ms = now_ms;
            e->due_ms = now_ms + jitter_for(s, e->interval_ms);
            continue;
        }
        const schedule_entry *o = &s->entries[old];
        e->running = o->running;
        e->started_ms = o->started_ms;
        e->slot_ms = o->slot_ms;
        e->due_ms = o->due_ms;
        if (o->interval_ms != e->interval_ms) {
            /* The pending slot was computed with the old interval. */
            e->slot_ms = o->slot_ms - o->interval_ms + e->interval_ms;
            e->due_ms = e->slot_ms + jitter_for(s, e->interval_ms);
        }
    }
    schedule_free(s);
    s->entries = entries;
    s->count = n;
    return 0;
}

size_t schedule_due(const schedule *s, int64_t now_ms, size_t *idx, size_t max)
{
    size_t count = 0;
    for (size_t i = 0; i < s->count; i++) {
        const schedule_entry *e = &s->entries[i];
        if (e->running || e->due_ms > now_ms)
            continue;
        /* Insertion by due time: few entries are due at once. */
        size_t at = count < max ? count : max;
        while (at > 0 && s->entries[idx[at - 1]].due_ms > e->due_ms)
            at--;
        if (at >= max)
            continue;
        size_t last = count < max ? count : max - 1;
        memmove(&idx[at + 1], &idx[at], (last - at) * sizeof *idx);
        idx[at] = i;
        if (count < max)
            count++;
    }
    return count;
}

size_t schedule_due_round(const schedule *s, int64_t now_ms, size_t *idx,
                          size_t max)
{
    size_t n = schedule_due(s, now_ms, idx, max);
    size_t same = n ? 1 : 0;
    while (same < n &&
           s->entries[idx[same]].due_ms == s->entries[idx[0]].due_ms)
        same++;
    return same;
}

void schedule_started(schedule *s, size_t i, int64_t now_ms)
{
    schedule_entry *e = &s->entries[i];
    e->running = 1;
    e->started_ms = now_ms;
    e->slot_ms += e->interval_ms;
    if (e->slot_ms <= now_ms) /* skip the slots this start was late for */
        e->slot_ms +=
            ((now_ms - e->slot_ms) / e->interval_ms + 1) * e->interval_ms;
    e->due_ms = e->slot_ms + jitter_for(s, e->interval_ms);
}

void schedule_defer(schedule *s, size_t i, int64_t due_ms)
{
    s->entries[i].due_ms = due_ms;
}

void schedule_finished(schedule *s, size_t i)
{
    s->entries[i].running = 0;
}

int64_t schedule_next_due(const schedule *s)
{
    int64_t next = INT64_MAX;
    for (size_t i = 0; i < s->count; i++) {
        if (!s->entries[i].running && s->entries[i].due_ms < next)
            next = s->entries[i].due_ms;
    }
    return next;
}
