/* perfdata.c - see perfdata.h. */
#include "perfdata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PERFDATA_FIELDS = 5, NUMBER_TEXT_MAX = 128, ERR_ITEM_MAX = 60 };

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_unit_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%' ||
           c == '/';
}

/* Length of the longest prefix of text[0..len) that is a number. */
static size_t number_prefix_len(const char *text, size_t len)
{
    size_t i = 0;
    size_t digits = 0;
    if (i < len && (text[i] == '-' || text[i] == '+')) {
        i++;
    }
    while (i < len && is_digit(text[i])) {
        i++;
        digits++;
    }
    if (i < len && text[i] == '.') {
        i++;
        while (i < len && is_digit(text[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0) {
        return 0;
    }
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        size_t e = i + 1;
        if (e < len && (text[e] == '-' || text[e] == '+')) {
            e++;
        }
        if (e < len && is_digit(text[e])) {
            while (e < len && is_digit(text[e])) {
                e++;
            }
            i = e;
        }
    }
    return i;
}

int perfdata_parse_number(const char *text, size_t len, double *value)
{
    char buf[NUMBER_TEXT_MAX];
    char *end = NULL;
    if (len == 0 || len >= sizeof buf || number_prefix_len(text, len) != len) {
        return -1;
    }
    memcpy(buf, text, len);
    buf[len] = '\0';
    double v = strtod(buf, &end);
    if (end != buf + len || !isfinite(v)) {
        return -1;
    }
    *value = v;
    return 0;
}

int perfdata_range_alerts(const perfdata_range *r, double value)
{
    int within = value >= r->start && value <= r->end;
    return r->inside ? within : !within;
}

/* The item being parsed, for error messages. */
typedef struct item_span {
    const char *start;
    const char *end;
} item_span;

static const char *skip_to_blank(const char *p)
{
    while (*p != '\0' && !is_blank(*p)) {
        p++;
    }
    return p;
}

/* "perfdata '<item>': <why>", the item shortened when it is long. */
static void item_error(char *err, size_t err_size, item_span span,
                       const char *why)
{
    size_t len = (size_t)(span.end - span.start);
    const char *dots = "";
    if (len > ERR_ITEM_MAX) {
        len = ERR_ITEM_MAX;
        dots = "...";
    }
    snprintf(err, err_size, "perfdata '%.*s%s': %s", (int)len, span.start, dots,
             why);
}

/* Reads a quoted label at p (on the opening quote) into label. Returns the
 * position after the closing quote (why set when the label is too long),
 * or NULL when there is no closing quote. */
static const char *read_quoted_label(const char *p, char *label,
                                     const char **why)
{
    size_t n = 0;
    *why = NULL;
    for (p++;; p++) {
        if (*p == '\0') {
            *why = "label has no closing quote";
            return NULL;
        }
        if (*p == '\'') {
            if (p[1] != '\'') {
                break;
            }
            p++; /* '' is one quote */
        }
        if (n + 1 < PERFDATA_LABEL_MAX) {
            label[n++] = *p;
        } else {
            *why = "label is longer than 255 bytes";
        }
    }
    label[n] = '\0';
    return p + 1;
}

/* Reads an unquoted label: everything up to '='. Returns the position of
 * '=' or NULL with why set. */
static const char *read_plain_label(const char *p, char *label,
                                    const char **why)
{
    size_t n = 0;
    *why = NULL;
    for (; *p != '='; p++) {
        if (*p == '\0' || is_blank(*p)) {
            *why = "no '=' after the label";
            return NULL;
        }
        if (*p == '\'') {
            *why = "quote inside an unquoted label";
            return NULL;
        }
        if (n + 1 >= PERFDATA_LABEL_MAX) {
            *why = "label is longer than 255 bytes";
            return NULL;
        }
        label[n++] = *p;
    }
    label[n] = '\0';
    return p;
}

/* value[UOM] or U (text not empty). Returns NULL, or why it is wrong. */
static const char *parse_value(const char *text, size_t len,
                               perfdata_item *item)
{
    if (len == 1 && text[0] == 'U') {
        item->has_value = 0;
        return NULL;
    }
    size_t number_len = number_prefix_len(text, len);
    if (number_len == 0 ||
        perfdata_parse_number(text, number_len, &item->value) != 0) {
        return "is not a number";
    }
    size_t unit_len = len - number_len;
    if (unit_len >= PERFDATA_UNIT_MAX) {
        return "has a unit longer than 15 characters";
    }
    for (size_t i = number_len; i < len; i++) {
        if (!is_unit_char(text[i])) {
            return "has a unit with other characters than letters, '%' "
                   "and '/'";
        }
    }
    memcpy(item->unit, text + number_len, unit_len);
    item->unit[unit_len] = '\0';
    item->has_value = 1;
    return NULL;
}

/* A range bound: a number, or "~" when allowed. Empty is fallback. */
static int parse_bound(const char *text, size_t len, double fallback,
                       int allow_tilde, double *bound)
{
    if (len == 0) {
        *bound = fallback;
        return 0;
    }
    if (allow_tilde && len == 1 && text[0] == '~') {
        *bound = -INFINITY;
        return 0;
    }
    return perfdata_parse_number(text, len, bound);
}

/* [@][start:][end]. Returns NULL, or why it is wrong. */
static const char *parse_range(const char *text, size_t len,
                               perfdata_range *range)
{
    memset(range, 0, sizeof *range);
    if (len == 0) {
        return NULL;
    }
    range->set = 1;
    if (text[0] == '@') {
        range->inside = 1;
        text++;
        len--;
    }
    const char *colon = memchr(text, ':', len);
    if (colon == NULL) {
        range->start = 0;
        if (len == 0 || perfdata_parse_number(text, len, &range->end) != 0) {
            return "is not a range [@][start:][end]";
        }
    } else {
        size_t start_len = (size_t)(colon - text);
        if (parse_bound(text, start_len, 0, 1, &range->start) != 0 ||
            parse_bound(colon + 1, len - start_len - 1, INFINITY, 0,
                        &range->end) != 0) {
            return "is not a range [@][start:][end]";
        }
    }
    if (range->start > range->end) {
        return "has its start above its end";
    }
    return NULL;
}

/* An optional plain number (min, max). Returns NULL or why. */
static const char *parse_limit(const char *text, size_t len, int *has,
                               double *value)
{
    *has = 0;
    if (len == 0) {
        return NULL;
    }
    if (perfdata_parse_number(text, len, value) != 0) {
        return "is not a number";
    }
    *has = 1;
    return NULL;
}

/* Parses field i (0 value, 1 warn, 2 crit, 3 min, 4 max). Returns NULL,
 * or why it is wrong. */
static const char *parse_field(int i, const char *text, size_t len,
                               perfdata_item *item)
{
    switch (i) {
    case 0:
        return parse_value(text, len, item);
    case 1:
        return parse_range(text, len, &item->warn);
    case 2:
        return parse_range(text, len, &item->crit);
    case 3:
        return parse_limit(text, len, &item->has_min, &item->min);
    default:
        return parse_limit(text, len, &item->has_max, &item->max);
    }
}

/* Parses the fields after '=' (text[0..len), no blanks). Returns NULL, or
 * why_buf holding why they are wrong. */
static const char *parse_fields(const char *text, size_t len,
                                perfdata_item *item, char *why_buf,
                                size_t why_size)
{
    static const char *const names[PERFDATA_FIELDS] = {"value", "warn", "crit",
                                                       "min", "max"};
    const char *field = text;
    const char *end = text + len;
    if (len == 0 || text[0] == ';') {
        snprintf(why_buf, why_size, "no value after '='");
        return why_buf;
    }
    for (int i = 0;; i++) {
        const char *semi = memchr(field, ';', (size_t)(end - field));
        size_t field_len = (size_t)((semi ? semi : end) - field);
        if (i >= PERFDATA_FIELDS) {
            snprintf(why_buf, why_size, "more than 5 ';'-separated fields");
            return why_buf;
        }
        const char *why = parse_field(i, field, field_len, item);
        if (why != NULL) {
            int shown =
                field_len > ERR_ITEM_MAX ? ERR_ITEM_MAX : (int)field_len;
            snprintf(why_buf, why_size, "%s '%.*s' %s", names[i], shown, field,
                     why);
            return why_buf;
        }
        if (semi == NULL) {
            return NULL;
        }
        field = semi + 1;
    }
}

int perfdata_next(const char **cursor, perfdata_item *item, char *err,
                  size_t err_size)
{
    const char *p = *cursor;
    const char *why = NULL;
    char why_buf[160];
    while (is_blank(*p)) {
        p++;
    }
    if (*p == '\0') {
        *cursor = p;
        return 0;
    }
    memset(item, 0, sizeof *item);
    item_span span = {p, NULL};
    const char *equals = *p == '\'' ? read_quoted_label(p, item->label, &why)
                                    : read_plain_label(p, item->label, &why);
    if (why == NULL && *equals != '=') {
        why = "no '=' after the label";
    } else if (why == NULL && item->label[0] == '\0') {
        why = "empty label";
    }
    if (why != NULL) {
        /* Without a closing quote the rest of the text is this item. */
        span.end = equals == NULL && *p == '\''
                       ? p + strlen(p)
                       : skip_to_blank(equals ? equals : p);
        item_error(err, err_size, span, why);
        *cursor = span.end;
        return -1;
    }
    const char *value = equals + 1;
    span.end = skip_to_blank(value);
    *cursor = span.end;
    why = parse_fields(value, (size_t)(span.end - value), item, why_buf,
                       sizeof why_buf);
    if (why != NULL) {
        item_error(err, err_size, span, why);
        return -1;
    }
    return 1;
}
