#include "run_builder.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "status.h"

/* One block of the arena; blocks are chained and freed together. */
typedef struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
} arena_block;

struct run_builder {
    arena_block *blocks;
    nbaq_run run;
    nbaq_check_result **checks;
    size_t check_cap;
    nbaq_alert **alerts;
    size_t alert_cap;
    size_t metric_cap; /* of the last check's metric array */
};

#define ARENA_BLOCK_SIZE ((size_t)1 << 20)

static void *arena_alloc(run_builder *rb, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    arena_block *b = rb->blocks;
    if (!b || b->size - b->used < size) {
        size_t cap = size > ARENA_BLOCK_SIZE ? size : ARENA_BLOCK_SIZE;
        b = calloc(1, sizeof(*b) + cap);
        if (!b)
            return NULL;
        b->size = cap;
        b->next = rb->blocks;
        rb->blocks = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

/* Grows an array of pointers (old copies stay in the arena). */
static int grow_ptrs(run_builder *rb, void ***items, size_t count, size_t *cap)
{
    if (count < *cap)
        return 0;
    size_t next = *cap ? *cap * 2 : 8;
    void **grown = arena_alloc(rb, next * sizeof(void *));
    if (!grown)
        return -1;
    if (count)
        memcpy(grown, *items, count * sizeof(void *));
    *items = grown;
    *cap = next;
    return 0;
}

/* Appends a new zeroed item of size bytes to an array of pointers; NULL
 * when memory runs out. */
static void *append_item(run_builder *rb, void ***items, size_t *count,
                         size_t *cap, size_t size)
{
    if (grow_ptrs(rb, items, *count, cap) != 0)
        return NULL;
    void *item = arena_alloc(rb, size);
    if (item)
        (*items)[(*count)++] = item;
    return item;
}

const char *run_builder_strdup(run_builder *rb, const char *s)
{
    if (!s)
        s = "";
    size_t n = strlen(s) + 1;
    char *copy = arena_alloc(rb, n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

run_builder *run_builder_new(const char *monitor, const char *run_id)
{
    run_builder *rb = calloc(1, sizeof(*rb));
    if (!rb)
        return NULL;
    rb->run.struct_size = (uint32_t)sizeof(nbaq_run);
    rb->run.monitor = run_builder_strdup(rb, monitor);
    rb->run.run_id = run_builder_strdup(rb, run_id);
    if (!rb->run.monitor || !rb->run.run_id) {
        run_builder_free(rb);
        return NULL;
    }
    return rb;
}

void run_builder_free(run_builder *rb)
{
    if (!rb)
        return;
    while (rb->blocks) {
        arena_block *next = rb->blocks->next;
        free(rb->blocks);
        rb->blocks = next;
    }
    free(rb);
}

nbaq_run *run_builder_run(run_builder *rb)
{
    return &rb->run;
}

nbaq_check_result *run_builder_add_check(run_builder *rb, const char *name,
                                         const char *plugin)
{
    nbaq_check_result *c =
        append_item(rb, (void ***)&rb->checks, &rb->run.check_count,
                    &rb->check_cap, sizeof(*c));
    if (!c)
        return NULL;
    c->name = run_builder_strdup(rb, name);
    c->plugin = run_builder_strdup(rb, plugin);
    c->message = "";
    c->severity = NBAQ_SEV_MEDIUM;
    rb->run.checks = (const nbaq_check_result *const *)rb->checks;
    rb->metric_cap = 0;
    return c->name && c->plugin ? c : NULL;
}

nbaq_metric *run_builder_add_metric(run_builder *rb, const char *name,
                                    double value, const char *unit)
{
    if (rb->run.check_count == 0)
        return NULL;
    nbaq_check_result *c = rb->checks[rb->run.check_count - 1];
    nbaq_metric **metrics = (nbaq_metric **)c->metrics;
    nbaq_metric *m = append_item(rb, (void ***)&metrics, &c->metric_count,
                                 &rb->metric_cap, sizeof(*m));
    if (!m)
        return NULL;
    m->name = run_builder_strdup(rb, name);
    m->unit = run_builder_strdup(rb, unit);
    m->value = value;
    m->reason = "";
    m->change_pct = NAN;
    m->previous_window_mean = NAN;
    /* As the host leaves a metric no history rule judged (SDK 1.2). */
    m->evidence.expected = m->evidence.scale = m->evidence.score = NAN;
    m->evidence.lower = m->evidence.upper = NAN;
    m->evidence.season = "none";
    c->metrics = (const nbaq_metric *const *)metrics;
    return m->name && m->unit ? m : NULL;
}

/* A copy of size bytes in the arena; NULL when memory runs out. */
static void *arena_copy(run_builder *rb, const void *src, size_t size)
{
    void *copy = arena_alloc(rb, size);
    if (copy)
        memcpy(copy, src, size);
    return copy;
}

int run_builder_set_history(run_builder *rb, nbaq_metric *metric,
                            const nbaq_point *points, size_t n)
{
    metric->history = n ? arena_copy(rb, points, n * sizeof(*points)) : NULL;
    metric->history_count = metric->history ? n : 0;
    return n && !metric->history ? -1 : 0;
}

int run_builder_set_band(run_builder *rb, nbaq_metric *metric,
                         const nbaq_point_band *band)
{
    size_t n = metric->history_count;
    metric->history_band = n ? arena_copy(rb, band, n * sizeof(*band)) : NULL;
    return n && !metric->history_band ? -1 : 0;
}

nbaq_alert *run_builder_add_alert(run_builder *rb, const char *check,
                                  const char *metric, const char *summary)
{
    nbaq_alert *a = append_item(rb, (void ***)&rb->alerts, &rb->run.alert_count,
                                &rb->alert_cap, sizeof(*a));
    if (!a)
        return NULL;
    a->check = run_builder_strdup(rb, check);
    a->metric = run_builder_strdup(rb, metric);
    a->summary = run_builder_strdup(rb, summary);
    a->fingerprint = "";
    rb->run.alerts = (const nbaq_alert *const *)rb->alerts;
    return a->check && a->metric && a->summary ? a : NULL;
}

void run_builder_finish(run_builder *rb, int keep_status)
{
    nbaq_status worst = NBAQ_PASS;
    memset(rb->run.status_counts, 0, sizeof(rb->run.status_counts));
    for (size_t i = 0; i < rb->run.check_count; i++) {
        nbaq_status s = rb->checks[i]->status;
        if ((unsigned)s < NBAQ_STATUS_COUNT)
            rb->run.status_counts[s]++;
        if (status_rank(s) > status_rank(worst))
            worst = s;
    }
    if (!keep_status)
        rb->run.status = worst;
}
