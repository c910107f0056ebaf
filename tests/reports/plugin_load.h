/*
 * plugin_load.h - opens a reporter plugin the way nbaq-host does: dlopen,
 * the entry point, ABI major/minor and descriptor size checks.
 */
#ifndef NBAQ_PLUGIN_LOAD_H
#define NBAQ_PLUGIN_LOAD_H

#include <stddef.h>

#include "nbaq.h"

/* Returns the descriptor of the reporter at path and sets *handle (close
 * it with plugin_close after the last use of the descriptor), or NULL
 * with err filled. */
const nbaq_plugin_descriptor *plugin_load_reporter(const char *path,
                                                   void **handle, char *err,
                                                   size_t err_size);
void plugin_close(void *handle);

#endif /* NBAQ_PLUGIN_LOAD_H */
