/*
 * utf8.h - reading UTF-8 one code point at a time, so that escapers can
 * copy valid text as it is and replace what is not valid.
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

/* Length of the leading run of printable ASCII bytes (0x20-0x7E) in s
 * that are not in specials: escapers copy such a run as it is. */
size_t utf8_plain_run(const char *s, const char *specials);

#endif /* NBAQ_UTF8_H */
