#include "option_values.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

static const char *const web_schemes[] = {"http", "https", NULL};

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int scheme_allowed(const char *scheme, size_t len,
                          const char *const *schemes)
{
    for (size_t i = 0; schemes[i]; i++) {
        if (strlen(schemes[i]) == len &&
            strncasecmp(schemes[i], scheme, len) == 0)
            return 1;
    }
    return 0;
}

static void list_schemes(const char *const *schemes, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; schemes[i]; i++) {
        int n = snprintf(buf + used, size - used, "%s%s://", i ? ", " : "",
                         schemes[i]);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

/* The port after ':' up to end: 1 to 65535. */
static int port_ok(const char *p, const char *end)
{
    if (p == end || end - p > 5)
        return 0;
    long port = 0;
    for (; p < end; p++) {
        if (!is_digit(*p))
            return 0;
        port = port * 10 + (*p - '0');
    }
    return port >= 1 && port <= 65535;
}

static int check_authority(const char *host, const char *end, char *reason,
                           size_t reason_size)
{
    if (memchr(host, '@', (size_t)(end - host)))
        return err_set(reason, reason_size,
                       "must not hold user:password@ (credentials in a URL "
                       "end up in logs and reports: use the plugin's "
                       "credential or header options)");
    const char *colon = NULL;
    if (*host == '[') {
        const char *close = memchr(host, ']', (size_t)(end - host));
        if (!close || close == host + 1)
            return err_set(reason, reason_size, "has a bad IPv6 address");
        if (close + 1 < end && close[1] != ':')
            return err_set(reason, reason_size, "has a bad IPv6 address");
        colon = close + 1 < end ? close + 1 : NULL;
    } else {
        colon = memchr(host, ':', (size_t)(end - host));
        if ((colon ? colon : end) == host)
            return err_set(reason, reason_size, "has no host");
    }
    if (colon && !port_ok(colon + 1, end))
        return err_set(reason, reason_size, "has a bad port (want 1 to 65535)");
    return 0;
}

int option_check_url(const char *url, const char *const *schemes, char *reason,
                     size_t reason_size)
{
    if (!schemes || !schemes[0])
        schemes = web_schemes;
    for (const char *p = url; *p; p++) {
        if ((unsigned char)*p <= 0x20 || *p == 0x7f)
            return err_set(reason, reason_size,
                           "is not a URL: it holds a space or a control "
                           "character");
    }
    const char *p = url;
    if (is_alpha(*p)) {
        while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-' ||
               *p == '.')
            p++;
    }
    char want[256];
    list_schemes(schemes, want, sizeof want);
    if (p == url || strncmp(p, "://", 3) != 0)
        return err_set(reason, reason_size, "is not a URL (want %s...)", want);
    if (!scheme_allowed(url, (size_t)(p - url), schemes))
        return err_set(reason, reason_size, "has scheme '%.*s' (want %s...)",
                       (int)(p - url > 20 ? 20 : p - url), url, want);
    const char *host = p + 3;
    const char *end = host + strcspn(host, "/?#");
    return check_authority(host, end, reason, reason_size);
}

static int is_token_char(char c)
{
    return is_alpha(c) || is_digit(c) ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

int option_check_header(const char *name, const char *value, char *reason,
                        size_t reason_size)
{
    if (!*name)
        return err_set(reason, reason_size, "a header name is empty");
    for (const char *p = name; *p; p++) {
        if (!is_token_char(*p))
            return err_set(reason, reason_size,
                           "header name '%.100s' is not an HTTP token", name);
    }
    for (const char *p = value; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return err_set(reason, reason_size,
                           "header '%.100s': the value holds %s", name,
                           c == '\n' || c == '\r' ? "a line break"
                                                  : "a control character");
    }
    return 0;
}
