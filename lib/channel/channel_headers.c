#include "channel_headers.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A header name is an RFC 9110 token; a value holds no line break. */
static int header_is_valid(const char *name, const char *value)
{
    if (name == NULL || name[0] == '\0' || value == NULL)
        return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) &&
            strchr("!#$%&'*+-.^_`|~", *p) == NULL)
            return 0;
    return strpbrk(value, "\r\n") == NULL;
}

static size_t count_own(const char *const *own)
{
    size_t n = 0;
    while (own != NULL && own[n] != NULL)
        n++;
    return n;
}

char **channel_headers_build(const nbaq_host_api *api, const nbaq_options *o,
                             const char *option, const char *const *own,
                             char *err, size_t err_size)
{
    size_t own_count = count_own(own);
    size_t custom = option != NULL ? api->opt_count(o, option) : 0;
    size_t text_size = 0;
    for (size_t i = 0; i < own_count; i++)
        text_size += strlen(own[i]) + 1;
    for (size_t i = 0; i < custom; i++) {
        const char *name = api->opt_map_key(o, option, i);
        const char *value = api->opt_map_value(o, option, i);
        if (!header_is_valid(name, value)) {
            snprintf(err, err_size,
                     "%s: header '%s' is not a valid HTTP header name or "
                     "its value holds a line break",
                     api->opt_location(o, option), name ? name : "");
            return NULL;
        }
        text_size += strlen(name) + strlen(value) + 3;
    }
    size_t slots = own_count + custom + 1;
    char **headers = malloc(slots * sizeof(char *) + text_size);
    if (headers == NULL) {
        snprintf(err, err_size, "out of memory building request headers");
        return NULL;
    }
    char *text = (char *)(headers + slots);
    for (size_t i = 0; i < own_count; i++) {
        headers[i] = text;
        text += sprintf(text, "%s", own[i]) + 1;
    }
    for (size_t i = 0; i < custom; i++) {
        headers[own_count + i] = text;
        text += sprintf(text, "%s: %s", api->opt_map_key(o, option, i),
                        api->opt_map_value(o, option, i)) +
                1;
    }
    headers[slots - 1] = NULL;
    return headers;
}

int channel_headers_check_reserved(const nbaq_host_api *api,
                                   const nbaq_options *o, const char *option,
                                   const char *const *reserved, char *err,
                                   size_t err_size)
{
    size_t n = api->opt_count(o, option);
    for (size_t i = 0; i < n; i++) {
        const char *key = api->opt_map_key(o, option, i);
        for (size_t k = 0; reserved[k] != NULL; k++) {
            if (strcasecmp(key, reserved[k]) == 0) {
                snprintf(err, err_size,
                         "%s: %s: '%s' is set by the channel itself (the "
                         "request would carry it twice)",
                         api->opt_location(o, option), option, key);
                return -1;
            }
        }
    }
    return 0;
}
