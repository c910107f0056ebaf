#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nameset.h"
#include "numfmt.h"
#include "option_values.h"
#include "options_tree.h"
#include "textbuf.h"
#include "text.h"
#include "units.h"

typedef struct build_ctx {
    arena *mem;
    const char *owner; /* "check 'x'"                                     */
    const char *plugin;
    char *err;
    size_t err_size;
} build_ctx;

static int build_object(build_ctx *ctx, const nbaq_option_spec *specs,
                        const ynode *mapping, const ynode *where,
                        const char *path, int secret, nbaq_options **out);

/* ------------------------------------------------------------------ */
/* Messages                                                             */

static int fail_at(build_ctx *ctx, const ynode *node, const char *path,
                   const char *fmt, ...) NBAQ_PRINTF(4, 5);

static int fail_at(build_ctx *ctx, const ynode *node, const char *path,
                   const char *fmt, ...)
{
    textbuf sb = TEXTBUF_INIT;
    char where[512];
    if (node && node->file[0] != '<')
        textbuf_printf(&sb, "%s: ", ynode_location(node, where, sizeof where));
    if (ctx->owner[0])
        textbuf_printf(&sb, "%s: ", ctx->owner);
    if (path && *path)
        textbuf_printf(&sb, "option '%s': ", path);
    va_list ap;
    va_start(ap, fmt);
    textbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    err_set(ctx->err, ctx->err_size, "%s", textbuf_cstr(&sb));
    textbuf_free(&sb);
    return -1;
}

/* The value as it may appear in a message: quoted, or <secret>. */
static const char *shown(const char *text, int secret, char *buf, size_t size)
{
    if (secret)
        return "<secret>";
    snprintf(buf, size, "'%.200s'", text);
    return buf;
}

static size_t spec_count(const nbaq_option_spec *specs)
{
    size_t n = 0;
    while (specs && specs[n].name)
        n++;
    return n;
}

static int is_scalar_type(nbaq_option_type type)
{
    return type == NBAQ_OPT_STRING || type == NBAQ_OPT_INT ||
           type == NBAQ_OPT_DOUBLE || type == NBAQ_OPT_BOOL ||
           type == NBAQ_OPT_DURATION || type == NBAQ_OPT_SIZE ||
           type == NBAQ_OPT_ENUM || type == NBAQ_OPT_URL;
}

/* ------------------------------------------------------------------ */
/* Conversion of one value                                              */

static void format_limit(nbaq_option_type type, double v, char *buf,
                         size_t size)
{
    if (type == NBAQ_OPT_DURATION)
        text_format_duration((int64_t)v, buf, size);
    else
        textfmt_number_exact(buf, size, v);
}

static int check_range(build_ctx *ctx, const nbaq_option_spec *spec,
                       const ynode *node, const char *path, double v,
                       int secret)
{
    int has_min = nbaq_option_has_min(spec),
        has_max = nbaq_option_has_max(spec);
    if ((!has_min || v >= spec->min) && (!has_max || v <= spec->max))
        return 0;
    char lo[64], hi[64], buf[256];
    format_limit(spec->type, spec->min, lo, sizeof lo);
    format_limit(spec->type, spec->max, hi, sizeof hi);
    const char *value = shown(node->text, secret, buf, sizeof buf);
    if (!has_max)
        return fail_at(ctx, node, path, "%s is out of range (at least %s)",
                       value, lo);
    if (!has_min)
        return fail_at(ctx, node, path, "%s is out of range (at most %s)",
                       value, hi);
    return fail_at(ctx, node, path, "%s is out of range (%s to %s)", value, lo,
                   hi);
}

