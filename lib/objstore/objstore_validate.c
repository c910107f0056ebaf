/*
 * objstore_validate.c - the checks on a url that need no network, shared
 * by nbaq_objstore_open() and the validate() of the checkers that list.
 */
#include <stdio.h>
#include <string.h>

#include "objstore_options.h"

int nbaq_objstore_check_url(const char *url, const char *inventory, char *err,
                            size_t err_size)
{
    int has_inventory = inventory != NULL && inventory[0] != '\0';
    if (url == NULL || url[0] == '\0') {
        snprintf(err, err_size,
                 "no url given (s3://bucket/prefix or a directory)");
        return -1;
    }
    if (strncmp(url, "s3://", 5) == 0) {
        if (url[5] == '\0' || url[5] == '/') {
            snprintf(err, err_size, "url %.200s: no bucket name", url);
            return -1;
        }
        return 0;
    }
    if (has_inventory) {
        snprintf(err, err_size,
                 "inventory '%.200s': an S3 Inventory needs an s3:// url",
                 inventory);
        return -1;
    }
    if (strncmp(url, "file://", 7) != 0 && strstr(url, "://") != NULL) {
        snprintf(err, err_size,
                 "url '%.200s': not s3://bucket/prefix, file:///dir or a "
                 "directory path",
                 url);
        return -1;
    }
    return 0;
}

int nbaq_objstore_validate_options(const nbaq_host_api *api,
                                   const nbaq_options *o, int scale, char *err,
                                   size_t err_size)
{
    const char *url = api->opt_string(o, "url");
    const char *inventory = scale ? api->opt_string(o, "inventory") : NULL;
    char why[512];
    const char *at = "url";
    if (nbaq_objstore_check_url(url, NULL, why, sizeof why) == 0) {
        at = "inventory";
        if (nbaq_objstore_check_url(url, inventory, why, sizeof why) == 0)
            return 0;
    }
    snprintf(err, err_size, "%s: %s", api->opt_location(o, at), why);
    return -1;
}
