#include "harness_result.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness_file.h"
#include "numfmt.h"
#include "status.h"
#include "text.h"

/* JSON has no NaN or infinities: those are the strings of run files. */
static cJSON *number_json(double value)
{
    if (isnan(value))
        return cJSON_CreateString("NaN");
    if (isinf(value))
        return cJSON_CreateString(value > 0 ? "Inf" : "-Inf");
    return cJSON_CreateNumber(value);
}

static cJSON *metrics_json(const job_outcome *o)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < o->metric_count; i++) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddItemToArray(list, m);
        cJSON_AddStringToObject(m, "name", o->metrics[i].name);
        cJSON_AddItemToObject(m, "value", number_json(o->metrics[i].value));
        cJSON_AddStringToObject(m, "unit", o->metrics[i].unit);
    }
    return list;
}

static cJSON *state_json(const kvlist *state)
{
    cJSON *map = cJSON_CreateObject();
    for (size_t i = 0; map && i < state->count; i++)
        cJSON_AddStringToObject(map, state->items[i].key,
                                state->items[i].value);
    return map;
}

static cJSON *backfill_json(const backfill_list *list)
{
    cJSON *out = cJSON_CreateArray();
    for (size_t i = 0; out && i < list->count; i++) {
        const backfill_series *s = &list->items[i];
        cJSON *series = cJSON_CreateObject();
        cJSON *points = cJSON_CreateArray();
        cJSON_AddItemToArray(out, series);
        cJSON_AddStringToObject(series, "metric", s->name);
        cJSON_AddStringToObject(series, "unit", s->unit);
        cJSON_AddItemToObject(series, "points", points);
        for (size_t k = 0; points && k < s->count; k++) {
            cJSON *point = cJSON_CreateArray();
            cJSON_AddItemToArray(points, point);
            cJSON_AddItemToArray(
                point, cJSON_CreateNumber((double)s->points[k].ts_ms));
            cJSON_AddItemToArray(point, number_json(s->points[k].value));
        }
    }
    return out;
}

static cJSON *names_json(const char *const *names, size_t count)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < count; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(names[i]));
    return list;
}

cJSON *harness_result_json(const harness_result *r)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    int reporter = r->kind == NBAQ_KIND_REPORTER;
    cJSON_AddStringToObject(doc, "plugin", r->plugin);
    cJSON_AddStringToObject(doc, "kind", reporter ? "reporter" : "checker");
    cJSON_AddStringToObject(doc, "instance", r->instance);
    cJSON_AddStringToObject(doc, "status", status_name(r->status));
    cJSON_AddStringToObject(doc, "message", r->message);
    if (reporter) {
        cJSON_AddNumberToObject(doc, "output_writes", (double)r->writes.count);
        cJSON_AddNumberToObject(doc, "bytes", (double)r->writes.bytes);
        cJSON_AddStringToObject(doc, "extension", r->writes.extension);
    } else {
        cJSON_AddItemToObject(doc, "metrics", metrics_json(&r->outcome));
        cJSON_AddItemToObject(doc, "state", state_json(&r->outcome.state));
        cJSON_AddItemToObject(doc, "backfill",
                              backfill_json(&r->outcome.backfill));
        /* Only when some: --expect documents written before stay true. */
        if (r->decls.undeclared_count > 0)
            cJSON_AddItemToObject(
                doc, "undeclared_metrics",
                names_json(r->decls.undeclared, r->decls.undeclared_count));
    }
    return doc;
}

static const char *declares_name(declared_kind kind)
{
    return kind == DECLARED_LISTED ? "listed"
           : kind == DECLARED_ANY  ? "any"
                                   : "none";
}

