/*
 * store_url.c - what a history URL names, and how it may be shown: a
 * PostgreSQL password never leaves this file except towards libpq.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_features.h"
#include "history_store.h"

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

/* Replaces text[start, end) by "***" in a new string. */
static char *replace_span(const char *text, size_t start, size_t end)
{
    size_t len = strlen(text) - (end - start) + 4;
    char *out = malloc(len);
    if (out)
        snprintf(out, len, "%.*s***%s", (int)start, text, text + end);
    return out;
}

/* The password of "scheme://user:pw@host/...": its span, or 0. */
static int userinfo_password(const char *url, size_t *start, size_t *end)
{
    const char *authority = strstr(url, "://");
    if (!authority)
        return 0;
    authority += 3;
    size_t authority_len = strcspn(authority, "/?");
    const char *at = NULL;
    for (const char *p = authority; p < authority + authority_len; p++) {
        if (*p == '@')
            at = p;
    }
    if (!at)
        return 0;
    const char *colon = memchr(authority, ':', (size_t)(at - authority));
    if (!colon)
        return 0;
    *start = (size_t)(colon + 1 - url);
    *end = (size_t)(at - url);
    return 1;
}

/* The value of "password=" in the query string: its span, or 0. */
static int query_password(const char *url, size_t *start, size_t *end)
{
    const char *query = strchr(url, '?');
    for (const char *p = query; p && *p; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, "password=", 9) == 0) {
            *start = (size_t)(p + 10 - url);
            *end = *start + strcspn(url + *start, "&");
            return 1;
        }
    }
    return 0;
}

static int parse_pg(const char *url, store_location *out)
{
    out->kind = STORE_POSTGRESQL;
    out->target = strdup(url);
    char *name = strdup(url);
    if (!out->target || !name) {
        free(name);
        return -1;
    }
    /* Redact a password in the userinfo and one in the query. */
    size_t start, end;
    for (int pass = 0; pass < 2; pass++) {
        int found = pass == 0 ? userinfo_password(name, &start, &end)
                              : query_password(name, &start, &end);
        if (!found || end == start)
            continue;
        if (!out->password) {
            out->password = strndup(name + start, end - start);
            if (!out->password) {
                free(name);
                return -1;
            }
        }
        char *redacted = replace_span(name, start, end);
        free(name);
        if (!redacted)
            return -1;
        name = redacted;
    }
    out->name = name;
    return 0;
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
    if (has_prefix(url, "postgresql://") || has_prefix(url, "postgres://")) {
        failed = parse_pg(url, out);
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
    free(loc->password);
    memset(loc, 0, sizeof *loc);
}

void history_store_scrub(char *text, size_t size, const char *secret)
{
    if (!text || !secret || !*secret || size == 0)
        return;
    size_t secret_len = strlen(secret);
    char *scrubbed = malloc(size);
    if (!scrubbed) {
        char *hit = strstr(text, secret);
        if (hit)
            *hit = '\0'; /* cut rather than show it */
        return;
    }
    size_t used = 0;
    for (const char *p = text; *p && used + 1 < size;) {
        if (strncmp(p, secret, secret_len) == 0) {
            for (const char *r = "***"; *r && used + 1 < size; r++)
                scrubbed[used++] = *r;
            p += secret_len;
        } else {
            scrubbed[used++] = *p++;
        }
    }
    scrubbed[used] = '\0';
    memcpy(text, scrubbed, used + 1);
    free(scrubbed);
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
