#include "percent.h"

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int percent_decode(const char *start, size_t len, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = start[i];
        if (c == '%' && i + 2 < len && hex_digit(start[i + 1]) >= 0 &&
            hex_digit(start[i + 2]) >= 0) {
            c = (char)(hex_digit(start[i + 1]) * 16 + hex_digit(start[i + 2]));
            i += 2;
        }
        if (o + 1 >= size)
            return -1;
        out[o++] = c;
    }
    if (size == 0)
        return -1;
    out[o] = '\0';
    return 0;
}

int percent_decode_form(char *s)
{
    char *out = s;
    for (; *s != '\0'; s++) {
        if (*s == '+') {
            *out++ = ' ';
        } else if (*s == '%') {
            int hi = hex_digit(s[1]), lo = hi < 0 ? -1 : hex_digit(s[2]);
            if (lo < 0)
                return -1;
            *out++ = (char)(hi * 16 + lo);
            s += 2;
        } else {
            *out++ = *s;
        }
    }
    *out = '\0';
    return 0;
}
