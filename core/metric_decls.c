#include "metric_decls.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "options.h"
#include "textbuf.h"
#include "text.h"

enum { PLACEHOLDER_PART_MAX = 128 };

/* One placeholder, parsed: {name}, {name.field}, {name|text}, {name=text}. */
typedef struct placeholder {
    char name[PLACEHOLDER_PART_MAX];
    char field[PLACEHOLDER_PART_MAX]; /* "" when none                     */
    char op;                          /* '\0', '|' or '='                 */
    char text[PLACEHOLDER_PART_MAX];
    size_t length; /* of the placeholder in the pattern, braces included  */
} placeholder;

static size_t word_length(const char *s)
{
    size_t n = 0;
    while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
           s[n] == '_')
        n++;
    return n;
}

static int copy_part(char *dst, const char *src, size_t len)
{
    if (len == 0 || len >= PLACEHOLDER_PART_MAX)
        return -1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return 0;
}

/* Parses the placeholder at s ('{'). Returns 0, or -1 with a reason. */
static int placeholder_parse(const char *s, placeholder *ph,
                             const char **reason)
{
    memset(ph, 0, sizeof *ph);
    const char *p = s + 1;
    size_t n = word_length(p);
    *reason = "a placeholder must start with an option name";
    if (copy_part(ph->name, p, n) != 0)
        return -1;
    p += n;
    if (*p == '.') {
        n = word_length(++p);
        *reason = "a placeholder's field must be a name";
        if (copy_part(ph->field, p, n) != 0)
            return -1;
        p += n;
    }
    if (*p == '|' || *p == '=') {
        ph->op = *p++;
        n = strcspn(p, "}");
        *reason = "a placeholder's text is too long";
        if (n >= PLACEHOLDER_PART_MAX)
            return -1;
        memcpy(ph->text, p, n);
        p += n;
    }
    *reason = "a placeholder is not closed with '}'";
    if (*p != '}')
        return -1;
    ph->length = (size_t)(p + 1 - s);
    return 0;
}

static const nbaq_option_spec *spec_find(const nbaq_option_spec *specs,
                                         const char *name)
{
    for (size_t i = 0; specs && specs[i].name; i++) {
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    }
    return NULL;
}

static int is_text_type(nbaq_option_type t)
{
    return t == NBAQ_OPT_STRING || t == NBAQ_OPT_ENUM ||
           t == NBAQ_OPT_STRING_LIST || t == NBAQ_OPT_BOOL ||
           t == NBAQ_OPT_STRING_MAP;
}

static int is_object_type(nbaq_option_type t)
{
    return t == NBAQ_OPT_OBJECT || t == NBAQ_OPT_OBJECT_LIST ||
           t == NBAQ_OPT_NAMED_OBJECT_LIST;
}

/* The spec a placeholder reads its values from; NULL with a reason. */
static const nbaq_option_spec *placeholder_spec(const nbaq_option_spec *specs,
                                                const placeholder *ph,
                                                const char **reason)
{
    const nbaq_option_spec *s = spec_find(specs, ph->name);
    *reason = "names no option of the plugin";
    if (!s)
        return NULL;
    /* Declared names end up in messages and listings. */
    *reason = "names a secret option";
    if (s->secret)
        return NULL;
    if (!ph->field[0]) {
        *reason = "names an option that is not a string, enum, bool, string "
                  "list or string map";
        return is_text_type(s->type) ? s : NULL;
    }
    *reason = "names a field of an option that is not an object (list)";
    if (!is_object_type(s->type))
        return NULL;
    const nbaq_option_spec *f = spec_find(s->fields, ph->field);
    *reason = "names no field of that option, or one that is not a string, "
              "enum, bool, string list or string map";
    if (!f || !is_text_type(f->type))
        return NULL;
    *reason = "names a secret option";
    return f->secret ? NULL : s;
}

static int check_pattern(const char *pattern, const nbaq_option_spec *specs,
                         char *err, size_t err_size)
{
    if (!pattern[0])
        return err_set(err, err_size, "a metric pattern is empty");
    for (const char *s = pattern; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            continue;
        }
        if (*s != '{')
            continue;
        placeholder ph;
        const char *reason;
        if (placeholder_parse(s, &ph, &reason) != 0 ||
            !placeholder_spec(specs, &ph, &reason))
            return err_set(err, err_size,
                           "metric pattern '%.200s': placeholder at byte %zu "
                           "%s",
                           pattern, (size_t)(s - pattern), reason);
        s += ph.length - 1;
    }
    return 0;
}

