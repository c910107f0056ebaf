/* tp_null_descriptor: the entry point returns NULL. */
#include <stddef.h>

#include "nbaq.h"

NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(void);
NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(void)
{
    return NULL;
}
