#include "utf8.h"

#include <stdlib.h>
#include <string.h>

static int continuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

size_t utf8_sequence_length(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        return continuation(s[1]) ? 2 : 0;
    if (c >= 0xe0 && c <= 0xef) {
        /* e0: no overlongs below U+0800; ed: no surrogates */
        unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
        unsigned char hi = c == 0xed ? 0x9f : 0xbf;
        return s[1] >= lo && s[1] <= hi && continuation(s[2]) ? 3 : 0;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
        unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
        return s[1] >= lo && s[1] <= hi && continuation(s[2]) &&
                       continuation(s[3])
                   ? 4
                   : 0;
    }
    return 0;
}

int utf8_is_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_sequence_length(p);
        if (n == 0)
            return 0;
        p += n;
    }
    return 1;
}

char *utf8_clean(const char *s)
{
    size_t len = strlen(s);
    char *out = malloc(len * 3 + 1); /* each bad byte may become 3 */
    if (!out)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    while (*p) {
        size_t n = utf8_sequence_length(p);
        if (n == 0) {
            memcpy(out + k, "\xef\xbf\xbd", 3);
            k += 3;
            p++;
            continue;
        }
        memcpy(out + k, p, n);
        k += n;
        p += n;
    }
    out[k] = '\0';
    return out;
}
