/*
 * ycompose.h - builds a ydoc tree straight from libyaml's events (no
 * libyaml document in between, so a file is held once, as the tree).
 *
 * Limits apply as the events arrive: at most YCOMPOSE_MAX_DEPTH nested
 * collections (the 65th is an error at its own position, before libyaml
 * reads further), aliases may add at most YCOMPOSE_MAX_ALIAS_NODES nodes
 * and never nest deeper than the limit once expanded, one document per
 * stream, scalar mapping keys only, no duplicate key in a mapping. An
 * alias shares the anchored subtree (the tree is a DAG; it is read-only).
 */
#ifndef NBAQ_CORE_YCOMPOSE_H
#define NBAQ_CORE_YCOMPOSE_H

#include <stddef.h>

#include "ydoc.h"

#define YCOMPOSE_MAX_DEPTH 64
#define YCOMPOSE_MAX_ALIAS_NODES 200000

/* Fills doc->root (NULL for an empty stream) from text; scalars are
 * copied into doc->mem, after ${VAR} substitution when substitute_env.
 * Returns 0, or -1 with err "file:line:column: what". */
int ycompose(ydoc *doc, const char *text, size_t len, int substitute_env,
             char *err, size_t err_size);

#endif
