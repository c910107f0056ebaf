/*
 * declared_metrics.h - the metric names one configured check may emit:
 * its plugin's declarations (metric_decls.h) expanded with the check's
 * options, and the tests made against them. A threshold key must be able
 * to match one of them (threshold_names.h); a metric the check recorded
 * must match one (nbaq-plugin-test, and a warning of nbaq-host:
 * metric_audit.h). Both use the matcher of metric_glob.h.
 */
#ifndef NBAQ_CORE_DECLARED_METRICS_H
#define NBAQ_CORE_DECLARED_METRICS_H

#include <stddef.h>

#include "arena.h"
#include "nbaq.h"
#include "runner.h"

typedef enum declared_kind {
    DECLARED_NONE,  /* no declarations: NULL, or built before ABI 1.2     */
    DECLARED_ANY,   /* one pattern is `*`: names chosen at run time       */
    DECLARED_LISTED /* only names matching patterns (an empty list: none) */
} declared_kind;

typedef struct declared_metrics {
    declared_kind kind;
    char **patterns; /* expanded, in the arena given; none when NONE       */
    size_t count;
} declared_metrics;

/* Expands decls (the plugin's static data, NULL: none) with opts,
 * validated against specs, into *d (allocated in mem). Returns 0, or -1
 * when out of memory. */
int declared_metrics_of(arena *mem, const nbaq_metric_decl *decls,
                        const nbaq_option_spec *specs, const nbaq_options *opts,
                        declared_metrics *d);

/* Non-zero when the threshold key (a name or an fnmatch glob) can match
 * a declared name; always when kind is not DECLARED_LISTED. */
int declared_metrics_allow_key(const declared_metrics *d, const char *key);

/* Non-zero when the metric name is declared; always when kind is not
 * DECLARED_LISTED. */
int declared_metrics_allow_name(const declared_metrics *d, const char *name);

/* The names out recorded (metrics, then backfilled series) that are not
 * declared, each once, in the order recorded. *names is allocated in mem;
 * its strings are out's (valid while out is). Returns 0, or -1 when out of
 * memory. */
int declared_metrics_undeclared(arena *mem, const declared_metrics *d,
                                const job_outcome *out, const char ***names,
                                size_t *count);

#endif
