/*
 * store_url.c - what a history URL names, and how it may be shown: a
 * PostgreSQL URL or keyword DSN is recognised, checked and named for
 * messages by lib/pgconn (pgconn_dsn.c), the one parser of connection
 * strings that the host and the plugins share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_features.h"
#include "history_store.h"
#ifdef NBAQ_WITHOUT_POSTGRESQL
#include "store_pg_absent.h"
#else
#include "pgconn.h"
#endif

static char *join_path(const char *base_dir, const char *path)
{
    if (path[0] == '/' || !base_dir || !*base_dir)
        return strdup(path);
    size_t len = strlen(base_dir) + strlen(path) + 2;
    char *joined = malloc(len);
    if (joined)
        snprintf(joined, len, "%s%s%s", base_dir,
                 base_dir[strlen(base_dir) - 1] == '/' ? "" : "/", path);
    return joined;
}

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The URL or keyword DSN as given (for libpq), and a name for messages
 * from the one parser in lib/pgconn: no user info, no password. */
static int parse_pg(const char *url, store_location *out, char *err,
                    size_t err_size)
{
    out->kind = STORE_POSTGRESQL;
    char why[512];
    if (pgconn_dsn_check(url, why, sizeof why) != 0) {
        snprintf(err, err_size, "history store: %s", why);
        return 1;
    }
    out->target = strdup(url);
    out->name = pgconn_dsn_display(url);
    return !out->target || !out->name ? -1 : 0;
}

int history_store_location_parse(const char *url, const char *base_dir,
                                 store_location *out, char *err,
                                 size_t err_size)
{
    memset(out, 0, sizeof *out);
    if (!url || !*url) {
        snprintf(err, err_size, "history store: empty URL");
        return -1;
    }
    if (build_feature_missing_for_url(url)) {
        snprintf(err, err_size, "%s", build_feature_missing_for_url(url));
        return -1;
    }
    int failed;
    if (pgconn_dsn_is_postgres(url)) {
        failed = parse_pg(url, out, err, err_size);
        if (failed > 0) {
            history_store_location_free(out);
            return -1;
        }
    } else {
        const char *path = url;
        if (has_prefix(url, "sqlite://")) {
            path = url + strlen("sqlite://");
        } else if (strstr(url, "://")) {
            snprintf(err, err_size,
                     "history store %.*s: unknown URL scheme (use a path, "
                     "sqlite:///path or postgresql://...)",
                     (int)(strstr(url, "://") - url + 3), url);
            return -1;
        }
        if (!*path) {
            snprintf(err, err_size, "history store %s: no file path", url);
            return -1;
        }
        out->kind = STORE_SQLITE;
        out->target = join_path(base_dir, path);
        out->name = out->target ? strdup(out->target) : NULL;
        failed = !out->target || !out->name;
    }
    if (failed) {
        history_store_location_free(out);
        snprintf(err, err_size, "history store: out of memory");
        return -1;
    }
    return 0;
}

void history_store_location_free(store_location *loc)
{
    free(loc->target);
    free(loc->name);
    memset(loc, 0, sizeof *loc);
}

void history_store_copy_message(char *err, size_t err_size, const char *message)
{
    if (!err || err_size == 0)
        return;
    snprintf(err, err_size, "%s", message ? message : "unknown error");
    size_t len = strlen(err);
    while (len > 0 && (err[len - 1] == '\n' || err[len - 1] == ' '))
        err[--len] = '\0';
    /* libpq messages may span lines: keep them on one. */
    for (char *p = err; *p; p++) {
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    }
}
