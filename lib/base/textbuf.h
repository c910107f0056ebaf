/*
 * textbuf.h - a growable, NUL-terminated text buffer: the one buffer type
 * of the host and the plugins (a report, a /metrics page, an error).
 *
 * Failure is sticky: when memory runs out (or the buffer would exceed
 * TEXTBUF_MAX), the buffer marks itself failed and every later append does
 * nothing, so that a writer appends freely and checks textbuf_failed()
 * once at the end.
 *
 * Ownership: the buffer owns data; textbuf_free releases it and
 * textbuf_take hands it to the caller. data is NULL until the first
 * append and NUL-terminated whenever len > 0 and the buffer has not
 * failed; textbuf_cstr never returns NULL.
 */
#ifndef NBAQ_TEXTBUF_H
#define NBAQ_TEXTBUF_H

#include <stdarg.h>
#include <stddef.h>

/* A report larger than this is refused rather than grown further. */
#define TEXTBUF_MAX ((size_t)1 << 30)

typedef struct textbuf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
} textbuf;

/* An empty buffer, as textbuf_init leaves it: textbuf b = TEXTBUF_INIT; */
#define TEXTBUF_INIT                                                           \
    {                                                                          \
        0                                                                      \
    }

void textbuf_init(textbuf *b);
void textbuf_free(textbuf *b);
/* Empties the buffer and forgets a failure, keeping its memory for the
 * next text. */
void textbuf_clear(textbuf *b);

void textbuf_append(textbuf *b, const char *s, size_t n);
void textbuf_puts(textbuf *b, const char *s);
void textbuf_putc(textbuf *b, char c);
void textbuf_printf(textbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void textbuf_vprintf(textbuf *b, const char *fmt, va_list ap);

/* The text; "" when empty (or failed). Owned by b. */
const char *textbuf_cstr(const textbuf *b);
/* The text as a malloc'd string the caller frees ("" when empty), or
 * NULL when the buffer failed; either way b is empty afterwards.       */
char *textbuf_take(textbuf *b);

/* Non-zero once an append has failed. */
int textbuf_failed(const textbuf *b);
/* Marks the buffer failed, for a writer whose own step failed (a value
 * that cannot be encoded): later appends do nothing, as above. */
void textbuf_fail(textbuf *b);

#endif /* NBAQ_TEXTBUF_H */
