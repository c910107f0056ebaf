#include "utf8.h"

#include <string.h>

/* Length of the sequence a lead byte announces, and its payload bits. */
static int utf8_lead(unsigned char c, long *cp)
{
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        *cp = c & 0x1F;
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        *cp = c & 0x0F;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        *cp = c & 0x07;
        return 4;
    }
    return 0;
}

long utf8_decode(const char *s, size_t *len)
{
    const unsigned char *u = (const unsigned char *)s;
    long cp;
    int n = utf8_lead(u[0], &cp);
    *len = 1;
    if (n == 0)
        return -1;
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    static const long min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    *len = (size_t)n;
    return cp;
}

size_t utf8_plain_run(const char *s, const char *specials)
{
    size_t n = 0;
    while (s[n] >= 0x20 && s[n] <= 0x7E && !strchr(specials, s[n]))
        n++;
    return n;
}

size_t utf8_valid_prefix(const char *s)
{
    const char *p = s;
    size_t len;
    while (*p && utf8_decode(p, &len) >= 0)
        p += len;
    return (size_t)(p - s);
}

int utf8_is_valid(const char *s)
{
    return s[utf8_valid_prefix(s)] == '\0';
}

size_t utf8_cut(const char *text, size_t len)
{
    while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
        len--;
    return len;
}
