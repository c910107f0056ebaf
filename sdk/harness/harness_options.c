#include "harness_options.h"

#include <stdio.h>
#include <string.h>

#include "options.h"
#include "text.h"

/* The file name of every node made from a --set: nodes that point at it
 * were written on the command line. */
static const char command_line[] = "command line";

/* The mapping being composed: the file's pairs, then the --set ones. */
typedef struct pair_list {
    arena *mem;
    ypair *pairs;
    size_t count;
} pair_list;

static ynode *new_node(arena *mem, ynode_kind kind, const char *text,
                       unsigned argument)
{
    ynode *n = arena_alloc(mem, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->file = command_line;
    n->line = argument;
    n->column = 1;
    if (text && !(n->text = arena_strdup(mem, text)))
        return NULL;
    return n;
}

/* Copies of arrays grown by one; the arena keeps the old ones. */
static void *grown_copy(arena *mem, const void *old, size_t count, size_t size)
{
    void *fresh = arena_alloc(mem, (count + 1) * size);
    if (fresh && count > 0)
        memcpy(fresh, old, count * size);
    return fresh;
}

static ypair *find_pair(const pair_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->pairs[i].key->text, name) == 0)
            return &list->pairs[i];
    return NULL;
}

static ypair *append_pair(pair_list *list, ynode *key, ynode *value)
{
    ypair *grown =
        grown_copy(list->mem, list->pairs, list->count, sizeof *grown);
    if (!grown)
        return NULL;
    list->pairs = grown;
    list->pairs[list->count] = (ypair){key, value};
    return &list->pairs[list->count++];
}

static int append_item(arena *mem, ynode *seq, ynode *item)
{
    ynode **grown = grown_copy(mem, seq->items, seq->count, sizeof *grown);
    if (!grown)
        return -1;
    seq->items = grown;
    seq->items[seq->count++] = item;
    return 0;
}

static int append_entry(arena *mem, ynode *map, ynode *key, ynode *value)
{
    ypair *grown = grown_copy(mem, map->pairs, map->count, sizeof *grown);
    if (!grown)
        return -1;
    map->pairs = grown;
    map->pairs[map->count++] = (ypair){key, value};
    return 0;
}

static const nbaq_option_spec *find_spec(const nbaq_option_spec *specs,
                                         const char *name)
{
    for (; specs && specs->name; specs++)
        if (strcmp(specs->name, name) == 0)
            return specs;
    return NULL;
}

static int is_map_type(nbaq_option_type t)
{
    return t == NBAQ_OPT_STRING_MAP || t == NBAQ_OPT_HTTP_HEADERS;
}

static int is_object_type(nbaq_option_type t)
{
    return t == NBAQ_OPT_OBJECT || t == NBAQ_OPT_OBJECT_LIST ||
           t == NBAQ_OPT_NAMED_OBJECT_LIST;
}

/* The node a --set adds its value to: the pair's value, replaced by a
 * fresh one when the pair came from the file (a --set wins over it). */
static ynode *container_for(pair_list *list, const char *name, ynode_kind kind,
                            unsigned argument)
{
    ypair *pair = find_pair(list, name);
    if (pair && pair->value->file == command_line && pair->value->kind == kind)
        return pair->value;
    ynode *value = new_node(list->mem, kind, NULL, argument);
    if (!value)
        return NULL;
    if (pair) {
        pair->value = value;
        return value;
    }
    ynode *key = new_node(list->mem, YNODE_SCALAR, name, argument);
    return key && append_pair(list, key, value) ? value : NULL;
}

static int set_fail(const harness_assignment *set, const char *owner, char *err,
                    size_t err_size, const char *what)
{
    return err_set(err, err_size, "%s:%u:1: %s: %s", command_line,
                   set->argument, owner, what);
}

/* One --set NAME=VALUE into the mapping, typed by the schema. */
static int apply_set(pair_list *list, const nbaq_option_spec *specs,
                     const harness_assignment *set, const char *owner,
                     char *err, size_t err_size)
{
    const char *eq = strchr(set->text, '=');
    if (!eq || eq == set->text)
        return set_fail(set, owner, err, err_size, "want --set NAME=VALUE");
    char *name = arena_strndup(list->mem, set->text, (size_t)(eq - set->text));
    const char *value = eq + 1;
    const nbaq_option_spec *spec = name ? find_spec(specs, name) : NULL;
    nbaq_option_type type = spec ? spec->type : NBAQ_OPT_STRING;
    if (is_object_type(type))
        return set_fail(set, owner, err, err_size,
                        "an object option is written in the options file");
    unsigned at = set->argument;
    if (type == NBAQ_OPT_STRING_LIST) {
        ynode *seq = container_for(list, name, YNODE_SEQUENCE, at);
        ynode *item = new_node(list->mem, YNODE_SCALAR, value, at);
        return seq && item ? append_item(list->mem, seq, item) : -1;
    }
    if (is_map_type(type)) {
        const char *kv = strchr(value, '=');
        if (!kv)
            return set_fail(set, owner, err, err_size,
                            "a map option wants --set NAME=key=value");
        ynode *map = container_for(list, name, YNODE_MAPPING, at);
        char *key_text = arena_strndup(list->mem, value, (size_t)(kv - value));
        ynode *key = new_node(list->mem, YNODE_SCALAR, key_text, at);
        ynode *item = new_node(list->mem, YNODE_SCALAR, kv + 1, at);
        return map && key && item ? append_entry(list->mem, map, key, item)
                                  : -1;
    }
    ynode *scalar = container_for(list, name, YNODE_SCALAR, at);
    if (!scalar || !(scalar->text = arena_strdup(list->mem, value)))
        return -1;
    return 0;
}

/* The file's document, whose root the --set arguments are added to. */
static int load_file(const char *file, ydoc **doc, char *err, size_t err_size)
{
    *doc = NULL;
    if (!file)
        return 0;
    *doc = ydoc_load_file(file, 1, err, err_size);
    return *doc ? 0 : -1;
}

int harness_options_build(arena *mem, ydoc **doc, const nbaq_option_spec *specs,
                          const char *owner, const char *plugin,
                          const char *file, const harness_assignment *sets,
                          size_t set_count, nbaq_options **out, char *err,
                          size_t err_size)
{
    if (load_file(file, doc, err, err_size) != 0)
        return -1;
    const ynode *root = *doc ? (*doc)->root : NULL;
    static const ynode nowhere = {.file = "<none>"};
    if (root && root->kind != YNODE_MAPPING && !root->is_null)
        return options_build(mem, specs, root, root, owner, plugin, out, err,
                             err_size);
    if (set_count == 0)
        return options_build(mem, specs, root, root ? root : &nowhere, owner,
                             plugin, out, err, err_size);
    pair_list list = {.mem = mem};
    for (size_t i = 0; root && i < root->count; i++)
        if (!append_pair(&list, root->pairs[i].key, root->pairs[i].value))
            return err_set(err, err_size, "out of memory");
    err[0] = '\0';
    for (size_t i = 0; i < set_count; i++) {
        if (apply_set(&list, specs, &sets[i], owner, err, err_size) != 0)
            return err[0] ? -1 : err_set(err, err_size, "out of memory");
    }
    ynode *mapping = new_node(mem, YNODE_MAPPING, NULL, sets[0].argument);
    if (!mapping)
        return err_set(err, err_size, "out of memory");
    if (root) {
        mapping->file = root->file;
        mapping->line = root->line;
        mapping->column = root->column;
    }
    mapping->pairs = list.pairs;
    mapping->count = list.count;
    return options_build(mem, specs, mapping, mapping, owner, plugin, out, err,
                         err_size);
}
