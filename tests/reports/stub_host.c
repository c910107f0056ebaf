#include "stub_host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One option from the command line: its values in the order given. A
 * STRING_MAP entry is stored as "key\0value": both halves live as long
 * as the stub, as nbaq.h promises for the whole callback. */
typedef struct stub_option {
    const nbaq_option_spec *spec;
    char **values;
    size_t count;
} stub_option;

struct nbaq_options {
    stub_host *host;
};

struct nbaq_ctx {
    stub_host *host;
};

struct stub_host {
    const nbaq_plugin_descriptor *descriptor;
    char *instance_name;
    char *monitor;
    stub_option *options;
    size_t option_count;
    struct nbaq_options root;
    struct nbaq_ctx ctx;
    char *output_path;
    char *fail_reason;
    size_t write_count;
    size_t bytes_written;
    char extension[32];
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

stub_host *stub_host_new(const nbaq_plugin_descriptor *descriptor,
                         const char *instance_name, const char *monitor)
{
    stub_host *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->descriptor = descriptor;
    h->instance_name = dup_or_null(instance_name);
    h->monitor = dup_or_null(monitor);
    h->output_path = strdup("-");
    h->root.host = h;
    h->ctx.host = h;
    if (!h->instance_name || !h->monitor || !h->output_path) {
        stub_host_free(h);
        return NULL;
    }
    return h;
}

void stub_host_free(stub_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->option_count; i++) {
        for (size_t j = 0; j < h->options[i].count; j++)
            free(h->options[i].values[j]);
        free(h->options[i].values);
    }
    free(h->options);
    free(h->instance_name);
    free(h->monitor);
    free(h->output_path);
    free(h->fail_reason);
    free(h);
}

static const nbaq_option_spec *find_spec(const stub_host *h, const char *name,
                                         size_t name_len)
{
    const nbaq_option_spec *spec = h->descriptor->options;
    for (; spec && spec->name; spec++)
        if (strlen(spec->name) == name_len &&
            strncmp(spec->name, name, name_len) == 0)
            return spec;
    return NULL;
}

static stub_option *find_option(const stub_host *h, const char *name)
{
    for (size_t i = 0; i < h->option_count; i++)
        if (strcmp(h->options[i].spec->name, name) == 0)
            return &h->options[i];
    return NULL;
}

static stub_option *add_option(stub_host *h, const nbaq_option_spec *spec)
{
    stub_option *grown =
        realloc(h->options, (h->option_count + 1) * sizeof(*grown));
    if (!grown)
        return NULL;
    h->options = grown;
    stub_option *o = &h->options[h->option_count++];
    memset(o, 0, sizeof(*o));
    o->spec = spec;
    return o;
}

static int is_map(nbaq_option_type t)
{
    return t == NBAQ_OPT_STRING_MAP || t == NBAQ_OPT_HTTP_HEADERS;
}

static int is_list(nbaq_option_type t)
{
    return t == NBAQ_OPT_STRING_LIST || is_map(t);
}

static int word_in(const char *word, const char *const *choices)
{
    for (; choices && *choices; choices++)
        if (strcmp(word, *choices) == 0)
            return 1;
    return 0;
}

/* Whether text is a well-formed value of the option's type. */
static int value_is_valid(const nbaq_option_spec *spec, const char *text)
{
    static const char *const bools[] = {"true", "false", "yes", "no",
                                        "on",   "off",   NULL};
    char *end;
    switch (spec->type) {
    case NBAQ_OPT_INT:
    case NBAQ_OPT_DOUBLE:
        strtod(text, &end);
        return *text && *end == '\0';
    case NBAQ_OPT_DURATION:
    case NBAQ_OPT_SIZE:
        strtod(text, &end);
        return end != text;
    case NBAQ_OPT_BOOL:
        return word_in(text, bools);
    case NBAQ_OPT_ENUM:
        return word_in(text, spec->choices);
    case NBAQ_OPT_OBJECT:
    case NBAQ_OPT_OBJECT_LIST:
    case NBAQ_OPT_NAMED_OBJECT_LIST:
        return 0;
    default:
        return 1;
    }
}

