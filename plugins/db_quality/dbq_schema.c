/*
 * dbq_schema.c - a table's columns against the expected ones, and against
 * the columns of the previous run (drift), kept as state text:
 *
 *   nbaq-schema 1
 *   <name>\t<type>\t<1 nullable | 0 NOT NULL>      one line per column
 *
 * with backslash, tab and newline escaped as \\, \t, \n.
 */
#include <stdlib.h>
#include <string.h>

#include "dbq.h"

static const char state_header[] = "nbaq-schema 1\n";

static const dbq_column *find_column(const dbq_column *columns, size_t count,
                                     const char *name)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(columns[i].name, name) == 0)
            return &columns[i];
    return NULL;
}

static int is_expected(const dbq_table_spec *spec, const char *name)
{
    for (size_t i = 0; i < spec->expected_count; i++)
        if (strcmp(spec->expected_columns[i].name, name) == 0)
            return 1;
    return 0;
}

/* The "(...)" of a type, blanks removed, into out; "" when none. */
static void type_modifier(const char *type, char *out, size_t size)
{
    size_t o = 0;
    const char *open = strchr(type, '(');
    const char *close = open != NULL ? strchr(open, ')') : NULL;
    for (const char *p = open; close != NULL && p <= close && o + 1 < size; p++)
        if (*p != ' ')
            out[o++] = *p;
    out[o] = '\0';
}

static int types_match(const char *expected_type, const char *expected_base,
                       const dbq_column *actual)
{
    if (strcmp(expected_base, actual->base_type) != 0)
        return 0;
    char want[128], have[128];
    type_modifier(expected_type, want, sizeof want);
    if (want[0] == '\0')
        return 1; /* no modifier written: any length or precision */
    type_modifier(actual->type, have, sizeof have);
    return strcmp(want, have) == 0;
}

static void finding(dbq_schema_findings *f, int64_t *counter, const char *fmt,
                    const char *a, const char *b, const char *c)
{
    (*counter)++;
    if (f->detail.len > 0)
        textbuf_puts(&f->detail, ", ");
    textbuf_printf(&f->detail, fmt, a, b, c);
}

static const char *nullability(int nullable)
{
    return nullable ? "nullable" : "NOT NULL";
}

void dbq_schema_check(const dbq_table_spec *spec, const dbq_table_result *r,
                      dbq_schema_findings *f)
{
    memset(f, 0, sizeof *f);
    textbuf_init(&f->detail);
    for (size_t i = 0; i < spec->expected_count; i++) {
        const dbq_expected_column *e = &spec->expected_columns[i];
        const dbq_column *c = find_column(r->columns, r->column_count, e->name);
        if (c == NULL) {
            finding(f, &f->missing, "missing column \"%s\"%s%s", e->name, "",
                    "");
            continue;
        }
        const char *base =
            r->expected_base_types != NULL ? r->expected_base_types[i] : NULL;
        if (e->type != NULL && base == NULL)
            finding(f, &f->type_mismatches,
                    "column \"%s\": expected type \"%s\" is unknown%s", e->name,
                    e->type, "");
        else if (e->type != NULL && !types_match(e->type, base, c))
            finding(f, &f->type_mismatches, "column \"%s\" is %s, expected %s",
                    e->name, c->type, e->type);
        if (e->nullable >= 0 && e->nullable != c->nullable)
            finding(f, &f->nullability_mismatches,
                    "column \"%s\" is %s, expected %s", e->name,
                    nullability(c->nullable), nullability(e->nullable));
    }
    if (!spec->strict_schema)
        return;
    for (size_t i = 0; i < r->column_count; i++)
        if (!is_expected(spec, r->columns[i].name))
            finding(f, &f->unexpected, "unexpected column \"%s\"%s%s",
                    r->columns[i].name, "", "");
}

/* ---- state text --------------------------------------------------------- */

