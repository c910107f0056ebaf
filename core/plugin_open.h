/*
 * plugin_open.h - one plugin file opened: dlopen (RTLD_NOW|RTLD_LOCAL),
 * nbaq_plugin_descriptor_get(), and the checks of its descriptor (ABI
 * major and minor, struct size, name = file stem, kind, entry function).
 * No trust rules, no vetting child, no schema check: the registry adds
 * them (registry.h); a fork server (forkserver.h) opens again a file the
 * host has opened through the registry.
 */
#ifndef NBAQ_CORE_PLUGIN_OPEN_H
#define NBAQ_CORE_PLUGIN_OPEN_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

typedef struct plugin {
    char *name;
    char *path;
    void *handle;
    nbaq_plugin_kind kind;
    uint32_t abi_version;
    const char *version;     /* "" when the plugin gives none             */
    const char *description; /* "" when the plugin gives none             */
    uint32_t flags;
    /* The schema instances are validated against: the plugin's own, plus
     * `output` and `output_dir` for NBAQ_FLAG_WRITES_OUTPUT reporters.   */
    const nbaq_option_spec *options;
    nbaq_option_spec *merged_options; /* owned; NULL when not merged      */
    nbaq_check_fn check;
    nbaq_report_fn report;
    /* ABI 1.2, NULL when the descriptor is older or leaves them out.      */
    nbaq_validate_fn validate;
    const nbaq_metric_decl *metrics; /* checkers; the plugin's static data */
} plugin;

/* The plugin in file path, named name (its stem), malloc'd and owned by
 * the caller until plugin_close(); NULL with err naming the file. */
plugin *plugin_open(const char *name, const char *path, char *err,
                    size_t err_size);
/* Unloads p and frees it; NULL: nothing. */
void plugin_close(plugin *p);

#endif
