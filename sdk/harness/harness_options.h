/*
 * harness_options.h - the options of the one plugin instance that
 * nbaq-plugin-test runs, validated by the host's own options_build().
 *
 * They come from an options file (a YAML mapping, what a config writes
 * under `options:`) and from `--set NAME=VALUE` arguments, which replace
 * the file's option of that name. A --set value is typed by the plugin's
 * schema, not by YAML: a scalar option takes the text as written; a
 * STRING_LIST option takes one item per --set; a STRING_MAP or
 * HTTP_HEADERS option takes NAME=key=value, one entry per --set. Object
 * options are written in the file. Errors name the file:line:column, or
 * "command line:<argument number>:1" for a --set.
 *
 * Ownership: the options live in mem (and in the file's YAML document,
 * kept in *doc); both stay valid until the caller frees them
 * (arena_free, ydoc_free).
 */
#ifndef NBAQ_HARNESS_OPTIONS_H
#define NBAQ_HARNESS_OPTIONS_H

#include <stddef.h>

#include "arena.h"
#include "nbaq.h"
#include "ydoc.h"

typedef struct harness_assignment {
    const char *text;  /* "NAME=VALUE"                                     */
    unsigned argument; /* its place on the command line, for locations  */
} harness_assignment;

/* specs: the plugin's schema (with output/output_dir for a writing
 * reporter). owner: "check 'x'" or "reporter 'x'". file may be NULL.
 * Returns 0 and *out, or -1 with err. */
int harness_options_build(arena *mem, ydoc **doc, const nbaq_option_spec *specs,
                          const char *owner, const char *plugin,
                          const char *file, const harness_assignment *sets,
                          size_t set_count, nbaq_options **out, char *err,
                          size_t err_size);

#endif