static int convert_enum(build_ctx *ctx, const nbaq_option_spec *spec,
                        const ynode *node, const char *path, int secret,
                        opt_value *out)
{
    size_t n = 0;
    for (; spec->choices && spec->choices[n]; n++) {
        if (strcmp(spec->choices[n], node->text) == 0) {
            out->text = spec->choices[n];
            return 0;
        }
    }
    textbuf list = TEXTBUF_INIT;
    for (size_t i = 0; i < n; i++)
        textbuf_printf(&list, "%s%s", i ? ", " : "", spec->choices[i]);
    const char *guess =
        secret
            ? NULL
            : text_suggest(node->text, (const char *const *)spec->choices, n);
    char buf[256];
    int rc = fail_at(ctx, node, path, "%s is not one of: %s%s%s%s",
                     shown(node->text, secret, buf, sizeof buf),
                     textbuf_cstr(&list), guess ? " (did you mean '" : "",
                     guess ? guess : "", guess ? "'?)" : "");
    textbuf_free(&list);
    return rc;
}

static int convert_scalar(build_ctx *ctx, const nbaq_option_spec *spec,
                          const ynode *node, const char *path, int secret,
                          opt_value *out)
{
    char reason[256], buf[256];
    int rc = 0;
    if (node->kind != YNODE_SCALAR)
        return fail_at(ctx, node, path, "expected %s, got %s",
                       spec->type == NBAQ_OPT_STRING ? "a string"
                                                     : "a single value",
                       ynode_kind_name(node->kind));
    if (node->is_null)
        return fail_at(ctx, node, path, "has no value");
    if (spec->type == NBAQ_OPT_URL &&
        option_check_url(node->text, spec->choices, reason, sizeof reason) != 0)
        return fail_at(ctx, node, path, "%s", reason);
    switch (spec->type) {
    case NBAQ_OPT_URL:
    case NBAQ_OPT_STRING:
        out->text = arena_strdup(ctx->mem, node->text);
        return out->text ? 0 : fail_at(ctx, node, path, "out of memory");
    case NBAQ_OPT_ENUM:
        return convert_enum(ctx, spec, node, path, secret, out);
    case NBAQ_OPT_BOOL:
        rc = units_parse_bool(node->text, &out->boolean, reason, sizeof reason);
        break;
    case NBAQ_OPT_INT:
        rc = units_parse_int(node->text, &out->integer, reason, sizeof reason);
        out->number = (double)out->integer;
        break;
    case NBAQ_OPT_DURATION:
        rc = units_parse_duration(node->text, &out->integer, reason,
                                  sizeof reason);
        out->number = (double)out->integer;
        break;
    case NBAQ_OPT_SIZE:
        rc = units_parse_size(node->text, &out->integer, reason, sizeof reason);
        out->number = (double)out->integer;
        break;
    case NBAQ_OPT_DOUBLE:
        rc =
            units_parse_double(node->text, &out->number, reason, sizeof reason);
        break;
    default:
        return fail_at(ctx, node, path, "not a scalar type");
    }
    if (rc != 0)
        return fail_at(ctx, node, path, "%s, got %s", reason,
                       shown(node->text, secret, buf, sizeof buf));
    if (spec->type != NBAQ_OPT_BOOL)
        return check_range(ctx, spec, node, path, out->number, secret);
    return 0;
}

static int convert_string_list(build_ctx *ctx, const ynode *node,
                               const char *path, opt_value *out)
{
    if (node->kind == YNODE_MAPPING)
        return fail_at(ctx, node, path, "expected a list of strings, got %s",
                       ynode_kind_name(node->kind));
    size_t n = node->kind == YNODE_SCALAR ? 1 : node->count;
    out->items = arena_alloc(ctx->mem, (n ? n : 1) * sizeof *out->items);
    if (!out->items)
        return fail_at(ctx, node, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const ynode *item = node->kind == YNODE_SCALAR ? node : node->items[i];
        if (item->kind != YNODE_SCALAR)
            return fail_at(ctx, item, path,
                           "item %zu: expected a string, "
                           "got %s",
                           i + 1, ynode_kind_name(item->kind));
        if (item->is_null)
            return fail_at(ctx, item, path, "item %zu has no value", i + 1);
        out->items[i] = arena_strdup(ctx->mem, item->text);
    }
    out->count = n;
    return 0;
}

