/*
 * strbuf.h - a growable, always NUL-terminated string.
 *
 * A strbuf owns its heap buffer; strbuf_free() releases it and
 * strbuf_take() hands it to the caller (who frees it with free()). An
 * allocation failure sets `failed` and leaves the text as it was, so that
 * callers can build a string with several calls and check once.
 */
#ifndef NBAQ_CORE_STRBUF_H
#define NBAQ_CORE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "nbaq.h"

typedef struct strbuf {
    char *data; /* NULL until the first append; strbuf_cstr() never is   */
    size_t len;
    size_t cap;
    int failed; /* an allocation failed                                 */
} strbuf;

#define STRBUF_INIT                                                            \
    {                                                                          \
        0                                                                      \
    }

void strbuf_append(strbuf *sb, const char *text);
void strbuf_append_len(strbuf *sb, const char *text, size_t len);
void strbuf_appendf(strbuf *sb, const char *fmt, ...) NBAQ_PRINTF(2, 3);
void strbuf_vappendf(strbuf *sb, const char *fmt, va_list ap);
void strbuf_append_char(strbuf *sb, char c);
/* The text; "" when empty. Owned by sb. */
const char *strbuf_cstr(const strbuf *sb);
/* The buffer, owned by the caller from now on (never NULL unless failed);
 * sb is empty afterwards. */
char *strbuf_take(strbuf *sb);
void strbuf_free(strbuf *sb);

#endif
