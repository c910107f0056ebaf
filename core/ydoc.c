#include "ydoc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "textbuf.h"
#include "ycompose.h"
#include "text.h"

#define YDOC_MAX_FILE_BYTES (16 * 1024 * 1024)

static int is_var_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_var_char(char c)
{
    return is_var_start(c) || (c >= '0' && c <= '9');
}

/* Expands one ${...} starting at p (pointing at '$'); advances *p. */
static int expand_variable(const char **p, textbuf *out, char *err,
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
        textbuf_append(out, fallback, fallback_len);
    else if (value)
        textbuf_puts(out, value);
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
    textbuf sb = TEXTBUF_INIT;
    const char *p = text;
    while (*p) {
        const char *dollar = strchr(p, '$');
        if (!dollar) {
            textbuf_puts(&sb, p);
            break;
        }
        textbuf_append(&sb, p, (size_t)(dollar - p));
        p = dollar;
        if (p[1] == '$') {
            textbuf_putc(&sb, '$');
            p += 2;
        } else if (p[1] == '{') {
            if (expand_variable(&p, &sb, err, err_size) != 0) {
                textbuf_free(&sb);
                return -1;
            }
        } else {
            textbuf_putc(&sb, '$');
            p++;
        }
    }
    *out = textbuf_take(&sb);
    if (!*out)
        return err_set(err, err_size, "out of memory");
    return 0;
}

const char *ynode_location(const ynode *node, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%u:%u", node->file, node->line, node->column);
    return buf;
}

ydoc *ydoc_load_string(const char *text, size_t len, const char *name,
                       int substitute_env, char *err, size_t err_size)
{
    ydoc *doc = calloc(1, sizeof *doc);
    if (!doc || !(doc->file = arena_strdup(&doc->mem, name))) {
        err_set(err, err_size, "out of memory");
        ydoc_free(doc);
        return NULL;
    }
    if (ycompose(doc, text, len, substitute_env, err, err_size) != 0) {
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
    textbuf sb = TEXTBUF_INIT;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        textbuf_append(&sb, chunk, n);
        if (sb.len > YDOC_MAX_FILE_BYTES)
            break;
    }
    int read_error = ferror(f);
    fclose(f);
    if (read_error || sb.failed || sb.len > YDOC_MAX_FILE_BYTES) {
        err_set(err, err_size, "%s: %s", path,
                read_error ? "read error" : "file too large (16 MiB limit)");
        textbuf_free(&sb);
        return NULL;
    }
    ydoc *doc = ydoc_load_string(textbuf_cstr(&sb), sb.len, path,
                                 substitute_env, err, err_size);
    textbuf_free(&sb);
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
