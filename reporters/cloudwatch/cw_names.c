#include "cw_names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static size_t max_length(cw_text_kind kind)
{
    return kind == CW_TEXT_NAME ? CW_NAME_MAX : CW_DIM_VALUE_MAX;
}

static int only_spaces(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s != ' ')
            return 0;
    return 1;
}

int cw_sanitize(const char *s, cw_text_kind kind, char *out)
{
    size_t max = max_length(kind), n = 0;
    const char *p = s != NULL ? s : "";

    while (*p != '\0' && n < max) {
        size_t len = 1;
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c <= 0x7E) {
            out[n++] = (char)c;
        } else {
            utf8_decode(p, &len);
            out[n++] = '_';
        }
        p += len;
    }
    out[n] = '\0';
    if (kind == CW_TEXT_NAME && out[0] == ':')
        out[0] = '_';
    if (only_spaces(out)) {
        out[0] = '_';
        out[1] = '\0';
    }
    return strcmp(out, s != NULL ? s : "") != 0;
}

const char *cw_text_problem(const char *s, cw_text_kind kind)
{
    if (s == NULL || s[0] == '\0')
        return "is empty";
    for (const char *p = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c > 0x7E)
            return "may hold only printable ASCII characters";
    }
    if (strlen(s) > max_length(kind))
        return kind == CW_TEXT_NAME ? "is longer than 255 characters"
                                    : "is longer than 1024 characters";
    if (only_spaces(s))
        return "holds only spaces";
    if (kind == CW_TEXT_NAME && s[0] == ':')
        return "may not start with ':'";
    return NULL;
}

/* ------------------------------------------------------------------------ */

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void cw_nameset_init(cw_nameset *set)
{
    memset(set, 0, sizeof *set);
}

void cw_nameset_free(cw_nameset *set)
{
    free(set->slots);
    cw_nameset_init(set);
}

int cw_nameset_reset(cw_nameset *set, size_t n)
{
    size_t want = 16;
    while (want < 2 * n + 2)
        want *= 2;
    if (want > set->capacity) {
        const char **grown = calloc(want, sizeof *grown);
        if (grown == NULL)
            return -1;
        free(set->slots);
        set->slots = grown;
        set->capacity = want;
    } else {
        memset(set->slots, 0, set->capacity * sizeof *set->slots);
    }
    set->used = 0;
    return 0;
}

/* The slot holding name, or the empty slot where it belongs. */
static const char **find_slot(const cw_nameset *set, const char *name)
{
    size_t mask = set->capacity - 1;
    for (size_t i = (size_t)name_hash(name) & mask;; i = (i + 1) & mask)
        if (set->slots[i] == NULL || strcmp(set->slots[i], name) == 0)
            return &set->slots[i];
}

/* Room is guaranteed by reset(n) as long as callers add at most n names;
 * past that the set still works until it is full, then refuses.         */
static int add(cw_nameset *set, const char *name)
{
    if (set->capacity == 0 || set->used + 1 >= set->capacity)
        return -1;
    const char **slot = find_slot(set, name);
    if (*slot != NULL)
        return -1;
    *slot = name;
    set->used++;
    return 0;
}

int cw_nameset_reserve(cw_nameset *set, const char *name)
{
    return add(set, name);
}

static int contains(const cw_nameset *set, const char *name)
{
    return set->capacity > 0 && *find_slot(set, name) != NULL;
}

int cw_nameset_claim(cw_nameset *set, char *name)
{
    char base[CW_NAME_MAX + 1];

    if (!contains(set, name)) {
        add(set, name);
        return 0;
    }
    snprintf(base, sizeof base, "%s", name);
    for (unsigned long k = 2;; k++) {
        char suffix[24];
        int slen = snprintf(suffix, sizeof suffix, "_%lu", k);
        size_t keep = strlen(base);
        if (keep > CW_NAME_MAX - (size_t)slen)
            keep = CW_NAME_MAX - (size_t)slen;
        memcpy(name, base, keep);
        memcpy(name + keep, suffix, (size_t)slen + 1);
        if (!contains(set, name)) {
            add(set, name);
            return 1;
        }
    }
}
