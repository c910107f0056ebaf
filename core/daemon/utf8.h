/* utf8.h - making text valid UTF-8 before it leaves as JSON or a
 * Prometheus label (plugins may report any bytes). */
#ifndef NBAQ_DAEMON_UTF8_H
#define NBAQ_DAEMON_UTF8_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 when s does not
 * start one (a stray byte, an overlong form, a surrogate, past U+10FFFF). */
size_t utf8_sequence_length(const unsigned char *s);

/* Non-zero when all of s is valid UTF-8. */
int utf8_is_valid(const char *s);

/* A malloc'd copy of s with each invalid byte replaced by U+FFFD; NULL
 * when out of memory. The caller frees it. */
char *utf8_clean(const char *s);

#endif
