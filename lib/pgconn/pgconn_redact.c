/*
 * pgconn_redact.c - keep the password of a DSN out of every message.
 *
 * A password can reach a message decoded (libpq parsed it) or as written
 * in the DSN (percent-encoded in a URI, quoted in keyword/value form), so
 * both spellings are collected and each occurrence is replaced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pgconn.h"

#define REDACTED "***"
#define MAX_SECRETS 16

typedef struct secret_list {
    char *items[MAX_SECRETS];
    size_t count;
} secret_list;

static void secret_add(secret_list *list, const char *start, size_t len)
{
    if (len == 0 || list->count == MAX_SECRETS)
        return;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return;
    memcpy(copy, start, len);
    copy[len] = '\0';
    list->items[list->count++] = copy;
}

static void secret_list_free(secret_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    list->count = 0;
}

/* The password as libpq decodes it, when the DSN parses at all. */
static void add_decoded_password(secret_list *list, const char *dsn)
{
    PQconninfoOption *options = PQconninfoParse(dsn, NULL);
    if (options == NULL)
        return;
    for (PQconninfoOption *o = options; o->keyword != NULL; o++) {
        if (strcmp(o->keyword, "password") == 0 && o->val != NULL)
            secret_add(list, o->val, strlen(o->val));
    }
    PQconninfoFree(options);
}

/* postgresql://user:PASSWORD@host/...: the user info ends at the first '@'
 * before the path, as libpq reads it. */
static void add_uri_userinfo_password(secret_list *list, const char *dsn)
{
    const char *scheme_end = strstr(dsn, "://");
    if (scheme_end == NULL)
        return;
    const char *info = scheme_end + 3;
    size_t info_len = strcspn(info, "@/");
    if (info[info_len] != '@')
        return;
    const char *colon = memchr(info, ':', info_len);
    if (colon != NULL)
        secret_add(list, colon + 1, (size_t)(info + info_len - colon - 1));
}

/* password=VALUE, password = 'VAL UE' or ?password=VALUE&...; the value
 * as written, without its quotes. */
static void add_keyword_passwords(secret_list *list, const char *dsn)
{
    static const char keyword[] = "password";
    for (const char *p = strstr(dsn, keyword); p != NULL;
         p = strstr(p + 1, keyword)) {
        const char *v = p + sizeof keyword - 1;
        v += strspn(v, " \t\r\n");
        if (*v != '=')
            continue;
        v++;
        v += strspn(v, " \t\r\n");
        if (*v == '\'') {
            const char *start = ++v;
            while (*v != '\0' && *v != '\'') {
                if (*v == '\\' && v[1] != '\0')
                    v++;
                v++;
            }
            secret_add(list, start, (size_t)(v - start));
        } else {
            secret_add(list, v, strcspn(v, " \t\r\n&"));
        }
    }
}

/* The longest secret that starts at text, or NULL. */
static const char *secret_at(const secret_list *list, const char *text)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t len = strlen(list->items[i]);
        if (len > best_len && strncmp(text, list->items[i], len) == 0) {
            best = list->items[i];
            best_len = len;
        }
    }
    return best;
}

static void replace_secrets(char *msg, size_t size, const secret_list *list)
{
    char *out = malloc(size);
    if (out == NULL) {
        /* Cannot rewrite safely: withhold the whole message. */
        snprintf(msg, size, "%s", "(message withheld: out of memory)");
        return;
    }
    size_t o = 0;
    for (const char *p = msg; *p != '\0' && o + 1 < size;) {
        const char *secret = secret_at(list, p);
        if (secret == NULL) {
            out[o++] = *p++;
            continue;
        }
        for (const char *r = REDACTED; *r != '\0' && o + 1 < size; r++)
            out[o++] = *r;
        p += strlen(secret);
    }
    out[o] = '\0';
    memcpy(msg, out, o + 1);
    free(out);
}

void pgconn_redact(char *msg, size_t size, const char *dsn)
{
    if (msg == NULL || size == 0 || dsn == NULL)
        return;
    secret_list list = {0};
    add_decoded_password(&list, dsn);
    add_uri_userinfo_password(&list, dsn);
    add_keyword_passwords(&list, dsn);
    if (list.count > 0)
        replace_secrets(msg, size, &list);
    secret_list_free(&list);
}
