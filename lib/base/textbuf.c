#include "textbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void textbuf_init(textbuf *b)
{
    memset(b, 0, sizeof(*b));
}

void textbuf_free(textbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

void textbuf_clear(textbuf *b)
{
    b->len = 0;
    b->failed = 0;
    if (b->data)
        b->data[0] = '\0';
}

const char *textbuf_cstr(const textbuf *b)
{
    return b->data && !b->failed ? b->data : "";
}

char *textbuf_take(textbuf *b)
{
    char *data = b->failed ? NULL : b->data;
    if (b->failed)
        free(b->data);
    else if (!data)
        data = calloc(1, 1);
    textbuf_init(b);
    return data;
}

int textbuf_failed(const textbuf *b)
{
    return b->failed;
}

void textbuf_fail(textbuf *b)
{
    b->failed = 1;
}

/* Small enough for the many short strings of the host (names, errors);
 * a report doubles up from it in a few steps. */
#define TEXTBUF_FIRST_CAP 64

/* Makes room for extra bytes plus a NUL; 0 or -1 (and failed set). */
static int textbuf_reserve(textbuf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra >= TEXTBUF_MAX - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : TEXTBUF_FIRST_CAP;
    while (cap < need)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (!data) {
        b->failed = 1;
        return -1;
    }
    b->data = data;
    b->cap = cap;
    return 0;
}

void textbuf_append(textbuf *b, const char *s, size_t n)
{
    if (n == 0 || textbuf_reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void textbuf_puts(textbuf *b, const char *s)
{
    if (s)
        textbuf_append(b, s, strlen(s));
}

void textbuf_putc(textbuf *b, char c)
{
    textbuf_append(b, &c, 1);
}

void textbuf_vprintf(textbuf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        textbuf_append(b, small, (size_t)n);
        return;
    }
    if (textbuf_reserve(b, (size_t)n) != 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void textbuf_printf(textbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(b, fmt, ap);
    va_end(ap);
}
