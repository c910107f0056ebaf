#include "ydoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "nameset.h"
#include "strbuf.h"
#include "text.h"

/* Aliases may add this many nodes to those written in the file (alias
 * bombs); a large file of plain nodes is bounded by the file size. */
#define YDOC_MAX_ALIAS_NODES 200000
#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_FILE_BYTES (16 * 1024 * 1024)

typedef struct converter {
    ydoc *doc;
    yaml_document_t *source;
    int substitute_env;
    size_t node_count;
    size_t node_max; /* the file's own nodes + YDOC_MAX_ALIAS_NODES */
    char *err;
    size_t err_size;
} converter;

static int is_var_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_var_char(char c)
{
    return is_var_start(c) || (c >= '0' && c <= '9');
}

/* Expands one ${...} starting at p (pointing at '$'); advances *p. */
static int expand_variable(const char **p, strbuf *out, char *err,
                           size_t err_size)
{
    const char *s = *p + 2;
    const char *name = s;
    if (!is_var_start(*s))
        return err_set(err, err_size,
                       "bad variable reference: '${' must be followed by a "
                       "name ([A-Za-z_][A-Za-z0-9_]*); write $$ for a '$'");
    while (is_var_char(*s))
        s++;
    size_t name_len = (size_t)(s - name);
    const char *fallback = NULL;
    size_t fallback_len = 0;
    if (s[0] == ':' && s[1] == '-') {
        fallback = s + 2;
        const char *close = strchr(fallback, '}');
        if (!close)
            return err_set(err, err_size, "unterminated '${%.*s:-'",
                           (int)name_len, name);
        fallback_len = (size_t)(close - fallback);
        s = close;
    }
    if (*s != '}')
        return err_set(err, err_size,
                       "unterminated or bad variable reference '${%.*s'",
                       (int)name_len, name);
    char var[256];
    if (name_len >= sizeof var)
        return err_set(err, err_size, "variable name too long");
    memcpy(var, name, name_len);
    var[name_len] = '\0';
    const char *value = getenv(var);
    if (fallback && (!value || !*value))
        strbuf_append_len(out, fallback, fallback_len);
    else if (value)
        strbuf_append(out, value);
    else
        return err_set(err, err_size,
                       "environment variable '%s' is not set (write "
                       "${%s:-default} to give a default)",
                       var, var);
    *p = s + 1;
    return 0;
}

int env_substitute(const char *text, char **out, char *err, size_t err_size)
{
    strbuf sb = STRBUF_INIT;
    const char *p = text;
    while (*p) {
        const char *dollar = strchr(p, '$');
        if (!dollar) {
            strbuf_append(&sb, p);
            break;
        }
        strbuf_append_len(&sb, p, (size_t)(dollar - p));
        p = dollar;
        if (p[1] == '$') {
            strbuf_append_char(&sb, '$');
            p += 2;
        } else if (p[1] == '{') {
            if (expand_variable(&p, &sb, err, err_size) != 0) {
                strbuf_free(&sb);
                return -1;
            }
        } else {
            strbuf_append_char(&sb, '$');
            p++;
        }
    }
    *out = strbuf_take(&sb);
    if (!*out)
        return err_set(err, err_size, "out of memory");
    return 0;
}

const char *ynode_location(const ynode *node, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%u:%u", node->file, node->line, node->column);
    return buf;
}

static int convert_error(converter *cv, const yaml_node_t *node,
                         const char *what)
{
    return err_set(cv->err, cv->err_size, "%s:%lu:%lu: %s", cv->doc->file,
                   (unsigned long)node->start_mark.line + 1,
                   (unsigned long)node->start_mark.column + 1, what);
}

static ynode *convert_node(converter *cv, yaml_node_t *node, int depth);

static int convert_scalar(converter *cv, yaml_node_t *node, ynode *out)
{
    const char *raw = (const char *)node->data.scalar.value;
    size_t raw_len = node->data.scalar.length;
    if (memchr(raw, '\0', raw_len))
        return convert_error(cv, node, "NUL byte in a scalar");
    out->plain = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (out->plain &&
        (raw_len == 0 || strcmp(raw, "~") == 0 || strcasecmp(raw, "null") == 0))
        out->is_null = 1;
    if (!cv->substitute_env || !strchr(raw, '$')) {
        out->text = arena_strndup(&cv->doc->mem, raw, raw_len);
        return out->text ? 0 : convert_error(cv, node, "out of memory");
    }
    char reason[512];
    char *expanded = NULL;
    if (env_substitute(raw, &expanded, reason, sizeof reason) != 0)
        return convert_error(cv, node, reason);
    out->text = arena_strdup(&cv->doc->mem, expanded);
    free(expanded);
    return out->text ? 0 : convert_error(cv, node, "out of memory");
}

