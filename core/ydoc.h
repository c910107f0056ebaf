/*
 * ydoc.h - a YAML document as a small tree with source positions.
 *
 * The loader builds the tree from libyaml's events (ycompose.h): it
 * resolves anchors and aliases (an alias shares the anchored subtree),
 * rejects duplicate mapping keys, non-scalar keys, nesting deeper than 64
 * levels and a second document, bounds what aliases add (alias bombs),
 * and, when asked, substitutes environment variables in every scalar (keys
 * and values):
 *   ${VAR}           the variable's value; unset is an error
 *   ${VAR:-default}  the default when VAR is unset or empty
 *   $$               a literal '$'
 * A '$' not followed by '{' or '$' is kept as it is.
 *
 * Ownership: a ydoc owns every node and string in it (one arena); they live
 * until ydoc_free().
 */
#ifndef NBAQ_CORE_YDOC_H
#define NBAQ_CORE_YDOC_H

#include <stddef.h>

#include "arena.h"

typedef enum ynode_kind {
    YNODE_SCALAR = 0,
    YNODE_SEQUENCE,
    YNODE_MAPPING
} ynode_kind;

typedef struct ynode ynode;

typedef struct ypair {
    ynode *key; /* always a scalar */
    ynode *value;
} ypair;

struct ynode {
    ynode_kind kind;
    const char *file; /* the document's file name                       */
    unsigned line;    /* 1-based                                         */
    unsigned column;  /* 1-based                                         */
    int plain;        /* scalar written without quotes                   */
    int is_null;      /* plain "", "~", "null" (any case)                */
    char *text;       /* SCALAR: after substitution                      */
    size_t count;     /* SEQUENCE items or MAPPING pairs                 */
    ynode **items;
    ypair *pairs;
};

typedef struct ydoc {
    arena mem;
    char *file;
    ynode *root; /* NULL for an empty document                           */
} ydoc;

/* Loads a file. On error returns NULL and fills err with
 * "file:line:column: what" (YAML syntax, unset variable, ...). */
ydoc *ydoc_load_file(const char *path, int substitute_env, char *err,
                     size_t err_size);
/* Loads text (a plugin's default value, a test); name stands for the file
 * in locations. */
ydoc *ydoc_load_string(const char *text, size_t len, const char *name,
                       int substitute_env, char *err, size_t err_size);
void ydoc_free(ydoc *doc);

/* "file:line:column" of a node into buf; returns buf. */
const char *ynode_location(const ynode *node, char *buf, size_t size);
/* The value of key in a mapping; NULL when absent or node is no mapping. */
ynode *ynode_get(const ynode *mapping, const char *key);
/* "a scalar", "a list", "a mapping": for "expected X, got Y" messages. */
const char *ynode_kind_name(ynode_kind kind);

/* The substitution alone (used by ydoc and by tests): expands text into a
 * new malloc'd string (*out, caller frees). On error returns -1 with err
 * naming the variable (without location). */
int env_substitute(const char *text, char **out, char *err, size_t err_size);

#endif
