/*
 * metric_glob.h - can a threshold key name a metric a plugin declares?
 *
 * Threshold keys are metric names or fnmatch(3) globs (`*`, `?`, `[...]`,
 * `\` escapes; flags 0). Declared metric patterns, once their placeholders
 * are replaced (metric_decls.h), are globs of `*` only, `\` escaping the
 * next character. The two overlap when some name matches both. Character
 * classes are taken to overlap each other and `?`: the test errs towards
 * "overlap", so that a threshold is never refused for a name it could
 * match. The same matcher says whether a metric a plugin recorded is
 * declared (metric_pattern_matches).
 */
#ifndef NBAQ_CORE_METRIC_GLOB_H
#define NBAQ_CORE_METRIC_GLOB_H

/* Non-zero when some name matches both glob and pattern. */
int metric_glob_overlap(const char *glob, const char *pattern);

/* Non-zero when the metric name matches the declared pattern; name is
 * taken literally (a `*` or `?` in it is that character). */
int metric_pattern_matches(const char *pattern, const char *name);

/* Non-zero when pattern is made of `*` only: it declares any name. */
int metric_pattern_is_any(const char *pattern);

#endif
