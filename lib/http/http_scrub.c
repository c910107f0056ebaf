/*
 * http_scrub.c - credentials out of what a server said. A server may echo
 * what it was sent (an S3-compatible endpoint quoting the session token in
 * its error, a gateway quoting a header); every excerpt of a server's reply
 * that reaches a message goes through nbaq_http_scrub() first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"

#define MASK "***"
/* A secret cut short by a capture limit still shows its first bytes: a
 * tail of the text that begins a secret is masked from this length on. */
#define CUT_PREFIX_MIN 4

/* Length of the longest secret starting at text[0..len), or 0. */
static size_t secret_at(const char *text, size_t len,
                        const char *const *secrets, size_t count)
{
    size_t best = 0;
    for (size_t i = 0; i < count; i++) {
        const char *s = secrets[i];
        size_t slen = s != NULL ? strlen(s) : 0;
        if (slen > best && slen <= len && memcmp(text, s, slen) == 0)
            best = slen;
    }
    return best;
}

/* Non-zero when text[0..len) is the start of a secret cut at the end. */
static int cut_secret(const char *text, size_t len, const char *const *secrets,
                      size_t count)
{
    if (len < CUT_PREFIX_MIN)
        return 0;
    for (size_t i = 0; i < count; i++) {
        const char *s = secrets[i];
        if (s != NULL && strlen(s) > len && memcmp(text, s, len) == 0)
            return 1;
    }
    return 0;
}

void nbaq_http_scrub(char *text, size_t size, const char *const *secrets,
                     size_t count)
{
    if (text == NULL || size == 0)
        return;
    size_t len = strnlen(text, size - 1);
    size_t out = 0;
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        snprintf(text, size, "%s", "(reply withheld: out of memory)");
        return;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    for (size_t i = 0; i < len && out + 1 < size;) {
        size_t hit = secret_at(copy + i, len - i, secrets, count);
        if (hit == 0 && cut_secret(copy + i, len - i, secrets, count))
            hit = len - i;
        if (hit > 0) {
            for (const char *m = MASK; *m != '\0' && out + 1 < size; m++)
                text[out++] = *m;
            i += hit;
            continue;
        }
        unsigned char c = (unsigned char)copy[i++];
        text[out++] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
    }
    text[out] = '\0';
    free(copy);
}

/* A value worth masking: long enough not to garble ordinary words. */
#define REQUEST_SECRET_MIN 8

static void add_secret(const char **out, size_t max, size_t *n, const char *s)
{
    if (s != NULL && strlen(s) >= REQUEST_SECRET_MIN && *n < max)
        out[(*n)++] = s;
}

size_t nbaq_http_request_secrets(const nbaq_http_request *req, const char **out,
                                 size_t max)
{
    size_t n = 0;
    if (req->sigv4 != NULL) {
        add_secret(out, max, &n, req->sigv4->secret_access_key);
        add_secret(out, max, &n, req->sigv4->session_token);
    }
    /* The URL from its path on: webhook URLs carry their secret there. */
    const char *authority = req->url ? strstr(req->url, "://") : NULL;
    if (authority != NULL)
        add_secret(out, max, &n, strpbrk(authority + 3, "/?#"));
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++) {
        const char *value = strchr(req->headers[i], ':');
        if (value == NULL)
            continue;
        value += strspn(value + 1, " \t") + 1;
        add_secret(out, max, &n, value);
        /* "Bearer TOKEN": the token alone too. */
        const char *last = strrchr(value, ' ');
        if (last != NULL)
            add_secret(out, max, &n, last + 1);
    }
    return n;
}
