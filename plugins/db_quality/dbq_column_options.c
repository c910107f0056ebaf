/*
 * dbq_column_options.c - reads a table's `columns:` rules and its
 * `references` (column-level and table-level) into the dbq_table_spec.
 * Rule literals are copied as the text the server receives as parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbq.h"

static char *copy_text(const char *text)
{
    return strdup(text != NULL ? text : "");
}

static int add_rule(dbq_column_spec *c, dbq_rule_kind kind, char *param)
{
    if (param == NULL)
        return -1;
    c->rules[c->rule_count].kind = kind;
    c->rules[c->rule_count++].param = param;
    return 0;
}

/* The values as an array literal (param) and one by one (for engines
 * without arrays). */
static int add_values_rule(const nbaq_host_api *api, const nbaq_options *o,
                           dbq_column_spec *c)
{
    size_t n = api->opt_count(o, "values");
    const char **values = calloc(n + 1, sizeof *values);
    if (values == NULL)
        return -1;
    for (size_t i = 0; i < n; i++)
        values[i] = api->opt_list_string(o, "values", i);
    textbuf text;
    textbuf_init(&text);
    dbq_array_literal(&text, values, n);
    char *literal = textbuf_failed(&text) ? NULL : copy_text(text.data);
    textbuf_free(&text);
    if (add_rule(c, DBQ_RULE_VALUES, literal) != 0) {
        free(values);
        return -1;
    }
    c->rules[c->rule_count - 1].values = values;
    c->rules[c->rule_count - 1].value_count = n;
    return 0;
}

static char *int_text(int64_t value)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%lld", (long long)value);
    return copy_text(buf);
}

static int read_rules(const nbaq_host_api *api, const nbaq_options *o,
                      dbq_column_spec *c)
{
    c->rules = calloc(DBQ_RULE_KINDS, sizeof *c->rules);
    if (c->rules == NULL)
        return -1;
    int rc = 0;
    if (api->opt_is_set(o, "min"))
        rc |= add_rule(c, DBQ_RULE_MIN, copy_text(api->opt_string(o, "min")));
    if (api->opt_is_set(o, "max"))
        rc |= add_rule(c, DBQ_RULE_MAX, copy_text(api->opt_string(o, "max")));
    if (api->opt_is_set(o, "values"))
        rc |= add_values_rule(api, o, c);
    if (api->opt_is_set(o, "regex"))
        rc |=
            add_rule(c, DBQ_RULE_REGEX, copy_text(api->opt_string(o, "regex")));
    if (api->opt_is_set(o, "min_length"))
        rc |= add_rule(c, DBQ_RULE_MIN_LENGTH,
                       int_text(api->opt_int(o, "min_length")));
    if (api->opt_is_set(o, "max_length"))
        rc |= add_rule(c, DBQ_RULE_MAX_LENGTH,
                       int_text(api->opt_int(o, "max_length")));
    if (api->opt_bool(o, "not_future"))
        rc |= add_rule(c, DBQ_RULE_NOT_FUTURE,
                       int_text(api->opt_int(o, "future_tolerance")));
    return rc;
}

static int profile_of(const char *text)
{
    if (text == NULL || strcmp(text, "false") == 0)
        return DBQ_PROFILE_OFF;
    return strcmp(text, "quantiles") == 0 ? DBQ_PROFILE_QUANTILES
                                          : DBQ_PROFILE_ON;
}

/* "a,b": the metric part of a reference. */
static char *join_names(const char **names, size_t count)
{
    textbuf text;
    textbuf_init(&text);
    for (size_t i = 0; i < count; i++)
        textbuf_printf(&text, "%s%s", i > 0 ? "," : "", names[i]);
    char *out = textbuf_failed(&text) ? NULL : copy_text(text.data);
    textbuf_free(&text);
    return out;
}

static int new_reference(dbq_reference *ref, size_t count)
{
    ref->count = count;
    ref->columns = calloc(count + 1, sizeof *ref->columns);
    ref->ref_columns = calloc(count + 1, sizeof *ref->ref_columns);
    return ref->columns != NULL && ref->ref_columns != NULL ? 0 : -1;
}

static int read_column_reference(const nbaq_host_api *api,
                                 const nbaq_options *o, const char *column,
                                 dbq_reference *ref)
{
    if (new_reference(ref, 1) != 0)
        return -1;
    ref->columns[0] = column;
    ref->ref_columns[0] =
        api->opt_is_set(o, "column") ? api->opt_string(o, "column") : column;
    ref->table = api->opt_string(o, "table");
    ref->filter =
        api->opt_is_set(o, "filter") ? api->opt_string(o, "filter") : NULL;
    ref->label = copy_text(column);
    return ref->label != NULL ? 0 : -1;
}

static int read_table_reference(const nbaq_host_api *api, const nbaq_options *o,
                                dbq_reference *ref)
{
    size_t n = api->opt_count(o, "columns");
    if (new_reference(ref, n) != 0)
        return -1;
    int own_names = !api->opt_is_set(o, "ref_columns");
    for (size_t i = 0; i < n; i++) {
        ref->columns[i] = api->opt_list_string(o, "columns", i);
        ref->ref_columns[i] = own_names || i >= api->opt_count(o, "ref_columns")
                                  ? ref->columns[i]
                                  : api->opt_list_string(o, "ref_columns", i);
    }
    ref->table = api->opt_string(o, "table");
    ref->filter =
        api->opt_is_set(o, "filter") ? api->opt_string(o, "filter") : NULL;
    ref->label = join_names(ref->columns, n);
    return ref->label != NULL ? 0 : -1;
}

int dbq_read_column_rules(const nbaq_host_api *api, const nbaq_options *o,
                          dbq_table_spec *t)
{
    size_t columns = api->opt_count(o, "columns");
    size_t table_refs = api->opt_count(o, "references");
    t->columns = calloc(columns + 1, sizeof *t->columns);
    t->references = calloc(columns + table_refs + 1, sizeof *t->references);
    if (t->columns == NULL || t->references == NULL)
        return -1;
    t->samples = (int)api->opt_int(o, "samples");
    for (size_t i = 0; i < columns; i++) {
        const nbaq_options *item = api->opt_list_object(o, "columns", i);
        dbq_column_spec *c = &t->columns[i];
        t->column_count++;
        c->name = api->opt_string(item, "name");
        c->location = api->opt_location(item, NULL);
        c->unique = api->opt_bool(item, "unique");
        c->secret = api->opt_bool(item, "secret");
        c->profile = profile_of(api->opt_string(item, "profile"));
        if (read_rules(api, item, c) != 0)
            return -1;
        const nbaq_options *ref = api->opt_object(item, "references");
        if (ref != NULL &&
            read_column_reference(api, ref, c->name,
                                  &t->references[t->reference_count++]) != 0)
            return -1;
    }
    for (size_t i = 0; i < table_refs; i++)
        if (read_table_reference(api, api->opt_list_object(o, "references", i),
                                 &t->references[t->reference_count++]) != 0)
            return -1;
    return 0;
}

void dbq_column_rules_free(dbq_table_spec *t)
{
    for (size_t i = 0; t->columns != NULL && i < t->column_count; i++) {
        for (size_t k = 0; k < t->columns[i].rule_count; k++) {
            free(t->columns[i].rules[k].param);
            free(t->columns[i].rules[k].values);
        }
        free(t->columns[i].rules);
    }
    for (size_t i = 0; t->references != NULL && i < t->reference_count; i++) {
        free(t->references[i].columns);
        free(t->references[i].ref_columns);
        free(t->references[i].label);
    }
    free(t->columns);
    free(t->references);
}
