/* The accessors of nbaq_host_api over an nbaq_options tree, and the
 * names of option types: what a check's child needs of options.h, apart
 * from the builder (options.c), which the fork server does not link. */
#include "options.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "options_tree.h"
#include "plugin_bug.h"

const char *options_type_name(nbaq_option_type type)
{
    switch (type) {
    case NBAQ_OPT_STRING:
        return "string";
    case NBAQ_OPT_INT:
        return "int";
    case NBAQ_OPT_DOUBLE:
        return "double";
    case NBAQ_OPT_BOOL:
        return "bool";
    case NBAQ_OPT_DURATION:
        return "duration";
    case NBAQ_OPT_SIZE:
        return "size";
    case NBAQ_OPT_ENUM:
        return "enum";
    case NBAQ_OPT_STRING_LIST:
        return "string list";
    case NBAQ_OPT_STRING_MAP:
        return "string map";
    case NBAQ_OPT_OBJECT:
        return "object";
    case NBAQ_OPT_OBJECT_LIST:
        return "object list";
    case NBAQ_OPT_URL:
        return "url";
    case NBAQ_OPT_HTTP_HEADERS:
        return "http headers";
    case NBAQ_OPT_NAMED_OBJECT_LIST:
        return "object list, unique names";
    }
    return "?";
}

/* ------------------------------------------------------------------ */
/* Accessors                                                            */

static void ignore_bug(const char *message)
{
    (void)message;
}

static options_bug_fn bug_handler = ignore_bug;

void options_set_bug_handler(options_bug_fn handler)
{
    bug_handler = handler ? handler : ignore_bug;
}

#define TYPE_BIT(t) (1u << (t))
#define MAP_TYPES                                                              \
    (TYPE_BIT(NBAQ_OPT_STRING_MAP) | TYPE_BIT(NBAQ_OPT_HTTP_HEADERS))
#define LIST_OBJECT_TYPES                                                      \
    (TYPE_BIT(NBAQ_OPT_OBJECT_LIST) | TYPE_BIT(NBAQ_OPT_NAMED_OBJECT_LIST))

static void report_bug(const char *fmt, ...) NBAQ_PRINTF(1, 2);

static void report_bug(const char *fmt, ...)
{
    char message[PLUGIN_BUG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    plugin_bug_format(message, sizeof message, fmt, ap);
    va_end(ap);
    bug_handler(message);
}

static const opt_value *lookup(const nbaq_options *o, const char *name,
                               const char *accessor, unsigned types,
                               const nbaq_option_spec **spec_out)
{
    if (!o || !name) {
        report_bug("%s() called with a NULL %s", accessor,
                   o ? "name" : "options");
        return NULL;
    }
    for (size_t i = 0; i < o->count; i++) {
        if (strcmp(o->specs[i].name, name) != 0)
            continue;
        if (types && !(types & TYPE_BIT(o->specs[i].type))) {
            report_bug("%s() used on option '%.100s' of type %s", accessor,
                       name, options_type_name(o->specs[i].type));
            return NULL;
        }
        if (spec_out)
            *spec_out = &o->specs[i];
        return &o->values[i];
    }
    report_bug("%s(): option '%.100s' is not declared by plugin '%s'", accessor,
               name, o->plugin);
    return NULL;
}

static int index_ok(const opt_value *v, const char *accessor, const char *name,
                    size_t i)
{
    if (i < v->count)
        return 1;
    report_bug("%s(): index %zu out of range for option '%.100s' (%zu "
               "items)",
               accessor, i, name, v->count);
    return 0;
}

int options_is_set(const nbaq_options *o, const char *name)
{
    const opt_value *v = lookup(o, name, "opt_is_set", 0, NULL);
    return v ? v->set : 0;
}

const char *options_string(const nbaq_options *o, const char *name)
{
    const opt_value *v =
        lookup(o, name, "opt_string",
               TYPE_BIT(NBAQ_OPT_STRING) | TYPE_BIT(NBAQ_OPT_ENUM) |
                   TYPE_BIT(NBAQ_OPT_URL),
               NULL);
    return v && v->set ? v->text : NULL;
}

int64_t options_int(const nbaq_options *o, const char *name)
{
    const opt_value *v =
        lookup(o, name, "opt_int",
               TYPE_BIT(NBAQ_OPT_INT) | TYPE_BIT(NBAQ_OPT_DURATION) |
                   TYPE_BIT(NBAQ_OPT_SIZE),
               NULL);
    return v && v->set ? v->integer : 0;
}

double options_double(const nbaq_options *o, const char *name)
{
    const opt_value *v =
        lookup(o, name, "opt_double",
               TYPE_BIT(NBAQ_OPT_DOUBLE) | TYPE_BIT(NBAQ_OPT_INT), NULL);
    return v && v->set ? v->number : 0;
}

int options_bool(const nbaq_options *o, const char *name)
{
    const opt_value *v =
        lookup(o, name, "opt_bool", TYPE_BIT(NBAQ_OPT_BOOL), NULL);
    return v && v->set ? v->boolean : 0;
}

size_t options_count(const nbaq_options *o, const char *name)
{
    const opt_value *v = lookup(
        o, name, "opt_count",
        TYPE_BIT(NBAQ_OPT_STRING_LIST) | MAP_TYPES | LIST_OBJECT_TYPES, NULL);
    return v && v->set ? v->count : 0;
}

const char *options_list_string(const nbaq_options *o, const char *name,
                                size_t i)
{
    const opt_value *v = lookup(o, name, "opt_list_string",
                                TYPE_BIT(NBAQ_OPT_STRING_LIST), NULL);
    if (!v || !index_ok(v, "opt_list_string", name, i))
        return NULL;
    return v->items[i];
}

const char *options_map_key(const nbaq_options *o, const char *name, size_t i)
{
    const opt_value *v = lookup(o, name, "opt_map_key", MAP_TYPES, NULL);
    if (!v || !index_ok(v, "opt_map_key", name, i))
        return NULL;
    return v->items[i];
}

const char *options_map_value(const nbaq_options *o, const char *name, size_t i)
{
    const opt_value *v = lookup(o, name, "opt_map_value", MAP_TYPES, NULL);
    if (!v || !index_ok(v, "opt_map_value", name, i))
        return NULL;
    return v->values[i];
}

const nbaq_options *options_object(const nbaq_options *o, const char *name)
{
    const opt_value *v =
        lookup(o, name, "opt_object", TYPE_BIT(NBAQ_OPT_OBJECT), NULL);
    return v && v->set ? v->objects[0] : NULL;
}

const nbaq_options *options_list_object(const nbaq_options *o, const char *name,
                                        size_t i)
{
    const opt_value *v =
        lookup(o, name, "opt_list_object", LIST_OBJECT_TYPES, NULL);
    if (!v || !index_ok(v, "opt_list_object", name, i))
        return NULL;
    return v->objects[i];
}

const char *options_location(const nbaq_options *o, const char *name)
{
    if (!name)
        return o ? o->location : "";
    const opt_value *v = lookup(o, name, "opt_location", 0, NULL);
    return v && v->set ? v->location : "";
}