int stub_host_set_option(stub_host *h, const char *assignment, char *err,
                         size_t err_size)
{
    const char *eq = strchr(assignment, '=');
    const nbaq_option_spec *spec =
        eq ? find_spec(h, assignment, (size_t)(eq - assignment)) : NULL;
    if (!spec) {
        snprintf(err, err_size, "option '%s': not declared by plugin %s",
                 assignment, h->descriptor->name);
        return -1;
    }
    if (!value_is_valid(spec, eq + 1)) {
        snprintf(err, err_size, "option %s: '%s' is not a valid value",
                 spec->name, eq + 1);
        return -1;
    }
    if (is_map(spec->type) && !strchr(eq + 1, '=')) {
        snprintf(err, err_size, "option %s: want %s=key=value", spec->name,
                 spec->name);
        return -1;
    }
    stub_option *o = find_option(h, spec->name);
    if (!o && !(o = add_option(h, spec)))
        goto oom;
    if (!is_list(spec->type) && o->count > 0) {
        free(o->values[0]);
        o->count = 0;
    }
    char **grown = realloc(o->values, (o->count + 1) * sizeof(char *));
    if (!grown)
        goto oom;
    o->values = grown;
    if (!(o->values[o->count] = strdup(eq + 1)))
        goto oom;
    if (is_map(spec->type))
        *strchr(o->values[o->count], '=') = '\0';
    o->count++;
    return 0;
oom:
    snprintf(err, err_size, "option %s: out of memory", assignment);
    return -1;
}

void stub_host_set_output(stub_host *h, const char *path)
{
    char *copy = strdup(path);
    if (copy) {
        free(h->output_path);
        h->output_path = copy;
    }
}

void stub_host_fail_writes(stub_host *h, const char *reason)
{
    free(h->fail_reason);
    h->fail_reason = dup_or_null(reason);
}

nbaq_ctx *stub_host_ctx(stub_host *h)
{
    return &h->ctx;
}

size_t stub_host_write_count(const stub_host *h)
{
    return h->write_count;
}

const char *stub_host_extension(const stub_host *h)
{
    return h->extension;
}

size_t stub_host_bytes_written(const stub_host *h)
{
    return h->bytes_written;
}

/* --- the API table ------------------------------------------------------ */

static const char *api_instance_name(const nbaq_ctx *ctx)
{
    return ctx->host->instance_name;
}

static const char *api_monitor_name(const nbaq_ctx *ctx)
{
    return ctx->host->monitor;
}

static const nbaq_options *api_options(const nbaq_ctx *ctx)
{
    return &ctx->host->root;
}

/* The text of a scalar option: set on the command line, else default. */
static const char *scalar_text(const nbaq_options *o, const char *name)
{
    const stub_option *opt = find_option(o->host, name);
    if (opt && opt->count > 0)
        return opt->values[0];
    const nbaq_option_spec *spec = find_spec(o->host, name, strlen(name));
    return spec ? spec->default_value : NULL;
}

static int api_opt_is_set(const nbaq_options *o, const char *name)
{
    const stub_option *opt = find_option(o->host, name);
    return (opt && opt->count > 0) || scalar_text(o, name) != NULL;
}

static const char *api_opt_string(const nbaq_options *o, const char *name)
{
    return scalar_text(o, name);
}

/* "250ms", "30s", "5m", "2h", "7d" in ms; "64K", "2M" in bytes. */
static int64_t scaled_integer(const char *text, nbaq_option_type type)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    struct unit {
        const char *suffix;
        double factor;
    };
    static const struct unit durations[] = {
        {"ms", 1}, {"s", 1e3}, {"m", 6e4}, {"h", 3.6e6}, {"d", 8.64e7}, {0}};
    static const struct unit sizes[] = {
        {"K", 1024.0}, {"M", 1048576.0}, {"G", 1073741824.0}, {0}};
    const struct unit *units = type == NBAQ_OPT_DURATION ? durations
                               : type == NBAQ_OPT_SIZE   ? sizes
                                                         : NULL;
    for (; units && units->suffix; units++)
        if (strcasecmp(end, units->suffix) == 0)
            return (int64_t)(v * units->factor);
    return (int64_t)v;
}

static int64_t api_opt_int(const nbaq_options *o, const char *name)
{
    const char *text = scalar_text(o, name);
    const nbaq_option_spec *spec = find_spec(o->host, name, strlen(name));
    return text && spec ? scaled_integer(text, spec->type) : 0;
}

static double api_opt_double(const nbaq_options *o, const char *name)
{
    const char *text = scalar_text(o, name);
    return text ? strtod(text, NULL) : 0;
}

static int api_opt_bool(const nbaq_options *o, const char *name)
{
    const char *t = scalar_text(o, name);
    return t && (strcasecmp(t, "true") == 0 || strcasecmp(t, "yes") == 0 ||
                 strcasecmp(t, "on") == 0 || strcmp(t, "1") == 0);
}

static size_t api_opt_count(const nbaq_options *o, const char *name)
{
    const stub_option *opt = find_option(o->host, name);
    return opt ? opt->count : 0;
}

static const char *list_item(const nbaq_options *o, const char *name, size_t i)
{
    const stub_option *opt = find_option(o->host, name);
    return opt && i < opt->count ? opt->values[i] : NULL;
}

static const char *api_opt_list_string(const nbaq_options *o, const char *name,
                                       size_t i)
{
    return list_item(o, name, i);
}

