/* listing.h - what --list-plugins prints. */
#ifndef NBAQ_CORE_LISTING_H
#define NBAQ_CORE_LISTING_H

#include <stdio.h>

#include "registry.h"

/* Prints every plugin file of the registry's search path to out: name,
 * kind, version, description, path and every option; broken files with
 * the reason. Secret defaults are never printed. Returns the number of
 * broken files, or -1 when the listing itself failed. */
int listing_print(registry *reg, FILE *out);

#endif
