/*
 * options.h - a plugin instance's options, validated against the plugin's
 * option schema (nbaq_option_spec), and the accessors of the host API.
 *
 * options_build() turns the YAML `options:` mapping of one check or
 * reporter into an nbaq_options tree: unknown keys (with a suggestion),
 * missing required options, wrong types, values outside min/max and enum
 * choices are errors naming file:line:column and the instance. Defaults are
 * written as YAML text in the schema and parsed exactly like config values.
 * Values of options declared secret are never put into messages.
 *
 * Ownership: every nbaq_options and value lives in the arena passed to
 * options_build() and stays valid until that arena is freed. The schema
 * (specs) is not copied and must outlive the options.
 */
#ifndef NBAQ_CORE_OPTIONS_H
#define NBAQ_CORE_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "nbaq.h"
#include "ydoc.h"

/*
 * Validates mapping (NULL: no options written) against specs (NULL: the
 * plugin declares none). owner names the instance in messages ("check
 * 'disk_root'"); plugin is the plugin name, kept for plugin-bug messages;
 * where is the node errors about missing options point at (the options
 * mapping, or the instance when it has none). Returns 0 and *out, or -1
 * with err.
 */
int options_build(arena *mem, const nbaq_option_spec *specs,
                  const ynode *mapping, const ynode *where, const char *owner,
                  const char *plugin, nbaq_options **out, char *err,
                  size_t err_size);

/*
 * Checks a schema for plugin bugs: names (unique, [a-z0-9_]+ style
 * names), known types, ENUM without choices, OBJECT without fields, a
 * required option with a default, and every default that does not parse
 * or fails its own limits. reserved (may be NULL) lists names the host
 * adds itself and the plugin must not declare.
 */
int options_check_schema(const nbaq_option_spec *specs, const char *plugin,
                         const char *const *reserved, char *err,
                         size_t err_size);

/* "string", "int", "duration", ... as printed by --list-plugins. */
const char *options_type_name(nbaq_option_type type);

/*
 * Plugin bugs found by the accessors below (an undeclared name, the wrong
 * accessor for the type, an index out of range) are passed to this handler
 * with a message starting "plugin bug: ". The child process installs one
 * that ends the check as ERROR; the default handler ignores them. The
 * accessor then returns its "unset" value.
 */
typedef void (*options_bug_fn)(const char *message);
void options_set_bug_handler(options_bug_fn handler);

/* The accessors of nbaq_host_api (see nbaq.h for their contracts). */
int options_is_set(const nbaq_options *o, const char *name);
const char *options_string(const nbaq_options *o, const char *name);
int64_t options_int(const nbaq_options *o, const char *name);
double options_double(const nbaq_options *o, const char *name);
int options_bool(const nbaq_options *o, const char *name);
size_t options_count(const nbaq_options *o, const char *name);
const char *options_list_string(const nbaq_options *o, const char *name,
                                size_t i);
const char *options_map_key(const nbaq_options *o, const char *name, size_t i);
const char *options_map_value(const nbaq_options *o, const char *name,
                              size_t i);
const nbaq_options *options_object(const nbaq_options *o, const char *name);
const nbaq_options *options_list_object(const nbaq_options *o, const char *name,
                                        size_t i);
const char *options_location(const nbaq_options *o, const char *name);

#endif
