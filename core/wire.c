#include "wire.h"

#include <string.h>

#define WIRE_NULL UINT64_MAX /* the length written for a NULL string */

void wire_put_u64(strbuf *out, uint64_t v)
{
    strbuf_append_len(out, (const char *)&v, sizeof v);
}

void wire_put_double(strbuf *out, double v)
{
    strbuf_append_len(out, (const char *)&v, sizeof v);
}

void wire_put_str(strbuf *out, const char *s)
{
    if (!s) {
        wire_put_u64(out, WIRE_NULL);
        return;
    }
    size_t len = strlen(s);
    wire_put_u64(out, len);
    strbuf_append_len(out, s, len + 1);
}

static const char *take(wire_reader *r, size_t n)
{
    if (r->bad || n > r->left) {
        r->bad = 1;
        return NULL;
    }
    const char *p = r->pos;
    r->pos += n;
    r->left -= n;
    return p;
}

uint64_t wire_get_u64(wire_reader *r)
{
    uint64_t v = 0;
    const char *p = take(r, sizeof v);
    if (p)
        memcpy(&v, p, sizeof v);
    return v;
}

double wire_get_double(wire_reader *r)
{
    double v = 0;
    const char *p = take(r, sizeof v);
    if (p)
        memcpy(&v, p, sizeof v);
    return v;
}

const char *wire_get_str(wire_reader *r)
{
    uint64_t len = wire_get_u64(r);
    if (r->bad || len == WIRE_NULL)
        return NULL;
    if (len >= r->left) {
        r->bad = 1;
        return NULL;
    }
    const char *s = take(r, (size_t)len + 1);
    if (s && s[len] != '\0') {
        r->bad = 1;
        return NULL;
    }
    return s;
}
