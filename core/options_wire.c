#include "options_wire.h"

#include "options_tree.h"

enum { HAS_ITEMS = 1, HAS_VALUES = 2 };

static size_t object_count(const nbaq_option_spec *spec, const opt_value *v)
{
    if (!v->objects)
        return 0;
    return spec->type == NBAQ_OPT_OBJECT ? 1 : v->count;
}

static void encode_strings(textbuf *out, const char **strings, size_t n)
{
    for (size_t i = 0; strings && i < n; i++)
        wire_put_str(out, strings[i]);
}

static void encode_value(textbuf *out, const nbaq_option_spec *spec,
                         const opt_value *v)
{
    wire_put_u64(out, (uint64_t)v->set);
    wire_put_str(out, v->location);
    wire_put_str(out, v->text);
    wire_put_u64(out, (uint64_t)v->integer);
    wire_put_double(out, v->number);
    wire_put_u64(out, (uint64_t)v->boolean);
    wire_put_u64(out, v->count);
    wire_put_u64(out,
                 (v->items ? HAS_ITEMS : 0) | (v->values ? HAS_VALUES : 0));
    encode_strings(out, v->items, v->count);
    encode_strings(out, v->values, v->count);
    size_t objects = object_count(spec, v);
    wire_put_u64(out, objects);
    for (size_t i = 0; i < objects; i++)
        options_encode(out, v->objects[i]);
}

void options_encode(textbuf *out, const nbaq_options *o)
{
    wire_put_u64(out, o ? 1 : 0);
    if (!o)
        return;
    wire_put_u64(out, o->count);
    wire_put_str(out, o->location);
    for (size_t i = 0; i < o->count; i++)
        encode_value(out, &o->specs[i], &o->values[i]);
}

/* n elements (at least one), zeroed; n is bounded by the bytes left to
 * read, so that n * size cannot overflow. */
static void *elements(arena *mem, size_t n, size_t size)
{
    return arena_alloc(mem, (n ? n : 1) * size);
}

static size_t spec_count(const nbaq_option_spec *specs)
{
    size_t n = 0;
    while (specs && specs[n].name)
        n++;
    return n;
}

/* n strings, or NULL when none were sent; n is bounded by what is left. */
static const char **decode_strings(arena *mem, wire_reader *r, size_t n,
                                   int present)
{
    if (!present || r->bad)
        return NULL;
    if (n > r->left / sizeof(uint64_t)) {
        r->bad = 1;
        return NULL;
    }
    const char **strings = elements(mem, n, sizeof *strings);
    if (!strings) {
        r->bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        strings[i] = wire_get_str(r);
    return strings;
}

static void decode_value(arena *mem, wire_reader *r,
                         const nbaq_option_spec *spec, const char *plugin,
                         opt_value *v)
{
    v->set = (int)wire_get_u64(r);
    v->location = wire_get_str(r);
    v->text = wire_get_str(r);
    v->integer = (int64_t)wire_get_u64(r);
    v->number = wire_get_double(r);
    v->boolean = (int)wire_get_u64(r);
    v->count = (size_t)wire_get_u64(r);
    uint64_t present = wire_get_u64(r);
    v->items = decode_strings(mem, r, v->count, present & HAS_ITEMS);
    v->values = decode_strings(mem, r, v->count, present & HAS_VALUES);
    uint64_t objects = wire_get_u64(r);
    if (objects == 0 || r->bad)
        return;
    if (objects > r->left || !spec->fields) {
        r->bad = 1;
        return;
    }
    v->objects = elements(mem, (size_t)objects, sizeof *v->objects);
    if (!v->objects) {
        r->bad = 1;
        return;
    }
    for (uint64_t i = 0; i < objects && !r->bad; i++)
        v->objects[i] =
            (nbaq_options *)options_decode(mem, r, spec->fields, plugin);
}

const nbaq_options *options_decode(arena *mem, wire_reader *r,
                                   const nbaq_option_spec *specs,
                                   const char *plugin)
{
    if (wire_get_u64(r) == 0 || r->bad)
        return NULL;
    size_t count = (size_t)wire_get_u64(r);
    nbaq_options *o = elements(mem, 1, sizeof *o);
    if (count != spec_count(specs) || !o) {
        r->bad = 1;
        return NULL;
    }
    o->specs = specs;
    o->count = count;
    o->plugin = plugin;
    o->location = wire_get_str(r);
    o->values = elements(mem, count, sizeof *o->values);
    if (!o->values) {
        r->bad = 1;
        return NULL;
    }
    for (size_t i = 0; i < count && !r->bad; i++)
        decode_value(mem, r, &specs[i], plugin, &o->values[i]);
    return r->bad ? NULL : o;
}
