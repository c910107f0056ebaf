#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int strbuf_reserve(strbuf *sb, size_t extra)
{
    if (sb->failed)
        return -1;
    if (sb->len + extra + 1 <= sb->cap)
        return 0;
    size_t cap = sb->cap ? sb->cap : 32;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    char *data = realloc(sb->data, cap);
    if (!data) {
        sb->failed = 1;
        return -1;
    }
    sb->data = data;
    sb->cap = cap;
    return 0;
}

void strbuf_append_len(strbuf *sb, const char *text, size_t len)
{
    if (strbuf_reserve(sb, len) != 0)
        return;
    memcpy(sb->data + sb->len, text, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
}

void strbuf_append(strbuf *sb, const char *text)
{
    strbuf_append_len(sb, text, strlen(text));
}

void strbuf_append_char(strbuf *sb, char c)
{
    strbuf_append_len(sb, &c, 1);
}

void strbuf_vappendf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || strbuf_reserve(sb, (size_t)n) != 0)
        return;
    vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void strbuf_appendf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vappendf(sb, fmt, ap);
    va_end(ap);
}

const char *strbuf_cstr(const strbuf *sb)
{
    return sb->data ? sb->data : "";
}

char *strbuf_take(strbuf *sb)
{
    char *data = sb->data;
    if (!data && !sb->failed)
        data = calloc(1, 1);
    if (sb->failed) {
        free(data);
        data = NULL;
    }
    *sb = (strbuf)STRBUF_INIT;
    return data;
}

void strbuf_free(strbuf *sb)
{
    free(sb->data);
    *sb = (strbuf)STRBUF_INIT;
}
