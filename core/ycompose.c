#include "ycompose.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "grow.h"
#include "nameset.h"
#include "text.h"

/* A collection being built. A mapping's children alternate key, value. */
typedef struct frame {
    ynode *node;
    ynode **children;
    size_t count, cap;
    nameset keys;    /* mapping: the keys so far                     */
    char *anchor;    /* registered once the collection is complete   */
    size_t weight;   /* nodes in the subtree, aliases expanded       */
    unsigned height; /* collections nested inside, itself included   */
} frame;

typedef struct anchor {
    char *name;
    ynode *node;
    size_t weight;
    unsigned height;
} anchor;

typedef struct composer {
    ydoc *doc;
    int substitute_env;
    frame stack[YCOMPOSE_MAX_DEPTH];
    int depth; /* frames in use */
    anchor *anchors;
    size_t anchor_count, anchor_cap;
    nameset anchor_index;
    size_t alias_nodes; /* nodes added by aliases so far */
    int documents;
    char *err;
    size_t err_size;
} composer;

static int fail_at(composer *c, const yaml_mark_t *mark, const char *what)
{
    return err_set(c->err, c->err_size, "%s:%lu:%lu: %s", c->doc->file,
                   (unsigned long)mark->line + 1,
                   (unsigned long)mark->column + 1, what);
}

static int fail_node(composer *c, const ynode *node, const char *what)
{
    return err_set(c->err, c->err_size, "%s:%u:%u: %s", c->doc->file,
                   node->line, node->column, what);
}

static ynode *new_node(composer *c, ynode_kind kind, const yaml_mark_t *mark)
{
    ynode *n = arena_alloc(&c->doc->mem, sizeof *n);
    if (!n)
        return NULL;
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->file = c->doc->file;
    n->line = (unsigned)mark->line + 1;
    n->column = (unsigned)mark->column + 1;
    return n;
}

static int scalar_text(composer *c, const yaml_event_t *e, ynode *out)
{
    const char *raw = (const char *)e->data.scalar.value;
    size_t raw_len = e->data.scalar.length;
    if (memchr(raw, '\0', raw_len))
        return fail_at(c, &e->start_mark, "NUL byte in a scalar");
    out->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (out->plain &&
        (raw_len == 0 || strcmp(raw, "~") == 0 || strcasecmp(raw, "null") == 0))
        out->is_null = 1;
    if (!c->substitute_env || !strchr(raw, '$')) {
        out->text = arena_strndup(&c->doc->mem, raw, raw_len);
        return out->text ? 0 : fail_at(c, &e->start_mark, "out of memory");
    }
    char reason[512];
    char *expanded = NULL;
    if (env_substitute(raw, &expanded, reason, sizeof reason) != 0)
        return fail_at(c, &e->start_mark, reason);
    out->text = arena_strdup(&c->doc->mem, expanded);
    free(expanded);
    return out->text ? 0 : fail_at(c, &e->start_mark, "out of memory");
}

static int remember_anchor(composer *c, const char *name, ynode *node,
                           size_t weight, unsigned height)
{
    if (!name)
        return 0;
    size_t i;
    if (nameset_get(&c->anchor_index, name, &i)) {
        /* A later anchor of the same name replaces the earlier one. */
        c->anchors[i].node = node;
        c->anchors[i].weight = weight;
        c->anchors[i].height = height;
        return 0;
    }
    anchor *grown = grow_for_one(c->anchors, &c->anchor_cap, c->anchor_count,
                                 sizeof *grown, 8);
    if (!grown)
        return -1;
    c->anchors = grown;
    anchor *a = &c->anchors[c->anchor_count];
    if (!(a->name = strdup(name)))
        return -1;
    a->node = node;
    a->weight = weight;
    a->height = height;
    if (nameset_put(&c->anchor_index, a->name, c->anchor_count, NULL) < 0) {
        free(a->name);
        return -1;
    }
    c->anchor_count++;
    return 0;
}

static int grow_children(frame *f)
{
    ynode **grown =
        grow_for_one(f->children, &f->cap, f->count, sizeof *grown, 8);
    if (!grown)
        return -1;
    f->children = grown;
    return 0;
}

/* Hands a finished node to the open collection (or makes it the root).
 * Errors name mark, or the node's own place when mark is NULL. */
static int attach(composer *c, ynode *node, size_t weight, unsigned height,
                  const yaml_mark_t *mark)
{
    char msg[256];
    if (c->depth == 0) {
        c->doc->root = node;
        return 0;
    }
    frame *f = &c->stack[c->depth - 1];
    int is_key = f->node->kind == YNODE_MAPPING && f->count % 2 == 0;
    if (is_key && node->kind != YNODE_SCALAR)
        snprintf(msg, sizeof msg, "a mapping key must be a scalar");
    else if (is_key &&
             nameset_put(&f->keys, node->text, f->count / 2, NULL) != 0)
        snprintf(msg, sizeof msg, "duplicate key '%.200s'", node->text);
    else if (f->count == f->cap && grow_children(f) != 0)
        snprintf(msg, sizeof msg, "out of memory");
    else
        msg[0] = '\0';
    if (msg[0])
        return mark ? fail_at(c, mark, msg) : fail_node(c, node, msg);
    f->children[f->count++] = node;
    f->weight += weight;
    if (height + 1 > f->height)
        f->height = height + 1;
    return 0;
}

