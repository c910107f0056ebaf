#include "declared_metrics.h"

#include <string.h>

#include "metric_decls.h"
#include "metric_glob.h"
#include "nameset.h"

int declared_metrics_of(arena *mem, const nbaq_metric_decl *decls,
                        const nbaq_option_spec *specs, const nbaq_options *opts,
                        declared_metrics *d)
{
    memset(d, 0, sizeof *d);
    if (!decls)
        return 0;
    if (metric_decls_expand(mem, decls, specs, opts, &d->patterns, &d->count) !=
        0)
        return -1;
    d->kind = DECLARED_LISTED;
    for (size_t i = 0; i < d->count; i++)
        if (metric_pattern_is_any(d->patterns[i]))
            d->kind = DECLARED_ANY;
    return 0;
}

int declared_metrics_allow_key(const declared_metrics *d, const char *key)
{
    if (d->kind != DECLARED_LISTED)
        return 1;
    for (size_t i = 0; i < d->count; i++)
        if (metric_glob_overlap(key, d->patterns[i]))
            return 1;
    return 0;
}

int declared_metrics_allow_name(const declared_metrics *d, const char *name)
{
    if (d->kind != DECLARED_LISTED)
        return 1;
    for (size_t i = 0; i < d->count; i++)
        if (metric_pattern_matches(d->patterns[i], name))
            return 1;
    return 0;
}

/* The patterns by their literal head (the text before the first `*` or
 * `\\`): a name can only match a pattern whose head starts it, so that a
 * name is tried against a few patterns, not all of them. */
typedef struct head_index {
    nameset heads;   /* head -> its first pattern                       */
    size_t *next;    /* per pattern: the next with the same head, or none */
    size_t *lengths; /* the distinct head lengths                       */
    size_t length_count;
    size_t longest;
} head_index;

#define NO_PATTERN ((size_t)-1)

static void note_length(head_index *x, size_t length)
{
    for (size_t i = 0; i < x->length_count; i++)
        if (x->lengths[i] == length)
            return;
    x->lengths[x->length_count++] = length;
    if (length > x->longest)
        x->longest = length;
}

static int index_build(arena *mem, const declared_metrics *d, head_index *x)
{
    size_t n = d->count ? d->count : 1;
    size_t *tail = arena_alloc(mem, n * sizeof *tail); /* per first */
    x->next = arena_alloc(mem, n * sizeof *x->next);
    x->lengths = arena_alloc(mem, n * sizeof *x->lengths);
    if (!tail || !x->next || !x->lengths)
        return -1;
    for (size_t i = 0; i < d->count; i++) {
        const char *pattern = d->patterns[i];
        size_t length = strcspn(pattern, "*\\"), first;
        char *head = arena_strndup(mem, pattern, length);
        int rc = head ? nameset_put(&x->heads, head, i, &first) : -1;
        if (rc < 0)
            return -1;
        x->next[i] = NO_PATTERN;
        if (rc == 1) { /* appended: chains keep the declared order */
            x->next[tail[first]] = i;
            tail[first] = i;
        } else {
            tail[i] = i;
        }
        note_length(x, length);
    }
    return 0;
}

/* Is name, whose first `length` bytes are in key (NUL at key[length]),
 * matched by a pattern of that head? */
static int index_allows(const declared_metrics *d, const head_index *x,
                        const char *key, const char *name)
{
    size_t i;
    if (!nameset_get(&x->heads, key, &i))
        return 0;
    for (; i != NO_PATTERN; i = x->next[i])
        if (metric_pattern_matches(d->patterns[i], name))
            return 1;
    return 0;
}

static int index_matches(const declared_metrics *d, const head_index *x,
                         char *key, const char *name)
{
    size_t len = strlen(name);
    for (size_t k = 0; k < x->length_count; k++) {
        size_t length = x->lengths[k];
        if (length > len)
            continue;
        memcpy(key, name, length);
        key[length] = '\0';
        if (index_allows(d, x, key, name))
            return 1;
    }
    return 0;
}

typedef struct name_list {
    const char **items;
    size_t count;
    char *key; /* a name's head, looked up in the index                 */
} name_list;

static void add_if_undeclared(const declared_metrics *d, const head_index *x,
                              name_list *list, const char *name)
{
    if (!index_matches(d, x, list->key, name))
        list->items[list->count++] = name;
}

/* A backfilled series may repeat a metric's name, or another series'. */
static int seen_before(const job_outcome *out, size_t series)
{
    const char *name = out->backfill.items[series].name;
    size_t at;
    if (nameset_get(&out->metric_index, name, &at))
        return 1;
    for (size_t i = 0; i < series; i++)
        if (strcmp(out->backfill.items[i].name, name) == 0)
            return 1;
    return 0;
}

static int list_undeclared(arena *mem, const declared_metrics *d,
                           const job_outcome *out, name_list *list)
{
    head_index x = {.heads = NAMESET_INIT};
    if (index_build(mem, d, &x) != 0 ||
        !(list->key = arena_alloc(mem, x.longest + 1))) {
        nameset_free(&x.heads);
        return -1;
    }
    for (size_t i = 0; i < out->metric_count; i++)
        add_if_undeclared(d, &x, list, out->metrics[i].name);
    for (size_t i = 0; i < out->backfill.count; i++)
        if (!seen_before(out, i))
            add_if_undeclared(d, &x, list, out->backfill.items[i].name);
    nameset_free(&x.heads);
    return 0;
}

int declared_metrics_undeclared(arena *mem, const declared_metrics *d,
                                const job_outcome *out, const char ***names,
                                size_t *count)
{
    size_t most = out->metric_count + out->backfill.count;
    name_list list = {arena_alloc(mem, (most ? most : 1) * sizeof *list.items),
                      0, NULL};
    if (!list.items)
        return -1;
    if (d->kind == DECLARED_LISTED && list_undeclared(mem, d, out, &list) != 0)
        return -1;
    *names = list.items;
    *count = list.count;
    return 0;
}
