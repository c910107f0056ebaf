/*
 * assets.h - the dashboard's files, embedded in the binary at build time
 * from core/daemon/assets/ (embed_assets.cmake writes assets.c).
 */
#ifndef NBAQ_DAEMON_ASSETS_H
#define NBAQ_DAEMON_ASSETS_H

#include <stddef.h>

typedef struct daemon_asset {
    const char *path;         /* "/", "/dashboard.js"                  */
    const char *content_type; /* "text/html; charset=utf-8"            */
    const unsigned char *data;
    size_t size;
} daemon_asset;

extern const daemon_asset daemon_assets[];
extern const size_t daemon_asset_count;

#endif
