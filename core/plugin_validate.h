/*
 * plugin_validate.h - runs a plugin's validate() (ABI 1.2) on the options
 * of one configured check or reporter, isolated like plugin loading: in a
 * throw-away child (plugin_vet.h) with the load timeout, so that a crash,
 * exit or hang in it is an error of that instance, never the host's end.
 * bind.c calls it for every instance, so --check-config and every run
 * refuse what validate() refuses before any check starts.
 */
#ifndef NBAQ_CORE_PLUGIN_VALIDATE_H
#define NBAQ_CORE_PLUGIN_VALIDATE_H

#include <stddef.h>

#include "nbaq.h"
#include "registry.h"

/* 0 when the plugin has no validate() or it accepts opts; else -1 with
 * err: the plugin's reason, or how validate() ended ("validate() crashed:
 * signal 11 (Segmentation fault)"). */
int plugin_validate(const plugin *p, const nbaq_options *opts, char *err,
                    size_t err_size);

#endif