static int convert_sequence(converter *cv, yaml_node_t *node, ynode *out,
                            int depth)
{
    yaml_node_item_t *start = node->data.sequence.items.start;
    size_t n = (size_t)(node->data.sequence.items.top - start);
    out->items = arena_alloc(&cv->doc->mem, (n ? n : 1) * sizeof *out->items);
    if (!out->items)
        return convert_error(cv, node, "out of memory");
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *child = yaml_document_get_node(cv->source, start[i]);
        out->items[i] = convert_node(cv, child, depth + 1);
        if (!out->items[i])
            return -1;
    }
    out->count = n;
    return 0;
}

/* One key: value pair; keys indexes the keys seen so far. */
static int convert_pair(converter *cv, const yaml_node_pair_t *pair,
                        nameset *keys, ynode *out, int depth)
{
    yaml_node_t *key = yaml_document_get_node(cv->source, pair->key);
    yaml_node_t *value = yaml_document_get_node(cv->source, pair->value);
    if (key->type != YAML_SCALAR_NODE)
        return convert_error(cv, key, "a mapping key must be a scalar");
    ynode *k = convert_node(cv, key, depth + 1);
    if (!k)
        return -1;
    int seen = nameset_put(keys, k->text, out->count, NULL);
    if (seen < 0)
        return convert_error(cv, key, "out of memory");
    if (seen) {
        char msg[256];
        snprintf(msg, sizeof msg, "duplicate key '%.200s'", k->text);
        return convert_error(cv, key, msg);
    }
    ynode *v = convert_node(cv, value, depth + 1);
    if (!v)
        return -1;
    out->pairs[out->count].key = k;
    out->pairs[out->count].value = v;
    out->count++;
    return 0;
}

static int convert_mapping(converter *cv, yaml_node_t *node, ynode *out,
                           int depth)
{
    yaml_node_pair_t *start = node->data.mapping.pairs.start;
    size_t n = (size_t)(node->data.mapping.pairs.top - start);
    out->pairs = arena_alloc(&cv->doc->mem, (n ? n : 1) * sizeof *out->pairs);
    if (!out->pairs)
        return convert_error(cv, node, "out of memory");
    nameset keys = NAMESET_INIT;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = convert_pair(cv, &start[i], &keys, out, depth);
    nameset_free(&keys);
    return rc;
}

static ynode *convert_node(converter *cv, yaml_node_t *node, int depth)
{
    if (depth > YDOC_MAX_DEPTH) {
        convert_error(cv, node, "nested too deeply");
        return NULL;
    }
    if (++cv->node_count > cv->node_max) {
        convert_error(cv, node,
                      "document too large (aliases expand it by more than "
                      "200000 nodes)");
        return NULL;
    }
    ynode *out = arena_alloc(&cv->doc->mem, sizeof *out);
    if (!out) {
        convert_error(cv, node, "out of memory");
        return NULL;
    }
    out->file = cv->doc->file;
    out->line = (unsigned)node->start_mark.line + 1;
    out->column = (unsigned)node->start_mark.column + 1;
    int rc = 0;
    switch (node->type) {
    case YAML_SCALAR_NODE:
        out->kind = YNODE_SCALAR;
        rc = convert_scalar(cv, node, out);
        break;
    case YAML_SEQUENCE_NODE:
        out->kind = YNODE_SEQUENCE;
        rc = convert_sequence(cv, node, out, depth);
        break;
    case YAML_MAPPING_NODE:
        out->kind = YNODE_MAPPING;
        rc = convert_mapping(cv, node, out, depth);
        break;
    default:
        rc = convert_error(cv, node, "unsupported YAML node");
    }
    return rc == 0 ? out : NULL;
}

static void parser_error(const yaml_parser_t *parser, const char *file,
                         char *err, size_t err_size)
{
    const char *problem = parser->problem ? parser->problem : "syntax error";
    if (parser->context)
        err_set(err, err_size, "%s:%lu:%lu: YAML syntax error: %s %s", file,
                (unsigned long)parser->problem_mark.line + 1,
                (unsigned long)parser->problem_mark.column + 1, problem,
                parser->context);
    else
        err_set(err, err_size, "%s:%lu:%lu: YAML syntax error: %s", file,
                (unsigned long)parser->problem_mark.line + 1,
                (unsigned long)parser->problem_mark.column + 1, problem);
}