static int convert_string_map(build_ctx *ctx, const ynode *node,
                              const char *path, opt_value *out)
{
    if (node->kind != YNODE_MAPPING)
        return fail_at(ctx, node, path, "expected a mapping, got %s",
                       ynode_kind_name(node->kind));
    size_t n = node->count;
    out->items = arena_alloc(ctx->mem, (n ? n : 1) * sizeof *out->items);
    out->values = arena_alloc(ctx->mem, (n ? n : 1) * sizeof *out->values);
    if (!out->items || !out->values)
        return fail_at(ctx, node, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const ynode *value = node->pairs[i].value;
        if (value->kind != YNODE_SCALAR)
            return fail_at(ctx, value, path,
                           "key '%s': expected a string, "
                           "got %s",
                           node->pairs[i].key->text,
                           ynode_kind_name(value->kind));
        out->items[i] = arena_strdup(ctx->mem, node->pairs[i].key->text);
        out->values[i] =
            arena_strdup(ctx->mem, value->is_null ? "" : value->text);
    }
    out->count = n;
    return 0;
}

/* An OBJECT_LIST whose first field is `name` may be written as a mapping
 * of name to object ("columns: {a: {min: 0}}"): each entry becomes the
 * object with `name` set to its key (the key's node, for locations). */
static int keyed_item(build_ctx *ctx, const ynode *key, const ynode *value,
                      const char *path, ynode **out)
{
    if (value->kind != YNODE_MAPPING)
        return fail_at(ctx, value, path, "'%s': expected a mapping, got %s",
                       key->text, ynode_kind_name(value->kind));
    if (ynode_get(value, "name"))
        return fail_at(ctx, ynode_get(value, "name"), path,
                       "'%s': 'name' is the key of the entry", key->text);
    ynode *item = arena_alloc(ctx->mem, sizeof *item);
    ynode *name_key = arena_alloc(ctx->mem, sizeof *name_key);
    ypair *pairs = arena_alloc(ctx->mem, (value->count + 1) * sizeof *pairs);
    if (!item || !name_key || !pairs)
        return fail_at(ctx, value, path, "out of memory");
    *name_key = *key;
    name_key->text = "name";
    pairs[0] = (ypair){.key = name_key, .value = (ynode *)key};
    memcpy(pairs + 1, value->pairs, value->count * sizeof *pairs);
    *item = *value;
    item->pairs = pairs;
    item->count = value->count + 1;
    *out = item;
    return 0;
}

static int is_keyed_list(const nbaq_option_spec *spec, const ynode *node)
{
    return node->kind == YNODE_MAPPING && spec->fields &&
           spec->fields[0].name && strcmp(spec->fields[0].name, "name") == 0;
}

static int convert_object_list(build_ctx *ctx, const nbaq_option_spec *spec,
                               const ynode *node, const char *path, int secret,
                               opt_value *out)
{
    if (is_keyed_list(spec, node)) {
        size_t n = node->count;
        out->objects =
            arena_alloc(ctx->mem, (n ? n : 1) * sizeof *out->objects);
        if (!out->objects)
            return fail_at(ctx, node, path, "out of memory");
        for (size_t i = 0; i < n; i++) {
            char item_path[512];
            ynode *item = NULL;
            snprintf(item_path, sizeof item_path, "%s.%s", path,
                     node->pairs[i].key->text);
            if (keyed_item(ctx, node->pairs[i].key, node->pairs[i].value, path,
                           &item) != 0 ||
                build_object(ctx, spec->fields, item, item, item_path, secret,
                             &out->objects[i]) != 0)
                return -1;
        }
        out->count = n;
        return 0;
    }
    if (node->kind != YNODE_SEQUENCE)
        return fail_at(ctx, node, path, "expected a list of mappings, got %s",
                       ynode_kind_name(node->kind));
    size_t n = node->count;
    out->objects = arena_alloc(ctx->mem, (n ? n : 1) * sizeof *out->objects);
    if (!out->objects)
        return fail_at(ctx, node, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        char item_path[512];
        snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
        const ynode *item = node->items[i];
        if (item->kind != YNODE_MAPPING)
            return fail_at(ctx, item, item_path, "expected a mapping, got %s",
                           ynode_kind_name(item->kind));
        if (build_object(ctx, spec->fields, item, item, item_path, secret,
                         &out->objects[i]) != 0)
            return -1;
    }
    out->count = n;
    return 0;
}

