/*
 * pgconn_dsn.c - what a PostgreSQL connection string is, whether it parses,
 * and how it may be shown. libpq's own parser (PQconninfoParse) decides;
 * what is shown never holds a user name, a password or a query string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_uri(const char *dsn)
{
    return has_prefix(dsn, "postgresql://") || has_prefix(dsn, "postgres://");
}

int pgconn_dsn_is_postgres(const char *text)
{
    if (text == NULL)
        return 0;
    if (is_uri(text))
        return 1;
    if (strchr(text, '=') == NULL || strstr(text, "://") != NULL)
        return 0;
    PQconninfoOption *parsed = PQconninfoParse(text, NULL);
    if (parsed == NULL)
        return 0;
    PQconninfoFree(parsed);
    return 1;
}

/* libpq quotes the offending piece of a DSN it cannot parse; that piece may
 * be part of the password, so every quoted piece is masked. out holds at
 * least 3 * strlen(text) + 1 bytes. Line breaks become spaces. */
static void mask_quoted(const char *text, char *out)
{
    int inside = 0;
    char *o = out;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '"') {
            *o++ = '"';
            if (!inside) {
                memcpy(o, "...", 3);
                o += 3;
            }
            inside = !inside;
        } else if (!inside) {
            *o++ = *p == '\n' ? ' ' : *p;
        }
    }
    while (o > out && o[-1] == ' ')
        o--;
    *o = '\0';
}

/* The authority of a URI: from after "://" to the first '/', '?' or '#'
 * (libpq's rule too). An '@' only after it means the user info holds an
 * unencoded '/', '?' or '#': libpq would read part of the password as the
 * host, port or database, and show it in its messages. */
static int userinfo_is_unencoded(const char *dsn)
{
    const char *authority = strstr(dsn, "://") + 3;
    size_t len = strcspn(authority, "/?#");
    return memchr(authority, '@', len) == NULL &&
           strchr(authority + len, '@') != NULL;
}

int pgconn_dsn_check(const char *dsn, char *err, size_t err_size)
{
    if (dsn == NULL || !pgconn_dsn_looks_like_conninfo(dsn))
        return 0;
    if (is_uri(dsn) && userinfo_is_unencoded(dsn)) {
        snprintf(err, err_size,
                 "invalid dsn: an '@' follows the host part: percent-encode "
                 "'/', '?', '#' and '@' in the user name and password (%%2F, "
                 "%%3F, %%23, %%40)");
        return -1;
    }
    char *parse_error = NULL;
    PQconninfoOption *parsed = PQconninfoParse(dsn, &parse_error);
    if (parsed != NULL) {
        PQconninfoFree(parsed);
        return 0;
    }
    const char *text = parse_error != NULL ? parse_error : "out of memory";
    char *masked = malloc(strlen(text) * 3 + 8);
    if (masked != NULL)
        mask_quoted(text, masked);
    snprintf(err, err_size, "invalid dsn: %s",
             masked != NULL ? masked : "cannot be parsed");
    free(masked);
    PQfreemem(parse_error);
    return -1;
}

int pgconn_dsn_looks_like_conninfo(const char *dsn)
{
    return strchr(dsn, '=') != NULL || is_uri(dsn);
}

static const char *option(const PQconninfoOption *options, const char *key)
{
    for (const PQconninfoOption *o = options; o->keyword != NULL; o++) {
        if (strcmp(o->keyword, key) == 0)
            return o->val != NULL ? o->val : "";
    }
    return "";
}

char *pgconn_dsn_display(const char *dsn)
{
    PQconninfoOption *options = NULL;
    char check[8];
    if (dsn != NULL && pgconn_dsn_check(dsn, check, sizeof check) == 0)
        options = PQconninfoParse(dsn, NULL);
    if (options == NULL)
        return strdup("postgresql://(invalid dsn)");
    const char *host = option(options, "host");
    if (!*host)
        host = option(options, "hostaddr");
    const char *port = option(options, "port");
    const char *dbname = option(options, "dbname");
    size_t len = strlen(host) + strlen(port) + strlen(dbname) + 32;
    char *shown = malloc(len);
    if (shown != NULL)
        snprintf(shown, len, "postgresql://%s%s%s/%s", host, *port ? ":" : "",
                 port, dbname);
    PQconninfoFree(options);
    return shown;
}