static int event_error(const char *file, const yaml_event_t *event,
                       const char *what, char *err, size_t err_size)
{
    return err_set(err, err_size, "%s:%lu:%lu: %s", file,
                   (unsigned long)event->start_mark.line + 1,
                   (unsigned long)event->start_mark.column + 1, what);
}

/* Checks one event of the pre-scan; 1 at the end of the stream. */
static int prescan_event(const char *file, const yaml_event_t *event,
                         int *depth, int *documents, char *err, size_t err_size)
{
    switch (event->type) {
    case YAML_STREAM_END_EVENT:
        return 1;
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1)
            return event_error(file, event,
                               "a second YAML document: the configuration "
                               "must be one document (remove the '---' "
                               "separator or what follows it)",
                               err, err_size);
        return 0;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++*depth > YDOC_MAX_DEPTH)
            return event_error(file, event, "nested too deeply", err, err_size);
        return 0;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        --*depth;
        return 0;
    default:
        return 0;
    }
}

/*
 * Walks the events once before libyaml builds the document: the depth cap
 * then applies before libyaml's composer recurses (and its scanner works
 * on deeply nested input), and a second document is an error rather than
 * silently ignored.
 */
static int prescan(const char *text, size_t len, const char *file, char *err,
                   size_t err_size)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return err_set(err, err_size, "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    int depth = 0, documents = 0, rc = 0;
    while (rc == 0) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            parser_error(&parser, file, err, err_size);
            rc = -1;
            break;
        }
        rc = prescan_event(file, &event, &depth, &documents, err, err_size);
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    return rc < 0 ? -1 : 0;
}

ydoc *ydoc_load_string(const char *text, size_t len, const char *name,
                       int substitute_env, char *err, size_t err_size)
{
    if (prescan(text, len, name, err, err_size) != 0)
        return NULL;
    ydoc *doc = calloc(1, sizeof *doc);
    if (!doc) {
        err_set(err, err_size, "out of memory");
        return NULL;
    }
    doc->file = arena_strdup(&doc->mem, name);
    yaml_parser_t parser;
    yaml_document_t source;
    if (!doc->file || !yaml_parser_initialize(&parser)) {
        err_set(err, err_size, "out of memory");
        ydoc_free(doc);
        return NULL;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &source)) {
        parser_error(&parser, doc->file, err, err_size);
        yaml_parser_delete(&parser);
        ydoc_free(doc);
        return NULL;
    }
    yaml_node_t *root = yaml_document_get_root_node(&source);
    int rc = 0;
    if (root) {
        size_t own = (size_t)(source.nodes.top - source.nodes.start);
        converter cv = {
            doc, &source, substitute_env, 0, own + YDOC_MAX_ALIAS_NODES,
            err, err_size};
        doc->root = convert_node(&cv, root, 0);
        rc = doc->root ? 0 : -1;
    }
    yaml_document_delete(&source);
    yaml_parser_delete(&parser);
    if (rc != 0) {
        ydoc_free(doc);
        return NULL;
    }
    return doc;
}

ydoc *ydoc_load_file(const char *path, int substitute_env, char *err,
                     size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, err_size, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        strbuf_append_len(&sb, chunk, n);
        if (sb.len > YDOC_MAX_FILE_BYTES)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error || sb.failed || sb.len > YDOC_MAX_FILE_BYTES) {
        err_set(err, err_size, "%s: %s", path,
                read_error ? "read error" : "file too large (16 MiB limit)");
        strbuf_free(&sb);
        return NULL;
    }
    ydoc *doc = ydoc_load_string(strbuf_cstr(&sb), sb.len, path, substitute_env,
                                 err, err_size);
    strbuf_free(&sb);
    return doc;
}

void ydoc_free(ydoc *doc)
{
    if (!doc)
        return;
    arena_free(&doc->mem);
    free(doc);
}

ynode *ynode_get(const ynode *mapping, const char *key)
{
    if (!mapping || mapping->kind != YNODE_MAPPING)
        return NULL;
    for (size_t i = 0; i < mapping->count; i++) {
        if (strcmp(mapping->pairs[i].key->text, key) == 0)
            return mapping->pairs[i].value;
    }
    return NULL;
}

const char *ynode_kind_name(ynode_kind kind)
{
    switch (kind) {
    case YNODE_SCALAR:
        return "a scalar";
    case YNODE_SEQUENCE:
        return "a list";
    case YNODE_MAPPING:
        return "a mapping";
    }
    return "?";
}
