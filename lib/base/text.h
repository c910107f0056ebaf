/*
 * text.h - small string helpers shared by the host and its history
 * library: error buffers, "did you mean" suggestions, name validation and
 * number formatting.
 */
#ifndef NBAQ_CORE_TEXT_H
#define NBAQ_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

/* Fills err (if err_size > 0) with the formatted message; returns -1 so
 * that callers can write `return err_set(err, size, ...)`. */
int err_set(char *err, size_t err_size, const char *fmt, ...) NBAQ_PRINTF(3, 4);

/* Edit distance between a and b: Levenshtein (insert, delete, substitute)
 * where swapping two adjacent characters also costs 1, the commonest
 * typo ("optimal string alignment" distance). */
size_t text_edit_distance(const char *a, const char *b);

/* The candidate closest to word when it is close enough to be a likely
 * typo, else NULL. candidates are n strings (NULL entries are skipped). The
 * result points into candidates. */
const char *text_suggest(const char *word, const char *const *candidates,
                         size_t n);

/* Non-zero when s is a non-empty [A-Za-z0-9_.-]+ name. */
int text_is_name(const char *s);

/* Numbers: textfmt_number_exact() (numfmt.h). */

/* "250ms", "10s", "1m30s", "2h", "7d": days and smaller units, summed. */
void text_format_duration(int64_t ms, char *buf, size_t size);
/* The one largest unit that divides ms exactly, weeks included: "90m",
 * "1w", "36h", "1500ms". */
void text_format_duration_unit(int64_t ms, char *buf, size_t size);

/* "512", "64K", "16M": bytes with the largest power of 1024 that divides
 * them exactly. */
void text_format_size(double bytes, char *buf, size_t size);

/* Copies at most size-1 bytes of src into dst, always NUL-terminated. */
void text_copy(char *dst, size_t size, const char *src);

#endif