static int open_collection(composer *c, const yaml_event_t *e, ynode_kind kind,
                           const yaml_char_t *anchor_name)
{
    if (c->depth >= YCOMPOSE_MAX_DEPTH)
        return fail_at(c, &e->start_mark, "nested too deeply");
    if (c->depth > 0) {
        const frame *parent = &c->stack[c->depth - 1];
        if (parent->node->kind == YNODE_MAPPING && parent->count % 2 == 0)
            return fail_at(c, &e->start_mark, "a mapping key must be a scalar");
    }
    ynode *node = new_node(c, kind, &e->start_mark);
    if (!node)
        return fail_at(c, &e->start_mark, "out of memory");
    frame *f = &c->stack[c->depth];
    memset(f, 0, sizeof *f);
    f->node = node;
    f->weight = 1;
    f->height = 1;
    if (anchor_name && !(f->anchor = strdup((const char *)anchor_name)))
        return fail_at(c, &e->start_mark, "out of memory");
    c->depth++;
    return 0;
}

static void frame_free(frame *f)
{
    free(f->children);
    free(f->anchor);
    nameset_free(&f->keys);
}

/* Moves the children into the arena as the node's items or pairs. */
static int close_collection(composer *c, const yaml_event_t *e)
{
    frame *f = &c->stack[c->depth - 1];
    ynode *node = f->node;
    int rc = 0;
    if (node->kind == YNODE_SEQUENCE) {
        node->count = f->count;
        node->items = arena_alloc(&c->doc->mem,
                                  (f->count ? f->count : 1) * sizeof(ynode *));
        if (node->items && f->count > 0)
            memcpy(node->items, f->children, f->count * sizeof(ynode *));
        else if (!node->items)
            rc = -1;
    } else {
        node->count = f->count / 2;
        node->pairs =
            arena_alloc(&c->doc->mem,
                        (node->count ? node->count : 1) * sizeof *node->pairs);
        for (size_t i = 0; node->pairs && i < node->count; i++)
            node->pairs[i] =
                (ypair){f->children[2 * i], f->children[2 * i + 1]};
        rc = node->pairs ? 0 : -1;
    }
    if (rc == 0)
        rc = remember_anchor(c, f->anchor, node, f->weight, f->height);
    size_t weight = f->weight;
    unsigned height = f->height;
    frame_free(f);
    c->depth--;
    if (rc != 0)
        return fail_at(c, &e->start_mark, "out of memory");
    return attach(c, node, weight, height, NULL);
}

static int take_scalar(composer *c, const yaml_event_t *e)
{
    ynode *node = new_node(c, YNODE_SCALAR, &e->start_mark);
    if (!node)
        return fail_at(c, &e->start_mark, "out of memory");
    if (scalar_text(c, e, node) != 0)
        return -1;
    if (remember_anchor(c, (const char *)e->data.scalar.anchor, node, 1, 0) !=
        0)
        return fail_at(c, &e->start_mark, "out of memory");
    return attach(c, node, 1, 0, &e->start_mark);
}

/* An alias shares the anchored node; it counts as the nodes it expands to. */
static int take_alias(composer *c, const yaml_event_t *e)
{
    size_t i;
    if (!nameset_get(&c->anchor_index, (const char *)e->data.alias.anchor, &i))
        return fail_at(c, &e->start_mark,
                       "unknown alias (an anchor must be complete before "
                       "it is used)");
    const anchor *a = &c->anchors[i];
    if ((unsigned)c->depth + a->height > YCOMPOSE_MAX_DEPTH)
        return fail_at(c, &e->start_mark, "nested too deeply");
    c->alias_nodes += a->weight;
    if (c->alias_nodes > YCOMPOSE_MAX_ALIAS_NODES)
        return fail_at(c, &e->start_mark,
                       "document too large (aliases expand it by more than "
                       "200000 nodes)");
    return attach(c, a->node, a->weight, a->height, &e->start_mark);
}

/* One event; 1 at the end of the stream. */
static int take_event(composer *c, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (++c->documents > 1)
            return fail_at(c, &e->start_mark,
                           "a second YAML document: the configuration must "
                           "be one document (remove the '---' separator or "
                           "what follows it)");
        return 0;
    case YAML_SCALAR_EVENT:
        return take_scalar(c, e);
    case YAML_ALIAS_EVENT:
        return take_alias(c, e);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection(c, e, YNODE_SEQUENCE,
                               e->data.sequence_start.anchor);
    case YAML_MAPPING_START_EVENT:
        return open_collection(c, e, YNODE_MAPPING,
                               e->data.mapping_start.anchor);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(c, e);
    default:
        return 0;
    }
}

static void parser_error(composer *c, const yaml_parser_t *parser)
{
    const char *problem = parser->problem ? parser->problem : "syntax error";
    err_set(c->err, c->err_size, "%s:%lu:%lu: YAML syntax error: %s%s%s",
            c->doc->file, (unsigned long)parser->problem_mark.line + 1,
            (unsigned long)parser->problem_mark.column + 1, problem,
            parser->context ? " " : "", parser->context ? parser->context : "");
}

static void composer_free(composer *c)
{
    while (c->depth > 0)
        frame_free(&c->stack[--c->depth]);
    for (size_t i = 0; i < c->anchor_count; i++)
        free(c->anchors[i].name);
    free(c->anchors);
    nameset_free(&c->anchor_index);
}

int ycompose(ydoc *doc, const char *text, size_t len, int substitute_env,
             char *err, size_t err_size)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return err_set(err, err_size, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    composer *c = calloc(1, sizeof *c);
    if (!c) {
        yaml_parser_delete(&parser);
        return err_set(err, err_size, "out of memory");
    }
    c->doc = doc;
    c->substitute_env = substitute_env;
    c->err = err;
    c->err_size = err_size;
    int rc = 0;
    while (rc == 0) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            parser_error(c, &parser);
            rc = -1;
            break;
        }
        rc = take_event(c, &event);
        yaml_event_delete(&event);
    }
    composer_free(c);
    free(c);
    yaml_parser_delete(&parser);
    if (rc < 0)
        doc->root = NULL;
    return rc < 0 ? -1 : 0;
}
