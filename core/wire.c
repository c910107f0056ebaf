#include "wire.h"

#include <string.h>

#define WIRE_NULL UINT64_MAX /* the length written for a NULL string */

void wire_put_u64(textbuf *out, uint64_t v)
{
    textbuf_append(out, (const char *)&v, sizeof v);
}

void wire_put_double(textbuf *out, double v)
{
    textbuf_append(out, (const char *)&v, sizeof v);
}

void wire_put_str(textbuf *out, const char *s)
{
    if (!s) {
        wire_put_u64(out, WIRE_NULL);
        return;
    }
    size_t len = strlen(s);
    wire_put_u64(out, len);
    textbuf_append(out, s, len + 1);
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

/* size bytes into out; zeros past the end. */
static void get_fixed(wire_reader *r, void *out, size_t size)
{
    const char *p = take(r, size);
    if (p)
        memcpy(out, p, size);
    else
        memset(out, 0, size);
}

uint64_t wire_get_u64(wire_reader *r)
{
    uint64_t v;
    get_fixed(r, &v, sizeof v);
    return v;
}

double wire_get_double(wire_reader *r)
{
    double v;
    get_fixed(r, &v, sizeof v);
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