static void put_escaped(textbuf *out, const char *s)
{
    for (; *s != '\0'; s++) {
        if (*s == '\\')
            textbuf_puts(out, "\\\\");
        else if (*s == '\t')
            textbuf_puts(out, "\\t");
        else if (*s == '\n')
            textbuf_puts(out, "\\n");
        else
            textbuf_putc(out, *s);
    }
}

void dbq_schema_serialize(const dbq_table_result *r, textbuf *out)
{
    textbuf_puts(out, state_header);
    for (size_t i = 0; i < r->column_count; i++) {
        put_escaped(out, r->columns[i].name);
        textbuf_putc(out, '\t');
        put_escaped(out, r->columns[i].type);
        textbuf_printf(out, "\t%d\n", r->columns[i].nullable ? 1 : 0);
    }
}

/* Reads one escaped field up to a tab or newline; *p moves past it. */
static char *read_field(const char **p)
{
    textbuf field;
    textbuf_init(&field);
    textbuf_puts(&field, "");
    const char *s = *p;
    for (; *s != '\0' && *s != '\t' && *s != '\n'; s++) {
        if (*s == '\\' && s[1] != '\0') {
            s++;
            textbuf_putc(&field, *s == 't' ? '\t' : *s == 'n' ? '\n' : *s);
        } else {
            textbuf_putc(&field, *s);
        }
    }
    *p = s;
    if (textbuf_failed(&field)) {
        textbuf_free(&field);
        return NULL;
    }
    return field.data != NULL ? field.data : strdup("");
}

typedef struct column_list {
    dbq_column *items;
    size_t count;
} column_list;

static void column_list_free(column_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].type);
    }
    free(list->items);
}

static int parse_state(const char *text, column_list *out)
{
    memset(out, 0, sizeof *out);
    if (strncmp(text, state_header, strlen(state_header)) != 0)
        return -1;
    size_t lines = 0;
    for (const char *p = text; *p != '\0'; p++)
        lines += *p == '\n';
    out->items = calloc(lines + 1, sizeof *out->items);
    if (out->items == NULL)
        return -1;
    const char *p = text + strlen(state_header);
    while (*p != '\0') {
        dbq_column *c = &out->items[out->count++];
        c->name = read_field(&p);
        if (*p == '\t')
            p++;
        c->type = read_field(&p);
        if (c->name == NULL || c->type == NULL || *p != '\t' ||
            (p[1] != '0' && p[1] != '1') || p[2] != '\n')
            return -1;
        c->nullable = p[1] == '1';
        p += 3;
    }
    return 0;
}

static void change(textbuf *detail, int64_t *count, const char *fmt,
                   const char *a, const char *b, const char *c)
{
    (*count)++;
    if (detail->len > 0)
        textbuf_puts(detail, ", ");
    textbuf_printf(detail, fmt, a, b, c);
}

int64_t dbq_schema_drift(const char *previous, const dbq_table_result *r,
                         textbuf *detail)
{
    column_list old;
    if (parse_state(previous, &old) != 0) {
        column_list_free(&old);
        return -1;
    }
    int64_t count = 0;
    for (size_t i = 0; i < r->column_count; i++) {
        const dbq_column *now = &r->columns[i];
        const dbq_column *was = find_column(old.items, old.count, now->name);
        if (was == NULL)
            change(detail, &count, "column \"%s\" added (%s)%s", now->name,
                   now->type, "");
        else if (strcmp(was->type, now->type) != 0)
            change(detail, &count, "column \"%s\" retyped %s -> %s", now->name,
                   was->type, now->type);
        else if (was->nullable != now->nullable)
            change(detail, &count, "column \"%s\" changed %s -> %s", now->name,
                   nullability(was->nullable), nullability(now->nullable));
    }
    for (size_t i = 0; i < old.count; i++)
        if (find_column(r->columns, r->column_count, old.items[i].name) == NULL)
            change(detail, &count, "column \"%s\" dropped%s%s",
                   old.items[i].name, "", "");
    column_list_free(&old);
    return count;
}