cJSON *harness_declarations_json(const harness_result *r)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    if (!doc || !list) {
        cJSON_Delete(doc);
        cJSON_Delete(list);
        return NULL;
    }
    int reporter = r->kind == NBAQ_KIND_REPORTER;
    cJSON_AddStringToObject(doc, "plugin", r->plugin);
    cJSON_AddStringToObject(doc, "kind", reporter ? "reporter" : "checker");
    cJSON_AddStringToObject(doc, "instance", r->instance);
    cJSON_AddStringToObject(doc, "declares",
                            declares_name(r->decls.declared.kind));
    cJSON_AddItemToObject(doc, "declared_metrics", list);
    for (size_t i = 0; i < r->decls.metric_count; i++) {
        const harness_metric *m = &r->decls.metrics[i];
        cJSON *item = cJSON_CreateObject();
        cJSON_AddItemToArray(list, item);
        if (m->name)
            cJSON_AddStringToObject(item, "name", m->name);
        else
            cJSON_AddNullToObject(item, "name");
        cJSON_AddStringToObject(item, "declared", m->declared);
        cJSON_AddStringToObject(item, "unit", m->unit);
        cJSON_AddStringToObject(item, "description", m->description);
    }
    return doc;
}

/* "rows (rows): rows counted [{table}.rows]" */
static void metric_line(const harness_metric *m, FILE *out)
{
    fputs(m->name ? m->name : m->declared, out);
    if (m->unit[0])
        fprintf(out, " (%s)", m->unit);
    if (m->description[0])
        fprintf(out, ": %s", m->description);
    if (!m->name)
        fputs(" [none with these options]", out);
    else if (strcmp(m->name, m->declared) != 0)
        fprintf(out, " [%s]", m->declared);
    fputc('\n', out);
}

void harness_declarations_text(const harness_result *r, FILE *out)
{
    if (r->kind == NBAQ_KIND_REPORTER) {
        fprintf(out, "reporter '%s': reporters declare no metrics\n",
                r->instance);
        return;
    }
    if (r->decls.declared.kind == DECLARED_NONE) {
        fprintf(out, "check '%s': metrics: not declared\n", r->instance);
        return;
    }
    fprintf(out, "check '%s' declares, with these options:\n", r->instance);
    for (size_t i = 0; i < r->decls.metric_count; i++) {
        fputs("  ", out);
        metric_line(&r->decls.metrics[i], out);
    }
}

/* After what was recorded: what may be, and what should not have been. */
static void declarations_text(const harness_decls *d, FILE *out)
{
    if (d->declared.kind == DECLARED_NONE) {
        fputs("  metrics: not declared\n", out);
        return;
    }
    size_t shown = 0;
    for (size_t i = 0; i < d->metric_count; i++) {
        const harness_metric *m = &d->metrics[i];
        if (!m->name)
            continue;
        fprintf(out, "  declared %s%s%s%s\n", m->name, m->unit[0] ? " (" : "",
                m->unit, m->unit[0] ? ")" : "");
        shown++;
    }
    if (shown == 0)
        fputs("  declared: none with these options\n", out);
    for (size_t i = 0; i < d->undeclared_count; i++)
        fprintf(out, "  UNDECLARED metric %s: no declared pattern matches it\n",
                d->undeclared[i]);
}

static void checker_text(const job_outcome *o, FILE *out)
{
    char number[64];
    for (size_t i = 0; i < o->metric_count; i++) {
        textfmt_number_exact(number, sizeof number, o->metrics[i].value);
        fprintf(out, "  metric %s = %s%s%s\n", o->metrics[i].name, number,
                o->metrics[i].unit[0] ? " " : "", o->metrics[i].unit);
    }
    for (size_t i = 0; i < o->state.count; i++)
        fprintf(out, "  state %s = %s\n", o->state.items[i].key,
                o->state.items[i].value);
    for (size_t i = 0; i < o->backfill.count; i++)
        fprintf(out, "  backfill %s: %zu points\n", o->backfill.items[i].name,
                o->backfill.items[i].count);
}

