/*
 * options_wire.h - an nbaq_options tree as bytes (wire.h), so that a check
 * child started by a fork server, which never saw the config, gets the
 * options the host validated.
 */
#ifndef NBAQ_CORE_OPTIONS_WIRE_H
#define NBAQ_CORE_OPTIONS_WIRE_H

#include "arena.h"
#include "nbaq.h"
#include "textbuf.h"
#include "wire.h"

/* Appends o (NULL: none) to out. */
void options_encode(textbuf *out, const nbaq_options *o);

/* Rebuilds what options_encode wrote, against specs: the same schema of
 * the same plugin file, as loaded by the process that decodes. Strings
 * point into the reader's buffer, which must outlive the tree; the tree is
 * allocated in mem (in a check's child, never freed: it exits). Returns NULL
 * with r->bad set on malformed input or a schema of another shape, NULL without
 * it for no options. */
const nbaq_options *options_decode(arena *mem, wire_reader *r,
                                   const nbaq_option_spec *specs,
                                   const char *plugin);

#endif
