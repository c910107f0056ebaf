#include "yread.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "textbuf.h"
#include "text.h"
#include "units.h"

int yread_fail(const ynode *node, const char *where, char *err, size_t err_size,
               const char *fmt, ...)
{
    char location[512];
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return err_set(err, err_size, "%s: %s: %s",
                   ynode_location(node, location, sizeof location), where,
                   message);
}

int yread_check_keys(const ynode *mapping, const char *const *allowed,
                     const char *where, char *err, size_t err_size)
{
    char location[512];
    if (mapping->kind != YNODE_MAPPING)
        return err_set(err, err_size, "%s: expected a mapping %s, got %s",
                       ynode_location(mapping, location, sizeof location),
                       where, ynode_kind_name(mapping->kind));
    size_t n = 0;
    while (allowed[n])
        n++;
    for (size_t i = 0; i < mapping->count; i++) {
        const ynode *key = mapping->pairs[i].key;
        size_t a = 0;
        while (a < n && strcmp(allowed[a], key->text) != 0)
            a++;
        if (a < n)
            continue;
        const char *guess = text_suggest(key->text, allowed, n);
        ynode_location(key, location, sizeof location);
        if (guess)
            return err_set(err, err_size,
                           "%s: unknown key '%.100s' %s (did you mean "
                           "'%s'?)",
                           location, key->text, where, guess);
        textbuf list = TEXTBUF_INIT;
        for (size_t k = 0; k < n; k++)
            textbuf_printf(&list, "%s%s", k ? ", " : "", allowed[k]);
        err_set(err, err_size, "%s: unknown key '%.100s' %s (known: %s)",
                location, key->text, where, textbuf_cstr(&list));
        textbuf_free(&list);
        return -1;
    }
    return 0;
}

static int need_scalar(const ynode *node, const char *where, const char *key,
                       const char *expected, char *err, size_t err_size)
{
    if (node->kind != YNODE_SCALAR)
        return yread_fail(node, where, err, err_size,
                          "'%s' expected %s, got %s", key, expected,
                          ynode_kind_name(node->kind));
    if (node->is_null)
        return yread_fail(node, where, err, err_size,
                          "'%s' has no value (expected %s)", key, expected);
    return 0;
}

int yread_string(arena *mem, const ynode *node, const char *where,
                 const char *key, char **out, char *err, size_t err_size)
{
    if (need_scalar(node, where, key, "a string", err, err_size) != 0)
        return -1;
    *out = arena_strdup(mem, node->text);
    if (!*out)
        return yread_fail(node, where, err, err_size, "out of memory");
    return 0;
}

int yread_name(arena *mem, const ynode *node, const char *where,
               const char *key, char **out, char *err, size_t err_size)
{
    if (yread_string(mem, node, where, key, out, err, err_size) != 0)
        return -1;
    if (!text_is_name(*out))
        return yread_fail(node, where, err, err_size,
                          "'%s' must match [A-Za-z0-9_.-]+, got '%.100s'", key,
                          node->text);
    return 0;
}

int yread_bool(const ynode *node, const char *where, const char *key, int *out,
               char *err, size_t err_size)
{
    char reason[128];
    if (need_scalar(node, where, key, "true or false", err, err_size) != 0)
        return -1;
    if (units_parse_bool(node->text, out, reason, sizeof reason) != 0)
        return yread_fail(node, where, err, err_size, "'%s' %s, got '%.100s'",
                          key, reason, node->text);
    return 0;
}

int yread_int(const ynode *node, const char *where, const char *key,
              int64_t min, int64_t max, int64_t *out, char *err,
              size_t err_size)
{
    char reason[128];
    if (need_scalar(node, where, key, "an integer", err, err_size) != 0)
        return -1;
    if (units_parse_int(node->text, out, reason, sizeof reason) != 0)
        return yread_fail(node, where, err, err_size, "'%s' %s, got '%.100s'",
                          key, reason, node->text);
    if (*out < min || *out > max)
        return yread_fail(node, where, err, err_size,
                          "'%s' must be between %lld and %lld, got %lld", key,
                          (long long)min, (long long)max, (long long)*out);
    return 0;
}

int yread_double(const ynode *node, const char *where, const char *key,
                 double *out, char *err, size_t err_size)
{
    char reason[128];
    if (need_scalar(node, where, key, "a number", err, err_size) != 0)
        return -1;
    if (units_parse_double(node->text, out, reason, sizeof reason) != 0)
        return yread_fail(node, where, err, err_size, "'%s' %s, got '%.100s'",
                          key, reason, node->text);
    return 0;
}

int yread_duration(const ynode *node, const char *where, const char *key,
                   int64_t min_ms, int64_t *out, char *err, size_t err_size)
{
    char reason[160];
    if (need_scalar(node, where, key, "a duration", err, err_size) != 0)
        return -1;
    if (units_parse_duration(node->text, out, reason, sizeof reason) != 0)
        return yread_fail(node, where, err, err_size, "'%s' %s, got '%.100s'",
                          key, reason, node->text);
    if (*out < min_ms) {
        char min_text[64];
        text_format_duration(min_ms, min_text, sizeof min_text);
        return yread_fail(node, where, err, err_size,
                          "'%s' must be at least %s, got '%.100s'", key,
                          min_text, node->text);
    }
    return 0;
}

int yread_choice(const ynode *node, const char *where, const char *key,
                 const char *const *choices, int *out, char *err,
                 size_t err_size)
{
    if (need_scalar(node, where, key, "a value", err, err_size) != 0)
        return -1;
    size_t n = 0;
    for (; choices[n]; n++) {
        if (strcmp(choices[n], node->text) == 0) {
            *out = (int)n;
            return 0;
        }
    }
    textbuf list = TEXTBUF_INIT;
    for (size_t i = 0; i < n; i++)
        textbuf_printf(&list, "%s%s", i ? ", " : "", choices[i]);
    const char *guess = text_suggest(node->text, choices, n);
    yread_fail(node, where, err, err_size,
               "'%s' must be one of %s, got '%.100s'%s%s%s", key,
               textbuf_cstr(&list), node->text, guess ? " (did you mean '" : "",
               guess ? guess : "", guess ? "'?)" : "");
    textbuf_free(&list);
    return -1;
}
