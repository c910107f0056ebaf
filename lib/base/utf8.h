/*
 * utf8.h - reading UTF-8 one code point at a time, so that escapers can
 * copy valid text as it is and replace what is not valid; checking and
 * cutting text that plugins sent (it may be any bytes). The one UTF-8
 * reader of the host and the plugins. Replacing invalid bytes with
 * U+FFFD: textfmt_utf8_valid (escape.h).
 */
#ifndef NBAQ_UTF8_H
#define NBAQ_UTF8_H

#include <stddef.h>

/* U+FFFD, the replacement character, in UTF-8. */
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* Decodes the code point starting at s (NUL-terminated text). Sets *len to
 * the bytes it takes (at least 1 unless *s is NUL) and returns the code
 * point, or -1 for a byte that does not start a valid, shortest-form,
 * non-surrogate sequence (then *len is 1). */
long utf8_decode(const char *s, size_t *len);

/* Length of the longest valid UTF-8 prefix of s: where the first
 * invalid byte is, or strlen(s). */
size_t utf8_valid_prefix(const char *s);

/* Non-zero when all of s is valid UTF-8. */
int utf8_is_valid(const char *s);

/* The largest length <= len at which text (at least len bytes) can be
 * cut without splitting a multi-byte sequence. */
size_t utf8_cut(const char *text, size_t len);

/* Length of the leading run of printable ASCII bytes (0x20-0x7E) in s
 * that are not in specials: escapers copy such a run as it is. */
size_t utf8_plain_run(const char *s, const char *specials);

#endif /* NBAQ_UTF8_H */
