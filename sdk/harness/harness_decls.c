#include "harness_decls.h"

#include <string.h>

static const char *copy_or_empty(arena *mem, const char *text)
{
    return arena_strdup(mem, text ? text : "");
}

static int add_metric(harness_decls *d, const nbaq_metric_decl *decl,
                      const char *name, size_t room)
{
    if (d->metric_count == room)
        return -1;
    harness_metric *m = &d->metrics[d->metric_count++];
    m->name = name;
    m->declared = copy_or_empty(&d->mem, decl->pattern);
    m->unit = copy_or_empty(&d->mem, decl->unit);
    m->description = copy_or_empty(&d->mem, decl->description);
    return m->declared && m->unit && m->description ? 0 : -1;
}

/* The patterns one declaration becomes, appended to d->metrics. */
static int expand_one(harness_decls *d, const nbaq_metric_decl *decl,
                      const nbaq_option_spec *specs, const nbaq_options *opts,
                      size_t room)
{
    const nbaq_metric_decl one[] = {*decl, NBAQ_METRIC_END};
    declared_metrics x;
    if (declared_metrics_of(&d->mem, one, specs, opts, &x) != 0)
        return -1;
    if (x.count == 0)
        return add_metric(d, decl, NULL, room);
    for (size_t i = 0; i < x.count; i++)
        if (add_metric(d, decl, x.patterns[i], room) != 0)
            return -1;
    return 0;
}

int harness_decls_expand(harness_decls *d, const nbaq_metric_decl *decls,
                         const nbaq_option_spec *specs,
                         const nbaq_options *opts)
{
    if (declared_metrics_of(&d->mem, decls, specs, opts, &d->declared) != 0)
        return -1;
    size_t room = d->declared.count;
    for (size_t i = 0; decls && decls[i].pattern; i++)
        room++; /* a declaration that gives no pattern */
    d->metrics = arena_alloc(&d->mem, (room ? room : 1) * sizeof *d->metrics);
    if (!d->metrics)
        return -1;
    for (size_t i = 0; decls && decls[i].pattern; i++)
        if (expand_one(d, &decls[i], specs, opts, room) != 0)
            return -1;
    return 0;
}

int harness_decls_audit(harness_decls *d, const job_outcome *out)
{
    const char **names;
    size_t count;
    if (declared_metrics_undeclared(&d->mem, &d->declared, out, &names,
                                    &count) != 0)
        return -1;
    d->undeclared = arena_alloc(&d->mem, (count ? count : 1) * sizeof *names);
    if (!d->undeclared)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (!(d->undeclared[i] = arena_strdup(&d->mem, names[i])))
            return -1;
    d->undeclared_count = count;
    return 0;
}

void harness_decls_free(harness_decls *d)
{
    arena_free(&d->mem);
    memset(d, 0, sizeof *d);
}
