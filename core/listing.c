#include "listing.h"

#include <string.h>

#include "options.h"
#include "numfmt.h"
#include "text.h"

/* One bound as --list-plugins prints it: durations and sizes in units. */
static void format_bound(const nbaq_option_spec *s, double v, char *buf,
                         size_t size)
{
    if (s->type == NBAQ_OPT_DURATION)
        text_format_duration((int64_t)v, buf, size);
    else if (s->type == NBAQ_OPT_SIZE)
        text_format_size(v, buf, size);
    else
        textfmt_number_exact(buf, size, v);
}

static void print_limits(const nbaq_option_spec *s, FILE *out)
{
    char bound[64];
    if (nbaq_option_has_min(s)) {
        format_bound(s, s->min, bound, sizeof bound);
        fprintf(out, ", min %s", bound);
    }
    if (nbaq_option_has_max(s)) {
        format_bound(s, s->max, bound, sizeof bound);
        fprintf(out, ", max %s", bound);
    }
}

static void print_options(const nbaq_option_spec *specs, int indent, FILE *out)
{
    for (size_t i = 0; specs && specs[i].name; i++) {
        const nbaq_option_spec *s = &specs[i];
        fprintf(out, "%*s%s (%s", indent, "", s->name,
                options_type_name(s->type));
        if (s->type == NBAQ_OPT_ENUM && s->choices) {
            fputs(": ", out);
            for (size_t c = 0; s->choices[c]; c++)
                fprintf(out, "%s%s", c ? "|" : "", s->choices[c]);
        }
        if (s->required)
            fputs(", required", out);
        else if (s->default_value && s->secret)
            fputs(", default <secret>", out);
        else if (s->default_value &&
                 (!s->default_value[0] || strpbrk(s->default_value, " ,()")))
            fprintf(out, ", default \"%s\"", s->default_value);
        else if (s->default_value)
            fprintf(out, ", default %s", s->default_value);
        else
            fputs(", optional", out);
        print_limits(s, out);
        if (s->secret)
            fputs(", secret", out);
        fprintf(out, ")%s%s\n", s->description ? ": " : "",
                s->description ? s->description : "");
        if (s->fields)
            print_options(s->fields, indent + 4, out);
    }
}

static void print_metrics(const nbaq_metric_decl *decls, FILE *out)
{
    fputs("    metrics:\n", out);
    for (size_t i = 0; decls[i].pattern; i++) {
        const nbaq_metric_decl *d = &decls[i];
        fprintf(out, "      %s", d->pattern);
        if (d->unit && d->unit[0])
            fprintf(out, " (%s)", d->unit);
        fprintf(out, "%s%s\n", d->description ? ": " : "",
                d->description ? d->description : "");
    }
}

static void print_plugin(const plugin *p, FILE *out)
{
    fprintf(out, "%s (%s) %s\n", p->name,
            p->kind == NBAQ_KIND_CHECKER ? "checker" : "reporter",
            p->version[0] ? p->version : "(no version)");
    if (p->description[0])
        fprintf(out, "    %s\n", p->description);
    fprintf(out, "    path: %s\n", p->path);
    fprintf(out, "    ABI: %u.%u\n", NBAQ_ABI_VERSION_MAJOR(p->abi_version),
            NBAQ_ABI_VERSION_MINOR(p->abi_version));
    if (p->options && p->options[0].name) {
        fputs("    options:\n", out);
        print_options(p->options, 6, out);
    } else {
        fputs("    options: none\n", out);
    }
    if (p->metrics && p->metrics[0].pattern)
        print_metrics(p->metrics, out);
    else if (p->kind == NBAQ_KIND_CHECKER)
        fputs("    metrics: not declared\n", out);
}

int listing_print(registry *reg, FILE *out)
{
    plugin_listing *list;
    size_t count;
    if (registry_list_all(reg, &list, &count) != 0)
        return -1;
    fputs("plugin directories:", out);
    for (size_t i = 0; i < reg->dir_count; i++)
        fprintf(out, "%s %s", i ? "," : "", reg->dirs[i]);
    fputs(reg->dir_count ? "\n" : " none\n", out);
    int broken = 0;
    for (size_t i = 0; i < count; i++) {
        fputc('\n', out);
        if (list[i].shadowed_by)
            fprintf(out,
                    "%s (shadowed)\n    path: %s\n    not used: %s comes "
                    "first in the search path\n",
                    list[i].name, list[i].path, list[i].shadowed_by);
        else if (list[i].loaded)
            print_plugin(list[i].loaded, out);
        else
            fprintf(out, "%s (broken)\n    path: %s\n", list[i].name,
                    list[i].path);
        if (list[i].error) {
            fprintf(out, "    error: %s\n", list[i].error);
            broken++;
        }
    }
    if (count == 0)
        fputs("\nno plugins found\n", out);
    registry_listing_free(list, count);
    return broken;
}