static int check_headers(build_ctx *ctx, const ynode *node, const char *path,
                         const opt_value *v)
{
    char reason[256];
    for (size_t i = 0; i < v->count; i++) {
        if (option_check_header(v->items[i], v->values[i], reason,
                                sizeof reason) != 0)
            return fail_at(ctx, node->pairs[i].key, path, "%s", reason);
    }
    return 0;
}

/* NAMED_OBJECT_LIST: each item's `name` once. */
static int check_unique_names(build_ctx *ctx, const ynode *node,
                              const char *path, const opt_value *v)
{
    nameset seen = NAMESET_INIT;
    int rc = 0;
    for (size_t i = 0; i < v->count && rc == 0; i++) {
        const char *name = options_string(v->objects[i], "name");
        size_t first;
        int found = name ? nameset_put(&seen, name, i, &first) : 0;
        if (found < 0)
            rc = fail_at(ctx, node, path, "out of memory");
        else if (found > 0)
            rc = fail_at(ctx, node->items[i], path,
                         "'%.200s' is listed twice (first at %s)", name,
                         v->objects[first]->location);
    }
    nameset_free(&seen);
    return rc;
}

static int convert_value(build_ctx *ctx, const nbaq_option_spec *spec,
                         const ynode *node, const char *path, int secret,
                         opt_value *out)
{
    secret = secret || spec->secret;
    if (is_scalar_type(spec->type))
        return convert_scalar(ctx, spec, node, path, secret, out);
    switch (spec->type) {
    case NBAQ_OPT_STRING_LIST:
        return convert_string_list(ctx, node, path, out);
    case NBAQ_OPT_STRING_MAP:
        return convert_string_map(ctx, node, path, out);
    case NBAQ_OPT_HTTP_HEADERS:
        return convert_string_map(ctx, node, path, out) != 0
                   ? -1
                   : check_headers(ctx, node, path, out);
    case NBAQ_OPT_NAMED_OBJECT_LIST:
        return convert_object_list(ctx, spec, node, path, secret, out) != 0
                   ? -1
                   : check_unique_names(ctx, node, path, out);
    case NBAQ_OPT_OBJECT:
        if (node->kind != YNODE_MAPPING)
            return fail_at(ctx, node, path, "expected a mapping, got %s",
                           ynode_kind_name(node->kind));
        out->objects = arena_alloc(ctx->mem, sizeof *out->objects);
        if (!out->objects)
            return fail_at(ctx, node, path, "out of memory");
        out->count = 1;
        return build_object(ctx, spec->fields, node, node, path, secret,
                            &out->objects[0]);
    case NBAQ_OPT_OBJECT_LIST:
        return convert_object_list(ctx, spec, node, path, secret, out);
    default:
        return fail_at(ctx, node, path, "unknown option type %d",
                       (int)spec->type);
    }
}

