/*
 * aggregate.h - from finished check jobs to the nbaq_run that reporters
 * and the history store receive.
 *
 * Ownership: results are allocated in the context's arena and live as long
 * as it does (the run's arena, freed after the reporters ran). Each
 * metric's history (nbaq_metric.history) points into a history_past kept
 * by the context until aggregate_free().
 */
#ifndef NBAQ_CORE_AGGREGATE_H
#define NBAQ_CORE_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "config.h"
#include "history.h"
#include "nbaq.h"
#include "runner.h"

typedef struct aggregate_ctx {
    arena *mem;
    history_store *store; /* NULL: no store                         */
    const char *monitor;
    int64_t now_ms; /* the run's start                        */
    history_settings settings;
    history_past **pasts; /* malloc'd list; each past in mem        */
    size_t past_count;
    size_t past_cap;
} aggregate_ctx;

/*
 * The result of one check: the status and message from how its child ended
 * (job_conclude), its metrics evaluated against the check's thresholds
 * and history rules, and annotated with their history. A check whose child
 * did not end normally (crash, timeout, plugin bug) keeps no metrics.
 * Returns NULL when out of memory.
 */
nbaq_check_result *aggregate_check(aggregate_ctx *ax, const check_config *check,
                                   const job *j);

/* The run: worst status, status counts, a unique run id. */
nbaq_run *aggregate_run(arena *mem, const char *monitor, int64_t started_ms,
                        int64_t finished_ms, nbaq_check_result **checks,
                        size_t count);

/* "20250131T120000.123Z-1a2b3c4d": UTC start time and 32 random bits. */
void aggregate_run_id(int64_t started_ms, char *buf, size_t size);

/* Frees the metrics' pasts (after the run was saved and reported). */
void aggregate_free(aggregate_ctx *ax);

#endif
