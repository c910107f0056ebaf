/*
 * textbuf.h - a growable text buffer for building a report in memory.
 *
 * Failure is sticky: when memory runs out (or the buffer would exceed
 * TEXTBUF_MAX), the buffer marks itself failed and every later append does
 * nothing, so that a writer appends freely and checks textbuf_failed()
 * once at the end.
 *
 * Ownership: the buffer owns data; textbuf_free releases it. data is
 * NUL-terminated whenever len > 0 and the buffer has not failed.
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

/* Non-zero once an append has failed. */
int textbuf_failed(const textbuf *b);
/* Marks the buffer failed, for a writer whose own step failed (a value
 * that cannot be encoded): later appends do nothing, as above. */
void textbuf_fail(textbuf *b);

#endif /* NBAQ_TEXTBUF_H */
