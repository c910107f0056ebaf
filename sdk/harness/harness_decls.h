/*
 * harness_decls.h - what a checker declares it emits (declared_metrics.h),
 * expanded with the options of the harness, and the metrics it recorded
 * that no declaration names: nbaq-plugin-test's check that a plugin's
 * declarations stay true.
 */
#ifndef NBAQ_HARNESS_DECLS_H
#define NBAQ_HARNESS_DECLS_H

#include <stddef.h>

#include "arena.h"
#include "declared_metrics.h"
#include "nbaq.h"
#include "runner.h"

/* One declared pattern with the options put in, or a declaration that
 * gives none with these options (name NULL). Strings are copies. */
typedef struct harness_metric {
    const char *name;        /* expanded: "orders.nulls", "rows.*"; or NULL */
    const char *declared;    /* as the plugin wrote it: "{table}.nulls"     */
    const char *unit;        /* "" when none                                */
    const char *description; /* "" when none                             */
} harness_metric;

typedef struct harness_decls {
    declared_metrics declared; /* kind, and the expanded patterns        */
    harness_metric *metrics;   /* per declaration, in its order            */
    size_t metric_count;
    const char **undeclared; /* recorded, not declared (LISTED only)     */
    size_t undeclared_count;
    arena mem; /* owns everything above                                  */
} harness_decls;

/* Fills d from decls (the plugin's; NULL: none) and opts (validated
 * against specs). Returns 0, or -1 when out of memory. */
int harness_decls_expand(harness_decls *d, const nbaq_metric_decl *decls,
                         const nbaq_option_spec *specs,
                         const nbaq_options *opts);

/* Lists in d the names out recorded that d does not declare. Returns 0,
 * or -1 when out of memory. */
int harness_decls_audit(harness_decls *d, const job_outcome *out);

void harness_decls_free(harness_decls *d);

#endif