/* A default is the literal text for scalar types, YAML for the others. */
static int convert_default(build_ctx *ctx, const nbaq_option_spec *spec,
                           const char *path, int secret, opt_value *out)
{
    if (is_scalar_type(spec->type)) {
        ynode node = {0};
        node.kind = YNODE_SCALAR;
        node.file = "<default>";
        node.plain = 0;
        node.text = (char *)spec->default_value;
        return convert_scalar(ctx, spec, &node, path, secret || spec->secret,
                              out);
    }
    char reason[512];
    ydoc *doc =
        ydoc_load_string(spec->default_value, strlen(spec->default_value),
                         "<default>", 0, reason, sizeof reason);
    if (!doc)
        return fail_at(ctx, NULL, path, "default: %s", reason);
    int rc;
    if (!doc->root)
        rc = fail_at(ctx, NULL, path, "default is empty");
    else
        rc = convert_value(ctx, spec, doc->root, path, secret, out);
    ydoc_free(doc);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Objects                                                              */

static int reject_unknown(build_ctx *ctx, const nbaq_option_spec *specs,
                          size_t count, const ynode *key, const char *path)
{
    const char **names = malloc((count ? count : 1) * sizeof *names);
    const char *guess = NULL;
    if (names) {
        for (size_t i = 0; i < count; i++)
            names[i] = specs[i].name;
        guess = text_suggest(key->text, names, count);
        free(names);
    }
    char prefix[600] = "";
    if (path && *path)
        snprintf(prefix, sizeof prefix, "%s.", path);
    if (guess)
        return fail_at(ctx, key, NULL,
                       "unknown option '%s%s' (did you mean '%s%s'?)", prefix,
                       key->text, prefix, guess);
    if (count == 0 && !*prefix)
        return fail_at(ctx, key, NULL,
                       "unknown option '%s' (plugin '%s' takes no options)",
                       key->text, ctx->plugin);
    return fail_at(ctx, key, NULL, "unknown option '%s%s'", prefix, key->text);
}

static int build_object(build_ctx *ctx, const nbaq_option_spec *specs,
                        const ynode *mapping, const ynode *where,
                        const char *path, int secret, nbaq_options **out)
{
    size_t count = spec_count(specs);
    nbaq_options *o = arena_alloc(ctx->mem, sizeof *o);
    if (!o)
        return fail_at(ctx, where, path, "out of memory");
    o->specs = specs;
    o->count = count;
    o->plugin = ctx->plugin;
    o->values = arena_alloc(ctx->mem, (count ? count : 1) * sizeof *o->values);
    if (!o->values)
        return fail_at(ctx, where, path, "out of memory");
    char buf[512];
    o->location =
        mapping
            ? arena_strdup(ctx->mem, ynode_location(mapping, buf, sizeof buf))
            : "";
    if (mapping && mapping->kind != YNODE_MAPPING && !mapping->is_null)
        return fail_at(ctx, mapping, path, "expected a mapping, got %s",
                       ynode_kind_name(mapping->kind));
    for (size_t i = 0; mapping && i < mapping->count; i++) {
        const ynode *key = mapping->pairs[i].key;
        size_t s = 0;
        while (s < count && strcmp(specs[s].name, key->text) != 0)
            s++;
        if (s == count)
            return reject_unknown(ctx, specs, count, key, path);
        char child_path[512];
        snprintf(child_path, sizeof child_path, "%s%s%s", path,
                 *path ? "." : "", specs[s].name);
        opt_value *v = &o->values[s];
        if (convert_value(ctx, &specs[s], mapping->pairs[i].value, child_path,
                          secret, v) != 0)
            return -1;
        v->set = 1;
        v->location = arena_strdup(
            ctx->mem, ynode_location(mapping->pairs[i].value, buf, sizeof buf));
    }
    for (size_t s = 0; s < count; s++) {
        opt_value *v = &o->values[s];
        if (v->set)
            continue;
        char child_path[512];
        snprintf(child_path, sizeof child_path, "%s%s%s", path,
                 *path ? "." : "", specs[s].name);
        if (specs[s].default_value) {
            if (convert_default(ctx, &specs[s], child_path, secret, v) != 0)
                return -1;
            v->set = 1;
            v->location = "";
        } else if (specs[s].required) {
            return fail_at(ctx, where, NULL, "missing required option '%s'",
                           child_path);
        }
    }
    *out = o;
    return 0;
}

int options_build(arena *mem, const nbaq_option_spec *specs,
                  const ynode *mapping, const ynode *where, const char *owner,
                  const char *plugin, nbaq_options **out, char *err,
                  size_t err_size)
{
    build_ctx ctx = {mem, owner, plugin, err, err_size};
    return build_object(&ctx, specs, mapping, where ? where : mapping, "", 0,
                        out);
}

/* ------------------------------------------------------------------ */
/* Schema check                                                         */

static int is_option_name(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return 0;
    }
    return 1;
}