/* Map entries are stored "key\0value" (stub_option). */
static const char *api_opt_map_key(const nbaq_options *o, const char *name,
                                   size_t i)
{
    return list_item(o, name, i);
}

static const char *api_opt_map_value(const nbaq_options *o, const char *name,
                                     size_t i)
{
    const char *item = list_item(o, name, i);
    return item ? item + strlen(item) + 1 : NULL;
}

static const nbaq_options *api_opt_object(const nbaq_options *o,
                                          const char *name)
{
    (void)o;
    (void)name;
    return NULL;
}

static const nbaq_options *api_opt_list_object(const nbaq_options *o,
                                               const char *name, size_t i)
{
    (void)o;
    (void)name;
    (void)i;
    return NULL;
}

/* Like the host: where the option was written ("command line" for
 * --set), "" for defaults and unset options; name NULL: the options
 * themselves, "" when none was written. */
static const char *api_opt_location(const nbaq_options *o, const char *name)
{
    const stub_option *opt = NULL;
    if (name)
        opt = find_option(o->host, name);
    else if (o->host->option_count > 0)
        opt = &o->host->options[0];
    return opt && opt->count > 0 ? "command line" : "";
}

static void api_log(const nbaq_ctx *ctx, nbaq_log_level level, const char *fmt,
                    ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: %s: ", ctx->host->instance_name,
            (unsigned)level < 4 ? names[level] : "?");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static void api_metric_set(nbaq_ctx *ctx, const char *name, double value,
                           const char *unit)
{
    (void)ctx;
    (void)name;
    (void)value;
    (void)unit;
}

static void api_status_set(nbaq_ctx *ctx, nbaq_status status, const char *fmt,
                           ...)
{
    (void)ctx;
    (void)status;
    (void)fmt;
}

static int64_t api_time_left_ms(const nbaq_ctx *ctx)
{
    (void)ctx;
    return 60000;
}

static const char *api_run_cache_dir(const nbaq_ctx *ctx)
{
    (void)ctx;
    return "/tmp";
}

static const char *api_state_get(const nbaq_ctx *ctx, const char *key)
{
    (void)ctx;
    (void)key;
    return NULL;
}

static void api_state_set(nbaq_ctx *ctx, const char *key, const char *value)
{
    (void)ctx;
    (void)key;
    (void)value;
}

/* Like the host: a file is replaced by each call, stdout appended to. */
static int write_all(const char *path, const void *data, size_t len, char *err,
                     size_t err_size)
{
    int to_stdout = strcmp(path, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(path, "wb");
    if (!f) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return -1;
    }
    int ok = fwrite(data, 1, len, f) == len;
    ok = (to_stdout ? fflush(f) : fclose(f)) == 0 && ok;
    if (!ok)
        snprintf(err, err_size, "%s: write failed", path);
    return ok ? 0 : -1;
}

static int api_output_write(const nbaq_ctx *ctx, const char *extension,
                            const void *data, size_t len, char *err,
                            size_t err_size)
{
    stub_host *h = ctx->host;
    h->write_count++;
    snprintf(h->extension, sizeof(h->extension), "%s",
             extension ? extension : "");
    if (h->fail_reason) {
        snprintf(err, err_size, "%s: %s", h->output_path, h->fail_reason);
        return -1;
    }
    h->bytes_written += len;
    return write_all(h->output_path, data, len, err, err_size);
}

/* The stub writes to a file, never to a terminal. */
static int api_output_is_terminal(const nbaq_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static const nbaq_host_api stub_api = {
    .abi_version = NBAQ_ABI_VERSION,
    .struct_size = (uint32_t)sizeof(nbaq_host_api),
    .instance_name = api_instance_name,
    .monitor_name = api_monitor_name,
    .options = api_options,
    .opt_is_set = api_opt_is_set,
    .opt_string = api_opt_string,
    .opt_int = api_opt_int,
    .opt_double = api_opt_double,
    .opt_bool = api_opt_bool,
    .opt_count = api_opt_count,
    .opt_list_string = api_opt_list_string,
    .opt_map_key = api_opt_map_key,
    .opt_map_value = api_opt_map_value,
    .opt_object = api_opt_object,
    .opt_list_object = api_opt_list_object,
    .opt_location = api_opt_location,
    .log = api_log,
    .metric_set = api_metric_set,
    .status_set = api_status_set,
    .time_left_ms = api_time_left_ms,
    .run_cache_dir = api_run_cache_dir,
    .state_get = api_state_get,
    .state_set = api_state_set,
    .output_write = api_output_write,
    .output_is_terminal = api_output_is_terminal,
};

const nbaq_host_api *stub_host_api(void)
{
    return &stub_api;
}
