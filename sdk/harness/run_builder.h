/*
 * run_builder.h - builds an nbaq_run in memory, the way the host hands one
 * to reporters, for tests and benchmarks of reporter plugins.
 *
 * Ownership: the builder owns every byte it hands out (the run, checks,
 * metrics, alerts, history points and copied strings) in one arena;
 * run_builder_free releases all of it at once. Pointers stay valid until
 * then. Strings passed in are copied. The builder returns mutable structs
 * so that callers set the fields they care about; fields they leave are
 * zero, strings "".
 */
#ifndef NBAQ_RUN_BUILDER_H
#define NBAQ_RUN_BUILDER_H

#include <stddef.h>

#include "nbaq.h"

typedef struct run_builder run_builder;

/* NULL when memory runs out. */
run_builder *run_builder_new(const char *monitor, const char *run_id);
void run_builder_free(run_builder *rb);

/* The run being built. Its check and alert arrays are complete after each
 * add; status and status_counts only after run_builder_finish.          */
nbaq_run *run_builder_run(run_builder *rb);

/* Each returns NULL when memory runs out (the builder is then unusable). */
const char *run_builder_strdup(run_builder *rb, const char *s);
nbaq_check_result *run_builder_add_check(run_builder *rb, const char *name,
                                         const char *plugin);
/* Appends to the check most recently added. */
nbaq_metric *run_builder_add_metric(run_builder *rb, const char *name,
                                    double value, const char *unit);
/* Copies n points into the metric. 0 or -1. */
int run_builder_set_history(run_builder *rb, nbaq_metric *metric,
                            const nbaq_point *points, size_t n);
/* Copies history_count bands (set the history first). 0 or -1. */
int run_builder_set_band(run_builder *rb, nbaq_metric *metric,
                         const nbaq_point_band *band);
nbaq_alert *run_builder_add_alert(run_builder *rb, const char *check,
                                  const char *metric, const char *summary);

/* Fills status_counts from the checks and, unless keep_status, the run's
 * status as the worst check (PASS < WARNING < FAIL < UNKNOWN < ERROR).  */
void run_builder_finish(run_builder *rb, int keep_status);

#endif /* NBAQ_RUN_BUILDER_H */
