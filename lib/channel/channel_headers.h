/*
 * channel_headers.h - the request headers of an HTTP channel: its own,
 * then those of a STRING_MAP option the user wrote (Authorization...).
 */
#ifndef NBAQ_CHANNEL_HEADERS_H
#define NBAQ_CHANNEL_HEADERS_H

#include <stddef.h>

#include "nbaq.h"

/*
 * Returns the headers as "Name: value" strings, NULL-terminated: first
 * own (NULL-terminated, copied; may be NULL), then each entry of the
 * STRING_MAP option `option` of o (option may be NULL). The array and its
 * texts are one malloc'd block: the caller frees the array alone.
 * Returns NULL with err filled when memory runs out, or when a configured
 * name is not an HTTP token or a value holds a line break (which would
 * smuggle in another header); err names the key and where it was
 * written, never the value, which is often a token.
 */
char **channel_headers_build(const nbaq_host_api *api, const nbaq_options *o,
                             const char *option, const char *const *own,
                             char *err, size_t err_size);

/*
 * For a channel's validate(): 0 when no key of the STRING_MAP option
 * `option` of o is one of reserved (NULL-terminated header names the
 * channel sets itself; compared without case), else -1 with err naming
 * the key and where it was written.
 */
int channel_headers_check_reserved(const nbaq_host_api *api,
                                   const nbaq_options *o, const char *option,
                                   const char *const *reserved, char *err,
                                   size_t err_size);

#endif /* NBAQ_CHANNEL_HEADERS_H */
