#include "threshold_names.h"

#include <stdio.h>
#include <string.h>

#include "declared_metrics.h"
#include "registry.h"
#include "textbuf.h"
#include "text.h"

enum { NEAREST_SHOWN = 3 };

static int declared_for(arena *mem, const check_config *c, declared_metrics *d)
{
    const plugin *p = c->plugin_ref;
    memset(d, 0, sizeof *d);
    return p ? declared_metrics_of(mem, p->metrics, p->options, c->options, d)
             : 0;
}

/* The index of the declared pattern nearest to name not yet in taken. */
static size_t nearest(const declared_metrics *d, const char *name,
                      const size_t *taken, size_t taken_count)
{
    size_t best = d->count, best_distance = (size_t)-1;
    for (size_t i = 0; i < d->count; i++) {
        int used = 0;
        for (size_t k = 0; k < taken_count; k++)
            used |= taken[k] == i;
        size_t distance =
            used ? (size_t)-1 : text_edit_distance(name, d->patterns[i]);
        if (distance < best_distance) {
            best = i;
            best_distance = distance;
        }
    }
    return best;
}

/* " (did you mean 'x'?)", else the nearest declared patterns. */
static void explain(const declared_metrics *d, const char *name, textbuf *sb)
{
    const char *best =
        text_suggest(name, (const char *const *)d->patterns, d->count);
    if (best) {
        textbuf_printf(sb, " (did you mean '%s'?)", best);
        return;
    }
    if (d->count == 0) {
        textbuf_puts(sb, " (with these options it emits none)");
        return;
    }
    size_t shown[NEAREST_SHOWN];
    size_t n = 0;
    textbuf_puts(sb, "; nearest declared: ");
    while (n < NEAREST_SHOWN && n < d->count) {
        shown[n] = nearest(d, name, shown, n);
        textbuf_printf(sb, "%s'%s'", n ? ", " : "", d->patterns[shown[n]]);
        n++;
    }
    textbuf_puts(sb, " (all: nbaq-host --list-plugins)");
}

/* what: "threshold 'x'", or the match target; name: the metric sought. */
static int refuse(const declared_metrics *d, const char *location,
                  const char *check, const char *what, const char *name,
                  const char *plugin, char *err, size_t err_size)
{
    textbuf hint = TEXTBUF_INIT;
    explain(d, name, &hint);
    err_set(err, err_size,
            "%s: check '%s': %s: plugin '%s' declares no such metric%s",
            location, check, what, plugin, textbuf_cstr(&hint));
    textbuf_free(&hint);
    return -1;
}

static int check_match(arena *mem, const config *cfg, const check_config *c,
                       const metric_rule *rule, char *err, size_t err_size)
{
    const check_config *target = config_find_check(cfg, rule->match.check);
    declared_metrics d;
    if (!target || !target->plugin_ref)
        return 0; /* reconcile_check_config() named it */
    if (declared_for(mem, target, &d) != 0)
        return err_set(err, err_size, "out of memory");
    if (declared_metrics_allow_key(&d, rule->match.metric))
        return 0;
    char what[900];
    snprintf(what, sizeof what,
             "threshold '%.200s': match: metric '%.200s' of check '%.200s'",
             rule->pattern, rule->match.metric, target->name);
    return refuse(&d, rule->match.check_location, c->name, what,
                  rule->match.metric, target->plugin_ref->name, err, err_size);
}

static int check_one(arena *mem, const config *cfg, const check_config *c,
                     char *err, size_t err_size)
{
    declared_metrics d;
    if (declared_for(mem, c, &d) != 0)
        return err_set(err, err_size, "out of memory");
    for (size_t k = 0; k < c->rule_count; k++) {
        const metric_rule *rule = &c->rules[k];
        char what[300];
        snprintf(what, sizeof what, "threshold '%.200s'", rule->pattern);
        if (!declared_metrics_allow_key(&d, rule->pattern))
            return refuse(&d, rule->location, c->name, what, rule->pattern,
                          c->plugin_ref->name, err, err_size);
        if (rule->match.enabled &&
            check_match(mem, cfg, c, rule, err, err_size) != 0)
            return -1;
    }
    return 0;
}

int threshold_names_check(const config *cfg, char *err, size_t err_size)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < cfg->check_count; i++) {
        if (cfg->checks[i].rule_count == 0)
            continue;
        arena mem = ARENA_INIT; /* one check's patterns at a time */
        rc = check_one(&mem, cfg, &cfg->checks[i], err, err_size);
        arena_free(&mem);
    }
    return rc;
}
