#include "http.h"

static int is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

long nbaq_http_uri_encode(const char *s, size_t len, int keep_slash, char *out,
                          size_t out_size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c) || (keep_slash && c == '/')) {
            if (n + 1 >= out_size)
                goto too_small;
            out[n++] = (char)c;
        } else {
            if (n + 3 >= out_size)
                goto too_small;
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 0x0f];
        }
    }
    if (n >= out_size)
        goto too_small;
    out[n] = '\0';
    return (long)n;

too_small:
    if (out_size > 0)
        out[0] = '\0';
    return -1;
}
