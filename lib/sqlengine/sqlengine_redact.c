/*
 * sqlengine_redact.c - keep the passwords of a DSN out of every message, on
 * every engine: the libpq forms (pgconn_redact: password=, URI user info,
 * as libpq decodes them), ODBC's PWD= (also {braced;values}), and the
 * percent-decoded password of a mysql:// or mariadb:// URL.
 * Merge note: hardening-edge reworks pgconn_redact; this file only adds
 * the forms libpq does not know and calls it for the rest.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "pgconn.h"
#include "sqlengine_backend.h"

#define REDACTED "***"

/* Replaces, in place, every occurrence of secret[0, len) in msg with
 * REDACTED, cutting the tail when the longer mask would overflow size. */
static void replace_all(char *msg, size_t size, const char *secret, size_t len)
{
    const size_t mask_len = sizeof REDACTED - 1;
    for (size_t at = 0; len > 0 && msg[at] != '\0';) {
        if (strncmp(msg + at, secret, len) != 0) {
            at++;
            continue;
        }
        size_t room = size - 1 - at; /* bytes left from here */
        size_t mask = mask_len < room ? mask_len : room;
        size_t tail = strlen(msg + at + len);
        size_t kept = tail < room - mask ? tail : room - mask;
        memmove(msg + at + mask, msg + at + len, kept);
        memcpy(msg + at, REDACTED, mask);
        msg[at + mask + kept] = '\0';
        at += mask;
    }
}

/* PWD=value; or PWD={value with ; inside} (any case, ODBC style). */
static void redact_odbc_passwords(char *msg, size_t size, const char *dsn)
{
    for (const char *p = dsn; *p != '\0'; p++) {
        if (strncasecmp(p, "pwd", 3) != 0 && strncasecmp(p, "password", 8))
            continue;
        if (p != dsn && isalnum((unsigned char)p[-1]))
            continue;
        const char *v = p + (strncasecmp(p, "pwd", 3) == 0 ? 3 : 8);
        v += strspn(v, " \t");
        if (*v != '=')
            continue;
        v++;
        size_t len = *v == '{' ? strcspn(v + 1, "}") : strcspn(v, ";");
        replace_all(msg, size, *v == '{' ? v + 1 : v, len);
    }
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int sqlengine_percent_decode(const char *start, size_t len, char *out,
                             size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = start[i];
        if (c == '%' && i + 2 < len && hex_digit(start[i + 1]) >= 0 &&
            hex_digit(start[i + 2]) >= 0) {
            c = (char)(hex_digit(start[i + 1]) * 16 + hex_digit(start[i + 2]));
            i += 2;
        }
        if (o + 1 >= size)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

/* scheme://user:PASSWORD@host: the password percent-decoded. */
static void redact_url_password(char *msg, size_t size, const char *dsn)
{
    const char *info = strstr(dsn, "://");
    if (info == NULL)
        return;
    info += 3;
    size_t info_len = strcspn(info, "@/?");
    const char *colon = memchr(info, ':', info_len);
    if (info[info_len] != '@' || colon == NULL)
        return;
    char decoded[512];
    size_t written = (size_t)(info + info_len - colon - 1);
    if (sqlengine_percent_decode(colon + 1, written, decoded, sizeof decoded) ==
        0)
        replace_all(msg, size, decoded, strlen(decoded));
    replace_all(msg, size, colon + 1, written);
}
void sqlengine_redact(char *msg, size_t size, const char *dsn)
{
    if (msg == NULL || size == 0 || dsn == NULL)
        return;
    redact_url_password(msg, size, dsn);
    redact_odbc_passwords(msg, size, dsn);
    if (strncasecmp(dsn, "odbc:", 5) != 0)
        pgconn_redact(msg, size, dsn);
}
