#include "declared_metrics.h"

#include <string.h>

#include "metric_decls.h"
#include "metric_glob.h"

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

typedef struct name_list {
    const char **items;
    size_t count;
} name_list;

static void add_if_undeclared(const declared_metrics *d, name_list *list,
                              const char *name)
{
    if (!declared_metrics_allow_name(d, name))
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

int declared_metrics_undeclared(arena *mem, const declared_metrics *d,
                                const job_outcome *out, const char ***names,
                                size_t *count)
{
    size_t most = out->metric_count + out->backfill.count;
    name_list list = {arena_alloc(mem, (most ? most : 1) * sizeof *list.items),
                      0};
    if (!list.items)
        return -1;
    for (size_t i = 0; d->kind == DECLARED_LISTED && i < out->metric_count; i++)
        add_if_undeclared(d, &list, out->metrics[i].name);
    for (size_t i = 0; d->kind == DECLARED_LISTED && i < out->backfill.count;
         i++)
        if (!seen_before(out, i))
            add_if_undeclared(d, &list, out->backfill.items[i].name);
    *names = list.items;
    *count = list.count;
    return 0;
}
