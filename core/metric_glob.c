#include "metric_glob.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

typedef enum token_kind { TOK_CHAR, TOK_ONE, TOK_CLASS, TOK_STAR } token_kind;

typedef struct token {
    token_kind kind;
    char c;            /* TOK_CHAR                                   */
    const char *start; /* TOK_CLASS: from '[' to ']' included        */
    size_t len;
} token;

/* Length of the bracket expression at s ('[' ... ']'), 0 when it does not
 * close (then '[' is an ordinary character, as for fnmatch). */
static size_t class_length(const char *s)
{
    size_t i = 1;
    if (s[i] == '!' || s[i] == '^')
        i++;
    if (s[i] == ']')
        i++;
    for (; s[i]; i++) {
        if (s[i] == '[' && s[i + 1] == ':') {
            const char *end = strstr(s + i + 2, ":]");
            if (!end)
                return 0;
            i = (size_t)(end - s) + 1;
        } else if (s[i] == ']') {
            return i + 1;
        }
    }
    return 0;
}

/* How text is read: a threshold key, a declared pattern, a metric name. */
typedef enum syntax { SYNTAX_FNMATCH, SYNTAX_PATTERN, SYNTAX_LITERAL } syntax;

/* Splits text into tokens; SYNTAX_FNMATCH: `?` and `[...]` are special
 * too; SYNTAX_LITERAL: nothing is. */
static token *tokenize(const char *text, syntax how, size_t *count)
{
    token *out = calloc(strlen(text) + 1, sizeof *out);
    size_t n = 0;
    int fnmatch_syntax = how == SYNTAX_FNMATCH;
    for (const char *s = text; out && *s; s++) {
        token *t = &out[n++];
        size_t len;
        if (how == SYNTAX_LITERAL) {
            t->kind = TOK_CHAR;
            t->c = *s;
        } else if (*s == '*') {
            t->kind = TOK_STAR;
        } else if (*s == '\\' && s[1]) {
            t->kind = TOK_CHAR;
            t->c = *++s;
        } else if (fnmatch_syntax && *s == '?') {
            t->kind = TOK_ONE;
        } else if (fnmatch_syntax && *s == '[' && (len = class_length(s))) {
            t->kind = TOK_CLASS;
            t->start = s;
            t->len = len;
            s += len - 1;
        } else {
            t->kind = TOK_CHAR;
            t->c = *s;
        }
    }
    *count = n;
    return out;
}

static int class_has(const token *cls, char c)
{
    char glob[256];
    if (cls->len >= sizeof glob)
        return 1;
    memcpy(glob, cls->start, cls->len);
    glob[cls->len] = '\0';
    char name[2] = {c, '\0'};
    return fnmatch(glob, name, 0) == 0;
}

/* Can one character match both tokens (neither a star)? */
static int tokens_meet(const token *a, const token *b)
{
    if (a->kind == TOK_CHAR && b->kind == TOK_CHAR)
        return a->c == b->c;
    if (a->kind == TOK_CLASS && b->kind == TOK_CHAR)
        return class_has(a, b->c);
    if (b->kind == TOK_CLASS && a->kind == TOK_CHAR)
        return class_has(b, a->c);
    return 1;
}

/* reach[i][j]: a common prefix takes a to token i and b to token j. Every
 * step moves i or j forward, so one pass in row order settles it. */
static int overlap(const token *a, size_t n, const token *b, size_t m)
{
    size_t w = m + 1;
    unsigned char *reach = calloc((n + 1) * w, 1);
    if (!reach)
        return 1;
    reach[0] = 1;
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = 0; j <= m; j++) {
            if (!reach[i * w + j])
                continue;
            int a_star = i < n && a[i].kind == TOK_STAR;
            int b_star = j < m && b[j].kind == TOK_STAR;
            if (a_star)
                reach[(i + 1) * w + j] = 1;
            if (b_star)
                reach[i * w + j + 1] = 1;
            if (a_star && j < m && !b_star)
                reach[i * w + j + 1] = 1;
            if (b_star && i < n && !a_star)
                reach[(i + 1) * w + j] = 1;
            if (i < n && j < m && !a_star && !b_star &&
                tokens_meet(&a[i], &b[j]))
                reach[(i + 1) * w + j + 1] = 1;
        }
    }
    int found = reach[n * w + m];
    free(reach);
    return found;
}

static int tokens_overlap(const char *a_text, syntax a_how, const char *b_text,
                          syntax b_how)
{
    size_t n, m;
    token *a = tokenize(a_text, a_how, &n);
    token *b = tokenize(b_text, b_how, &m);
    int found = a && b ? overlap(a, n, b, m) : 1;
    free(a);
    free(b);
    return found;
}

int metric_glob_overlap(const char *glob, const char *pattern)
{
    return tokens_overlap(glob, SYNTAX_FNMATCH, pattern, SYNTAX_PATTERN);
}

/* The pattern's text before its first `*` or `\\` starts name, and its
 * text after its last `*` (when it has no `\\`) ends it: most names a
 * pattern does not match fail here, before any allocation. */
static int ends_agree(const char *pattern, const char *name)
{
    size_t head = strcspn(pattern, "*\\");
    if (strncmp(pattern, name, head) != 0)
        return 0;
    const char *star = strrchr(pattern, '*');
    if (!star || strchr(star, '\\'))
        return 1;
    size_t tail = strlen(star + 1), len = strlen(name);
    return tail <= len && strcmp(name + len - tail, star + 1) == 0;
}

int metric_pattern_matches(const char *pattern, const char *name)
{
    if (!strpbrk(pattern, "*\\"))
        return strcmp(pattern, name) == 0;
    if (!ends_agree(pattern, name))
        return 0;
    return tokens_overlap(name, SYNTAX_LITERAL, pattern, SYNTAX_PATTERN);
}

int metric_pattern_is_any(const char *pattern)
{
    if (!*pattern)
        return 0;
    return pattern[strspn(pattern, "*")] == '\0';
}
