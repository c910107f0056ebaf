/*
 * registry.h - finding, loading and vetting plugin files.
 *
 * A plugin named N is the regular file N.so in one of the search
 * directories (in order: --plugin-dir, the config's plugin_dirs,
 * NBAQ_PLUGIN_PATH, <dir of nbaq-host>/plugins, the relocated install dir
 * <dir of nbaq-host>/../<libdir>/nbaq/plugins, the compiled-in install
 * dir). The first directory that has the file wins; a warning names each
 * later copy it shadows.
 *
 * Before loading, the file must pass the trust rules (plugin_trust.h) and
 * load cleanly in a throw-away child (plugin_vet.h), so that a crash, exit
 * or hang in its load-time code is an error naming the file, never the
 * host's end. Loading (dlopen RTLD_NOW|RTLD_LOCAL) calls nothing in the
 * plugin but nbaq_plugin_descriptor_get(), then checks ABI major and
 * minor, struct size, name (= file stem), kind and entry function, the
 * option schema (options_check_schema) and the metric declarations
 * (metric_decls_check_schema). Every error names the file.
 *
 * Ownership: the registry owns the plugins it loaded (and their dlopen
 * handles) until registry_free(); plugin pointers stay valid until then.
 */
#ifndef NBAQ_CORE_REGISTRY_H
#define NBAQ_CORE_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"
#include "plugin_open.h"

typedef struct registry {
    char **dirs; /* search path, in order, without duplicates            */
    size_t dir_count;
    plugin **plugins; /* loaded                                          */
    size_t plugin_count;
} registry;

/* One entry of --list-plugins: a loaded plugin or a broken file. */
typedef struct plugin_listing {
    char *name; /* file stem                                           */
    char *path;
    size_t dir_index;        /* its directory's place in the search path */
    plugin *loaded;          /* NULL when broken or shadowed            */
    char *error;             /* why it is broken; NULL when fine         */
    const char *shadowed_by; /* the path used instead (an earlier
                                entry's); NULL when this copy is used */
} plugin_listing;

void registry_init(registry *reg);
/* Appends a directory to the search path (skipped when already there). */
int registry_add_dir(registry *reg, const char *dir);
/* Adds the directories after the command line and the config ones:
 * NBAQ_PLUGIN_PATH, the executable's plugins/, the relocated and the
 * compiled-in install dirs. */
int registry_add_default_dirs(registry *reg);

/* The plugin named name, loading it on first use. Returns NULL with err
 * on any error. */
const plugin *registry_get(registry *reg, const char *name, char *err,
                           size_t err_size);

/* Every *.so in the search path, sorted by name, broken ones with their
 * reason. *out is malloc'd; free with registry_listing_free(). */
int registry_list_all(registry *reg, plugin_listing **out, size_t *count);
void registry_listing_free(plugin_listing *list, size_t count);

void registry_free(registry *reg);

/* The host-declared options of output-writing reporters. */
extern const nbaq_option_spec registry_output_options[];

#endif
