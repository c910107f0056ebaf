/*
 * thresholds.h - reads a check's `thresholds:` mapping into metric rules
 * (rules.h). Keys are metric names or fnmatch(3) globs, kept in config
 * order; evaluate.c decides which rule applies to a metric.
 */
#ifndef NBAQ_CORE_THRESHOLDS_H
#define NBAQ_CORE_THRESHOLDS_H

#include <stddef.h>

#include "arena.h"
#include "rules.h"
#include "ydoc.h"

/* Fills *rules (count entries, allocated in mem) from mapping; check is
 * the check's name for messages. Returns 0, or -1 with err naming
 * file:line:column. */
int thresholds_parse(arena *mem, const ynode *mapping, const char *check,
                     metric_rule **rules, size_t *count, char *err,
                     size_t err_size);

#endif
