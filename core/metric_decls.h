/*
 * metric_decls.h - the metric names a checker declares
 * (nbaq_plugin_descriptor.metrics, ABI 1.2), and what they become for one
 * configured check.
 *
 * A declared pattern is literal text, `*` (any run of characters), `\`
 * (the next character literally) and placeholders, each standing for a
 * set of values taken from the check's options:
 *   {opt}          the value of option opt (STRING, ENUM; BOOL: "true"
 *                  or "false"), or every item (STRING_LIST), or every
 *                  key (STRING_MAP); none when unset;
 *   {opt.field}    field (as above) of the OBJECT opt, or of every item
 *                  of the OBJECT_LIST or NAMED_OBJECT_LIST opt;
 *   {opt|text}     as {opt}, or text when that gives no value;
 *   {opt=glob}     the empty string when one of the values of opt
 *                  matches the fnmatch(3) glob, else none: a condition
 *                  ({mode=number}, {by_prefix=true}, {backfill.date=*}).
 * A placeholder with no value makes the pattern match nothing; several
 * values make one pattern per value. Substituted values are escaped, so
 * that a `*` in a table name stays a `*`.
 */
#ifndef NBAQ_CORE_METRIC_DECLS_H
#define NBAQ_CORE_METRIC_DECLS_H

#include <stddef.h>

#include "arena.h"
#include "nbaq.h"

/* Load time: every pattern is non-empty, its placeholders are closed and
 * name an option of specs of a type they can read. Returns 0, or -1 with
 * err naming the pattern (a plugin bug). */
int metric_decls_check_schema(const nbaq_metric_decl *decls,
                              const nbaq_option_spec *specs, char *err,
                              size_t err_size);

/* Patterns above which a declaration's placeholders all become `*`. */
#define METRIC_DECLS_EXPANSION_MAX 1024

/* The declared patterns of one check: decls with the placeholders
 * replaced from opts (validated against specs). *out and its strings are
 * allocated in mem. Returns 0, or -1 when out of memory. */
int metric_decls_expand(arena *mem, const nbaq_metric_decl *decls,
                        const nbaq_option_spec *specs, const nbaq_options *opts,
                        char ***out, size_t *count);

#endif