int metric_decls_check_schema(const nbaq_metric_decl *decls,
                              const nbaq_option_spec *specs, char *err,
                              size_t err_size)
{
    for (size_t i = 0; decls && decls[i].pattern; i++) {
        if (check_pattern(decls[i].pattern, specs, err, err_size) != 0)
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Expansion                                                                 */

typedef struct value_set {
    const char **items;
    size_t count, cap;
    int failed;
} value_set;

static void values_add(value_set *v, const char *text)
{
    const char **grown =
        grow_for_one(v->items, &v->cap, v->count, sizeof *v->items, 8);
    if (!grown) {
        v->failed = 1;
        return;
    }
    v->items = grown;
    v->items[v->count++] = text;
}

/* Values of the text option name of o (STRING, ENUM, STRING_LIST). */
static void values_of_text(const nbaq_option_spec *spec, const nbaq_options *o,
                           const char *name, value_set *v)
{
    if (!o || !options_is_set(o, name))
        return;
    if (spec->type == NBAQ_OPT_BOOL) {
        values_add(v, options_bool(o, name) ? "true" : "false");
        return;
    }
    if (spec->type != NBAQ_OPT_STRING_LIST &&
        spec->type != NBAQ_OPT_STRING_MAP) {
        values_add(v, options_string(o, name));
        return;
    }
    size_t n = options_count(o, name);
    for (size_t i = 0; i < n; i++)
        values_add(v, spec->type == NBAQ_OPT_STRING_MAP
                          ? options_map_key(o, name, i)
                          : options_list_string(o, name, i));
}

static void values_collect(const nbaq_option_spec *spec, const nbaq_options *o,
                           const placeholder *ph, value_set *v)
{
    if (!ph->field[0]) {
        values_of_text(spec, o, ph->name, v);
        return;
    }
    const nbaq_option_spec *field = spec_find(spec->fields, ph->field);
    if (spec->type == NBAQ_OPT_OBJECT) {
        values_of_text(field, options_object(o, ph->name), ph->field, v);
        return;
    }
    size_t n = options_count(o, ph->name);
    for (size_t i = 0; i < n; i++)
        values_of_text(field, options_list_object(o, ph->name, i), ph->field,
                       v);
}

/* Applies the placeholder's operator to the collected values. */
static void values_apply_op(const placeholder *ph, value_set *v)
{
    if (ph->op == '|' && v->count == 0) {
        values_add(v, ph->text);
    } else if (ph->op == '=') {
        int found = 0;
        for (size_t i = 0; i < v->count; i++)
            found |= fnmatch(ph->text, v->items[i], 0) == 0;
        v->count = 0;
        if (found)
            values_add(v, "");
    }
}

typedef struct expansion {
    arena *mem;
    const nbaq_option_spec *specs;
    const nbaq_options *opts;
    int stars;   /* every placeholder becomes `*`                    */
    size_t base; /* patterns before the declaration being expanded  */
    char **out;
    size_t count, cap;
    int failed, overflow;
} expansion;

static void append_escaped(textbuf *sb, const char *text)
{
    for (; *text; text++) {
        if (*text == '*' || *text == '\\' || *text == '{')
            textbuf_putc(sb, '\\');
        textbuf_putc(sb, *text);
    }
}

static void emit(expansion *x, const textbuf *sb)
{
    if (x->count - x->base >= METRIC_DECLS_EXPANSION_MAX) {
        x->overflow = 1;
        return;
    }
    char **grown = grow_for_one(x->out, &x->cap, x->count, sizeof *x->out, 8);
    char *copy = arena_strdup(x->mem, textbuf_cstr(sb));
    if (!grown || !copy || sb->failed) {
        x->failed = 1;
        return;
    }
    x->out = grown;
    x->out[x->count++] = copy;
}

static void expand_from(expansion *x, const char *rest, const textbuf *prefix);

static void expand_placeholder(expansion *x, const placeholder *ph,
                               const char *rest, const textbuf *prefix)
{
    value_set v = {0};
    if (x->stars) {
        values_add(&v, "*");
    } else {
        const char *reason;
        const nbaq_option_spec *spec = placeholder_spec(x->specs, ph, &reason);
        if (spec)
            values_collect(spec, x->opts, ph, &v);
        values_apply_op(ph, &v);
    }
    x->failed |= v.failed;
    for (size_t i = 0; i < v.count && !x->failed && !x->overflow; i++) {
        textbuf next = TEXTBUF_INIT;
        textbuf_puts(&next, textbuf_cstr(prefix));
        if (x->stars)
            textbuf_puts(&next, "*");
        else
            append_escaped(&next, v.items[i]);
        expand_from(x, rest, &next);
        textbuf_free(&next);
    }
    free(v.items);
}

static void expand_from(expansion *x, const char *rest, const textbuf *prefix)
{
    textbuf sb = TEXTBUF_INIT;
    textbuf_puts(&sb, textbuf_cstr(prefix));
    for (const char *s = rest; *s; s++) {
        placeholder ph;
        const char *reason;
        if (*s == '\\' && s[1]) {
            textbuf_append(&sb, s++, 2);
        } else if (*s == '{' && placeholder_parse(s, &ph, &reason) == 0) {
            expand_placeholder(x, &ph, s + ph.length, &sb);
            textbuf_free(&sb);
            return;
        } else {
            textbuf_putc(&sb, *s);
        }
    }
    emit(x, &sb);
    textbuf_free(&sb);
}

static void expand_one(expansion *x, const char *pattern)
{
    textbuf empty = TEXTBUF_INIT;
    x->base = x->count;
    x->stars = 0;
    x->overflow = 0;
    expand_from(x, pattern, &empty);
    if (x->overflow) {
        x->count = x->base;
        x->stars = 1;
        x->overflow = 0;
        expand_from(x, pattern, &empty);
    }
}

int metric_decls_expand(arena *mem, const nbaq_metric_decl *decls,
                        const nbaq_option_spec *specs, const nbaq_options *opts,
                        char ***out, size_t *count)
{
    expansion x = {.mem = mem, .specs = specs, .opts = opts};
    for (size_t i = 0; decls && decls[i].pattern && !x.failed; i++)
        expand_one(&x, decls[i].pattern);
    if (x.failed) {
        free(x.out);
        return -1;
    }
    /* The caller's copy lives in mem, like the strings. */
    char **kept = arena_alloc(mem, (x.count ? x.count : 1) * sizeof *kept);
    if (!kept) {
        free(x.out);
        return -1;
    }
    if (x.count)
        memcpy(kept, x.out, x.count * sizeof *kept);
    free(x.out);
    *out = kept;
    *count = x.count;
    return 0;
}
