/*
 * bind.h - connects a loaded config to its plugins: loads the plugin of
 * every check and reporter (only those), checks its kind, and validates
 * each instance's `options:` against the plugin's schema, then with the
 * plugin's validate() (plugin_validate.h), and finally every threshold
 * key against the metrics the plugins declare (threshold_names.h). Fills
 * plugin_ref and options of every check_config and reporter_config.
 */
#ifndef NBAQ_CORE_BIND_H
#define NBAQ_CORE_BIND_H

#include <stddef.h>

#include "config.h"
#include "registry.h"

/* Returns 0, or -1 with err ("file:line:col: check 'x': ..."). */
int bind_config(config *cfg, registry *reg, char *err, size_t err_size);

#endif
