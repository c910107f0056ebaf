#include "objstore.h"

#include <string.h>

static int kept_as_is(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '=' || c == '-';
}

int nbaq_objstore_metric_segment(const char *part, size_t part_len, char *out,
                                 size_t out_size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;

    if (part_len == 0)
        part = "%EMPTY"; /* '%' then non-hex: no encoded name looks so */
    if (part_len == 0) {
        if (out_size <= strlen(part))
            goto too_small;
        strcpy(out, part);
        return 0;
    }
    for (size_t i = 0; i < part_len; i++) {
        unsigned char c = (unsigned char)part[i];
        size_t need = kept_as_is(c) ? 1 : 3;
        if (n + need >= out_size)
            goto too_small;
        if (need == 1) {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 0x0f];
        }
    }
    out[n] = '\0';
    return 0;
too_small:
    if (out_size > 0)
        out[0] = '\0';
    return -1;
}