static int declares_string_name(const nbaq_option_spec *fields)
{
    for (size_t i = 0; fields[i].name; i++) {
        if (strcmp(fields[i].name, "name") == 0)
            return fields[i].type == NBAQ_OPT_STRING;
    }
    return 0;
}

static int check_specs(const nbaq_option_spec *specs, const char *plugin,
                       const char *path, const char *const *reserved, int depth,
                       char *err, size_t err_size)
{
    if (depth > 8)
        return err_set(err, err_size,
                       "bad option schema: nested too deeply "
                       "at '%s'",
                       path);
    for (size_t i = 0; specs[i].name; i++) {
        const nbaq_option_spec *s = &specs[i];
        char name[512];
        snprintf(name, sizeof name, "%s%s%.100s", path, *path ? "." : "",
                 s->name);
        if (!is_option_name(s->name))
            return err_set(err, err_size,
                           "bad option schema: option name '%.100s' must "
                           "match [A-Za-z0-9_-]+",
                           s->name);
        for (size_t j = 0; j < i; j++) {
            if (strcmp(specs[j].name, s->name) == 0)
                return err_set(err, err_size,
                               "bad option schema: option '%s' declared twice",
                               name);
        }
        for (size_t r = 0; reserved && reserved[r]; r++) {
            if (strcmp(reserved[r], s->name) == 0)
                return err_set(err, err_size,
                               "bad option schema: option '%s' is reserved "
                               "(the host adds it)",
                               name);
        }
        if (s->type < NBAQ_OPT_STRING || s->type > NBAQ_OPT_NAMED_OBJECT_LIST)
            return err_set(err, err_size,
                           "bad option schema: option '%s' has unknown type "
                           "%d",
                           name, (int)s->type);
        if (nbaq_option_has_min(s) && nbaq_option_has_max(s) && s->min > s->max)
            return err_set(err, err_size,
                           "bad option schema: option '%s' has min %g above "
                           "max %g (an unset bound is 0: write "
                           "NBAQ_NO_BOUND for a side without one)",
                           name, s->min, s->max);
        if (s->type == NBAQ_OPT_ENUM && (!s->choices || !s->choices[0]))
            return err_set(err, err_size,
                           "bad option schema: enum option '%s' has no "
                           "choices",
                           name);
        if (s->type == NBAQ_OPT_OBJECT || s->type == NBAQ_OPT_OBJECT_LIST ||
            s->type == NBAQ_OPT_NAMED_OBJECT_LIST) {
            if (!s->fields)
                return err_set(err, err_size,
                               "bad option schema: option '%s' has no "
                               "fields",
                               name);
            if (s->type == NBAQ_OPT_NAMED_OBJECT_LIST &&
                !declares_string_name(s->fields))
                return err_set(err, err_size,
                               "bad option schema: option '%s' lists named "
                               "objects, but its fields declare no string "
                               "'name'",
                               name);
            if (check_specs(s->fields, plugin, name, NULL, depth + 1, err,
                            err_size) != 0)
                return -1;
        }
        if (s->required && s->default_value)
            return err_set(err, err_size,
                           "bad option schema: option '%s' is required and "
                           "has a default",
                           name);
        if (s->default_value) {
            arena scratch = ARENA_INIT;
            char reason[1024];
            build_ctx ctx = {&scratch, "", plugin, reason, sizeof reason};
            opt_value v = {0};
            int rc = convert_default(&ctx, s, name, 0, &v);
            arena_free(&scratch);
            if (rc != 0)
                return err_set(err, err_size,
                               "bad option schema: the default does not "
                               "parse: %s",
                               reason);
        }
    }
    return 0;
}

int options_check_schema(const nbaq_option_spec *specs, const char *plugin,
                         const char *const *reserved, char *err,
                         size_t err_size)
{
    if (!specs)
        return 0;
    return check_specs(specs, plugin, "", reserved, 0, err, err_size);
}