void harness_result_text(const harness_result *r, FILE *out)
{
    int reporter = r->kind == NBAQ_KIND_REPORTER;
    fprintf(out, "%s '%s': %s%s%s", reporter ? "reporter" : "check",
            r->instance, status_name(r->status), r->message[0] ? ": " : "",
            r->message);
    if (!reporter) {
        fputc('\n', out);
        checker_text(&r->outcome, out);
        declarations_text(&r->decls, out);
    } else if (r->writes.count == 0) {
        fputs("\n  wrote nothing\n", out);
    } else {
        fprintf(out, "\n  wrote %zu bytes in %zu calls, extension %s\n",
                r->writes.bytes, r->writes.count, r->writes.extension);
    }
}

static int numbers_equal(double a, double b)
{
    return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

static int differ(char *err, size_t err_size, const char *path,
                  const cJSON *want, const cJSON *got)
{
    char *w = want ? cJSON_PrintUnformatted(want) : NULL;
    char *g = got ? cJSON_PrintUnformatted(got) : NULL;
    err_set(err, err_size, "%s: expected %s, got %s", path[0] ? path : "$",
            w ? w : "nothing", g ? g : "nothing");
    free(w);
    free(g);
    return -1;
}

static int compare_at(const cJSON *want, const cJSON *got, const char *path,
                      char *err, size_t err_size);

static int compare_children(const cJSON *want, const cJSON *got,
                            const char *path, char *err, size_t err_size)
{
    int array = cJSON_IsArray(want);
    if (array && cJSON_GetArraySize(want) != cJSON_GetArraySize(got))
        return differ(err, err_size, path, want, got);
    char child_path[1024];
    const cJSON *w = want->child;
    for (int i = 0; w; w = w->next, i++) {
        const cJSON *g = array
                             ? cJSON_GetArrayItem(got, i)
                             : cJSON_GetObjectItemCaseSensitive(got, w->string);
        if (array)
            snprintf(child_path, sizeof child_path, "%s[%d]", path, i);
        else
            snprintf(child_path, sizeof child_path, "%s.%s", path, w->string);
        if (compare_at(w, g, child_path, err, err_size) != 0)
            return -1;
    }
    for (const cJSON *g = got->child; !array && g; g = g->next) {
        if (!cJSON_GetObjectItemCaseSensitive(want, g->string)) {
            snprintf(child_path, sizeof child_path, "%s.%s", path, g->string);
            return differ(err, err_size, child_path, NULL, g);
        }
    }
    return 0;
}

static int compare_at(const cJSON *want, const cJSON *got, const char *path,
                      char *err, size_t err_size)
{
    if (!got || (want->type & 0xFF) != (got->type & 0xFF))
        return differ(err, err_size, path, want, got);
    if (cJSON_IsNumber(want) &&
        !numbers_equal(want->valuedouble, got->valuedouble))
        return differ(err, err_size, path, want, got);
    if (cJSON_IsString(want) && strcmp(want->valuestring, got->valuestring))
        return differ(err, err_size, path, want, got);
    if (cJSON_IsArray(want) || cJSON_IsObject(want))
        return compare_children(want, got, path, err, err_size);
    return 0;
}

int harness_result_compare(const cJSON *actual, const char *expected_path,
                           char *err, size_t err_size)
{
    char *text = harness_read_file(expected_path, err, err_size);
    if (!text)
        return -1;
    cJSON *want = cJSON_Parse(text);
    free(text);
    if (!want)
        return err_set(err, err_size, "%s: not a JSON document", expected_path);
    char where[1100];
    int rc = compare_at(want, actual, "", where, sizeof where);
    if (rc != 0)
        err_set(err, err_size, "%s: %s", expected_path, where);
    cJSON_Delete(want);
    return rc;
}

const raw_metric *harness_result_metric(const harness_result *r,
                                        const char *name)
{
    size_t i;
    if (!nameset_get(&r->outcome.metric_index, name, &i))
        return NULL;
    return &r->outcome.metrics[i];
}

const char *harness_result_state(const harness_result *r, const char *key)
{
    return kvlist_get(&r->outcome.state, key);
}
