#include "redact.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "grow.h"
#include "percent.h"

/* Every spelling of every password found in a connection string. */
typedef struct secret_list {
    char **items;
    size_t count;
    size_t capacity;
    int failed; /* out of memory: a password may be missing */
} secret_list;

static void secret_take(secret_list *list, char *copy)
{
    if (!copy) {
        list->failed = 1;
        return;
    }
    char **grown = grow_for_one(list->items, &list->capacity, list->count,
                                sizeof *list->items, 8);
    if (!grown) {
        free(copy);
        list->failed = 1;
        return;
    }
    list->items = grown;
    list->items[list->count++] = copy;
}

static void secret_add(secret_list *list, const char *start, size_t len)
{
    if (len > 0)
        secret_take(list, strndup(start, len));
}

/* The value as written and, when it differs, percent-decoded. */
static void secret_add_url_part(secret_list *list, const char *start,
                                size_t len)
{
    secret_add(list, start, len);
    if (len == 0 || !memchr(start, '%', len))
        return;
    char *decoded = malloc(len + 1);
    if (decoded && percent_decode(start, len, decoded, len + 1) == 0 &&
        *decoded) {
        secret_take(list, decoded);
        return;
    }
    list->failed |= decoded == NULL;
    free(decoded);
}

/* The value as written and with its escapes undone: \x in a conninfo
 * quote, }} in an ODBC brace. */
static void secret_add_unescaped(secret_list *list, const char *start,
                                 size_t len, char quote)
{
    secret_add(list, start, len);
    char *plain = malloc(len + 1);
    if (!plain) {
        list->failed = 1;
        return;
    }
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (quote == '\'' && start[i] == '\\' && i + 1 < len)
            i++;
        else if (quote == '{' && start[i] == '}' && i + 1 < len &&
                 start[i + 1] == '}')
            i++;
        plain[o++] = start[i];
    }
    plain[o] = '\0';
    if (o < len && o > 0)
        secret_take(list, plain);
    else
        free(plain);
}

/* scheme://user:PASSWORD@host: the user info ends at the first '@' of
 * the authority (libpq, MariaDB), or, when the password holds an
 * unencoded '/', '?' or '@', at the last '@' before the query. */
static void add_url_passwords(secret_list *list, const char *conn)
{
    const char *scheme_end = strstr(conn, "://");
    if (!scheme_end)
        return;
    const char *info = scheme_end + 3;
    size_t authority = strcspn(info, "/?#");
    size_t before_query = strcspn(info, "?#");
    const char *ends[2] = {memchr(info, '@', authority),
                           memrchr(info, '@', before_query)};
    for (int i = 0; i < 2; i++) {
        if (!ends[i])
            continue;
        const char *colon = memchr(info, ':', (size_t)(ends[i] - info));
        if (colon)
            secret_add_url_part(list, colon + 1, (size_t)(ends[i] - colon - 1));
    }
}

static int starts_word(const char *conn, const char *p)
{
    return p == conn || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
}

/* Length of the key at p if it names a secret: any key ending in
 * "password" (libpq's sslpassword too), or "pwd" as a whole word (ODBC);
 * else 0. */
static size_t secret_key_length(const char *conn, const char *p)
{
    if (strncasecmp(p, "password", 8) == 0)
        return 8;
    if (strncasecmp(p, "pwd", 3) == 0 && starts_word(conn, p))
        return 3;
    return 0;
}

/* Length of a secret's key at p followed by '='; 0 when there is none.
 * *value is set past the '=' and the blanks after it. */
static size_t password_keyword(const char *conn, const char *p,
                               const char **value)
{
    size_t len = secret_key_length(conn, p);
    if (len == 0)
        return 0;
    const char *v = p + len;
    v += strspn(v, " \t\r\n");
    if (*v != '=')
        return 0;
    v++;
    *value = v + strspn(v, " \t\r\n");
    return len;
}

/* End of a quoted value starting after its opening quote: the closing
 * quote (conninfo '...' with \ escapes, ODBC {...} with }} escapes). */
static size_t quoted_length(const char *v, char quote)
{
    size_t i = 0;
    for (; v[i]; i++) {
        if (quote == '\'' && v[i] == '\\' && v[i + 1])
            i++;
        else if (quote == '\'' && v[i] == '\'')
            break;
        else if (quote == '{' && v[i] == '}' && v[i + 1] == '}')
            i++;
        else if (quote == '{' && v[i] == '}')
            break;
    }
    return i;
}

static void add_value(secret_list *list, const char *v)
{
    if (*v == '\'' || *v == '{') {
        secret_add_unescaped(list, v + 1, quoted_length(v + 1, *v), *v);
        return;
    }
    /* A conninfo value ends at a space, a URL parameter at '&', an ODBC
     * one at ';': both cuts are kept, the longer masks first. */
    secret_add_url_part(list, v, strcspn(v, " \t\r\n"));
    secret_add_url_part(list, v, strcspn(v, " \t\r\n&;#"));
}

static void add_keyword_passwords(secret_list *list, const char *conn)
{
    for (const char *p = conn; *p; p++) {
        const char *value;
        if (password_keyword(conn, p, &value) > 0)
            add_value(list, value);
    }
}

/* The length of the longest secret that starts at text; 0 when none. */
static size_t secret_at(const secret_list *list, const char *text)
{
    size_t best = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t len = strlen(list->items[i]);
        if (len > best && strncmp(text, list->items[i], len) == 0)
            best = len;
    }
    return best;
}

static int mask_secrets(char *msg, size_t size, const secret_list *list)
{
    char *out = malloc(size);
    if (!out)
        return -1;
    size_t o = 0;
    for (const char *p = msg; *p && o + 1 < size;) {
        size_t secret = secret_at(list, p);
        if (secret == 0) {
            out[o++] = *p++;
            continue;
        }
        for (const char *m = REDACT_MASK; *m && o + 1 < size; m++)
            out[o++] = *m;
        p += secret;
    }
    out[o] = '\0';
    memcpy(msg, out, o + 1);
    free(out);
    return 0;
}

static void secret_list_free(secret_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        free(list->items[i]);
    free(list->items);
}

void redact_connection_passwords(char *msg, size_t size, const char *conn)
{
    if (!msg || size == 0 || !conn)
        return;
    secret_list list = {0};
    add_url_passwords(&list, conn);
    add_keyword_passwords(&list, conn);
    if (list.failed || (list.count > 0 && mask_secrets(msg, size, &list) != 0))
        snprintf(msg, size, "%s", "(message withheld: out of memory)");
    secret_list_free(&list);
}
