/*
 * exec.c - the `exec` checker: runs a monitoring-plugins compatible command
 * (or any command that prints one number) and turns its exit code, message
 * and performance data into the check's status, message and metrics.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"
#include "nbaq.h"
#include "perfdata.h"
#include "plugin_output.h"

enum {
    MESSAGE_MAX = 1024, /* the check's message, bytes                       */
    QUOTED_MAX = 60,    /* bytes of output quoted in a message              */
    STDERR_MAX = 4096,  /* bytes of stderr kept                             */
    PATH_MAX_LEN = 4096
};

static const char *const mode_choices[] = {"nagios", "number", NULL};

static const nbaq_option_spec exec_options[] = {
    {.name = "command",
     .type = NBAQ_OPT_STRING_LIST,
     .required = 1,
     .description = "program and arguments, run without a shell; a "
                    "relative path with '/' is relative to the config file"},
    {.name = "env",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "environment variables set for the command, on top of "
                    "the host's environment"},
    {.name = "cwd",
     .type = NBAQ_OPT_STRING,
     .description = "working directory of the command (relative: to the "
                    "config file); default the host's"},
    {.name = "timeout",
     .type = NBAQ_OPT_DURATION,
     .default_value = "30s",
     .min = 1,
     .max = 86400000,
     .description = "kill the command's process group after this long"},
    {.name = "mode",
     .type = NBAQ_OPT_ENUM,
     .default_value = "nagios",
     .choices = mode_choices,
     .description = "nagios: exit code, message and perfdata; number: "
                    "stdout is one number"},
    {.name = "metric",
     .type = NBAQ_OPT_STRING,
     .description = "mode number: name of the metric (default \"value\")"},
    {.name = "unit",
     .type = NBAQ_OPT_STRING,
     .description = "mode number: unit of the metric"},
    {.name = "max_output",
     .type = NBAQ_OPT_SIZE,
     .default_value = "64K",
     .min = 1024,
     .max = 16777216,
     .description = "bytes of stdout kept; the rest is read and dropped"},
    NBAQ_OPTION_END};

/* ------------------------------------------------------------------------ */
/* A bounded message, appended to piece by piece.                            */

typedef struct message {
    char text[MESSAGE_MAX];
    size_t len;
} message;

NBAQ_PRINTF(2, 3)
static void message_add(message *m, const char *fmt, ...)
{
    if (m->len + 1 >= sizeof m->text) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(m->text + m->len, sizeof m->text - m->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        m->len += (size_t)n;
        if (m->len >= sizeof m->text) {
            m->len = sizeof m->text - 1;
        }
    }
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* At most QUOTED_MAX bytes of text[0..len) (then "..."), line breaks as
 * "\n", other control characters as '?'. out_size must be at least
 * QUOTED_MAX + 5. */
static void quote_printable(const char *text, size_t len, char *out,
                            size_t out_size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (n >= QUOTED_MAX || n + 5 >= out_size) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            out[n++] = '\\';
            out[n++] = 'n';
        } else {
            out[n++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
        }
    }
    out[n] = '\0';
}

/* The first non-blank line of text[0..len), quoted as above. */
static void first_line_printable(const char *text, size_t len, char *out,
                                 size_t out_size)
{
    while (len > 0 && is_space(*text)) {
        text++;
        len--;
    }
    size_t line = 0;
    while (line < len && text[line] != '\n' && text[line] != '\r') {
        line++;
    }
    quote_printable(text, line, out, out_size);
}

/* ------------------------------------------------------------------------ */
/* Configuration                                                             */

typedef struct exec_config {
    char **argv; /* pointers into the host's options; array is ours    */
    char **envp; /* every string and the array are ours                */
    size_t envc; /* entries of envp (a NULL one: out of memory)          */
    const char *base_dir; /* the config file's directory (host's)       */
    char *cwd; /* resolved working directory, or NULL                */
    char path[PATH_MAX_LEN];
    int64_t timeout_ms;
    int number_mode;
    const char *metric; /* the host's                                       */
    const char *unit;   /* the host's; "" when none                         */
    size_t max_output;
} exec_config;

static void exec_config_free(exec_config *c)
{
    free(c->argv);
    for (size_t i = 0; i < c->envc; i++) {
        free(c->envp[i]);
    }
    free(c->envp);
    free(c->cwd);
}

static char *path_join(const char *dir, const char *path)
{
    size_t size = (dir ? strlen(dir) : 0) + strlen(path) + 2;
    char *joined = malloc(size);
    if (joined == NULL) {
        return NULL;
    }
    if (path[0] == '/' || dir == NULL) {
        snprintf(joined, size, "%s", path);
    } else {
        snprintf(joined, size, "%s/%s", dir, path);
    }
    return joined;
}

static int env_overridden(const nbaq_host_api *api, const nbaq_options *o,
                          const char *entry)
{
    size_t count = api->opt_count(o, "env");
    for (size_t i = 0; i < count; i++) {
        const char *key = api->opt_map_key(o, "env", i);
        size_t key_len = strlen(key);
        if (strncmp(entry, key, key_len) == 0 && entry[key_len] == '=') {
            return 1;
        }
    }
    return 0;
}

/* The host's environment with the `env` option on top. */
static int environment_build(const nbaq_host_api *api, const nbaq_options *o,
                             exec_config *c, char *err, size_t err_size)
{
    extern char **environ;
    size_t inherited = 0;
    size_t count = api->opt_count(o, "env");
    while (environ[inherited] != NULL) {
        inherited++;
    }
    c->envp = calloc(inherited + count + 1, sizeof *c->envp);
    if (c->envp == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < inherited; i++) {
        if (!env_overridden(api, o, environ[i])) {
            c->envp[c->envc++] = strdup(environ[i]);
        }
    }
    for (size_t i = 0; i < count; i++) {
        const char *key = api->opt_map_key(o, "env", i);
        const char *value = api->opt_map_value(o, "env", i);
        size_t size = strlen(key) + strlen(value) + 2;
        char *entry = malloc(size);
        if (entry != NULL) {
            snprintf(entry, size, "%s=%s", key, value);
        }
        c->envp[c->envc++] = entry;
    }
    for (size_t i = 0; i < c->envc; i++) {
        if (c->envp[i] == NULL) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
    }
    return 0;
}

static const char *environment_get(char *const *envp, const char *key)
{
    size_t key_len = strlen(key);
    for (size_t i = 0; envp[i] != NULL; i++) {
        if (strncmp(envp[i], key, key_len) == 0 && envp[i][key_len] == '=') {
            return envp[i] + key_len + 1;
        }
    }
    return NULL;
}

static int is_number_mode(const nbaq_host_api *api, const nbaq_options *o)
{
    const char *mode = api->opt_string(o, "mode");
    return mode != NULL && strcmp(mode, "number") == 0;
}

/* metric and unit only mean something in number mode. */
static int check_mode_options(const nbaq_host_api *api, const nbaq_options *o,
                              char *err, size_t err_size)
{
    static const char *const number_only[] = {"metric", "unit"};
    for (size_t i = 0; i < 2 && !is_number_mode(api, o); i++) {
        if (api->opt_is_set(o, number_only[i])) {
            snprintf(err, err_size,
                     "%s: %s applies to mode number only (metrics of mode "
                     "nagios are named by the performance data)",
                     api->opt_location(o, number_only[i]), number_only[i]);
            return -1;
        }
    }
    if (api->opt_is_set(o, "metric") && api->opt_string(o, "metric")[0] == 0) {
        snprintf(err, err_size, "%s: metric must not be empty",
                 api->opt_location(o, "metric"));
        return -1;
    }
    return 0;
}

static int check_env_names(const nbaq_host_api *api, const nbaq_options *o,
                           char *err, size_t err_size)
{
    size_t count = api->opt_count(o, "env");
    for (size_t i = 0; i < count; i++) {
        const char *key = api->opt_map_key(o, "env", i);
        if (key[0] == '\0' || strchr(key, '=') != NULL) {
            snprintf(err, err_size, "%s: env: bad variable name '%s'",
                     api->opt_location(o, "env"), key);
            return -1;
        }
    }
    return 0;
}

/* The rules across options: validate() for --check-config, and the check
 * itself (a host older than ABI 1.2 never calls validate()). */
static int exec_validate(const nbaq_host_api *api, const nbaq_options *o,
                         char *err, size_t err_size)
{
    size_t argc = api->opt_count(o, "command");
    if (argc == 0 || api->opt_list_string(o, "command", 0)[0] == '\0') {
        snprintf(err, err_size, "%s: command is empty",
                 api->opt_location(o, "command"));
        return -1;
    }
    return check_mode_options(api, o, err, err_size) != 0 ||
                   check_env_names(api, o, err, err_size) != 0
               ? -1
               : 0;
}

static int exec_config_read(const nbaq_host_api *api, const nbaq_ctx *ctx,
                            exec_config *c, char *err, size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    size_t argc = api->opt_count(o, "command");
    memset(c, 0, sizeof *c);
    if (exec_validate(api, o, err, err_size) != 0) {
        return -1;
    }
    c->number_mode = is_number_mode(api, o);
    c->timeout_ms = api->opt_int(o, "timeout");
    c->max_output = (size_t)api->opt_int(o, "max_output");
    c->metric =
        api->opt_is_set(o, "metric") ? api->opt_string(o, "metric") : "value";
    c->unit = api->opt_is_set(o, "unit") ? api->opt_string(o, "unit") : "";
    c->argv = calloc(argc + 1, sizeof *c->argv);
    if (c->argv == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < argc; i++) {
        /* posix_spawn() takes char *const[]; it never writes to them. */
        c->argv[i] = (char *)api->opt_list_string(o, "command", i);
    }
    c->base_dir = api->config_dir(ctx);
    if (api->opt_is_set(o, "cwd")) {
        c->cwd = path_join(c->base_dir, api->opt_string(o, "cwd"));
        if (c->cwd == NULL) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
    }
    if (environment_build(api, o, c, err, err_size) != 0) {
        return -1;
    }
    return command_resolve(c->argv[0], c->base_dir,
                           environment_get(c->envp, "PATH"), c->path,
                           sizeof c->path, err, err_size);
}

/* ------------------------------------------------------------------------ */
/* Running and judging                                                       */

/* The configured timeout, shortened to end before the host's own limit so
 * that the check can still say what happened. */
static int64_t effective_timeout(const nbaq_host_api *api, const nbaq_ctx *ctx,
                                 int64_t configured)
{
    int64_t left = api->time_left_ms(ctx);
    if (left > 0) {
        int64_t margin = left / 10 < 500 ? left / 10 : 500;
        if (left - margin < configured) {
            configured = left - margin;
        }
    }
    return configured > 0 ? configured : 1;
}

static void format_ms(int64_t ms, char *buf, size_t size)
{
    if (ms >= 1000 && ms % 1000 == 0) {
        snprintf(buf, size, "%llds", (long long)(ms / 1000));
    } else if (ms >= 1000) {
        snprintf(buf, size, "%.1fs", (double)ms / 1000.0);
    } else {
        snprintf(buf, size, "%lldms", (long long)ms);
    }
}

static void add_stderr(message *m, const command_result *r)
{
    char line[QUOTED_MAX + 8];
    first_line_printable(r->err, r->err_len, line, sizeof line);
    if (line[0] != '\0') {
        message_add(m, "; stderr: %s", line);
    }
}

/* Ends the check as ERROR when the command did not exit by itself.
 * Returns 1 when it did so. */
static int judge_abnormal_end(const nbaq_host_api *api, nbaq_ctx *ctx,
                              const exec_config *c, const command_result *r,
                              int64_t timeout_ms)
{
    message m = {.len = 0};
    if (r->timed_out) {
        char when[32];
        format_ms(timeout_ms, when, sizeof when);
        message_add(&m, "command timed out after %s: %s", when, c->argv[0]);
    } else if (r->term_signal != 0) {
        message_add(&m, "command killed by signal %d (%s): %s", r->term_signal,
                    strsignal(r->term_signal), c->argv[0]);
    } else {
        return 0;
    }
    add_stderr(&m, r);
    api->status_set(ctx, NBAQ_ERROR, "%s", m.text);
    return 1;
}

static void judge_number(const nbaq_host_api *api, nbaq_ctx *ctx,
                         const exec_config *c, const command_result *r)
{
    char quoted[QUOTED_MAX + 8];
    message m = {.len = 0};
    const char *text = r->out;
    size_t len = r->out_len;
    double value = 0;
    while (len > 0 && is_space(*text)) {
        text++;
        len--;
    }
    while (len > 0 && is_space(text[len - 1])) {
        len--;
    }
    quote_printable(text, len, quoted, sizeof quoted);
    if (r->exit_code != 0) {
        message_add(&m, "command exited with status %d: %s", r->exit_code,
                    c->argv[0]);
    } else if (r->out_truncated) {
        message_add(&m, "output is longer than %zu bytes, not one number",
                    c->max_output);
    } else if (len == 0) {
        message_add(&m, "output is empty, expected one number");
    } else if (memchr(text, '\0', len) != NULL ||
               perfdata_parse_number(text, len, &value) != 0) {
        message_add(&m, "output is not a number: '%s'", quoted);
    } else {
        char number[32];
        snprintf(number, sizeof number, "%.15g", value);
        api->metric_set(ctx, c->metric, value, c->unit);
        api->status_set(ctx, NBAQ_PASS, "%s = %s%s%s", c->metric, number,
                        c->unit[0] ? " " : "", c->unit);
        return;
    }
    add_stderr(&m, r);
    api->status_set(ctx, NBAQ_ERROR, "%s", m.text);
}

static void log_ranges(const nbaq_host_api *api, const nbaq_ctx *ctx,
                       const perfdata_item *item)
{
    const perfdata_range *ranges[2] = {&item->warn, &item->crit};
    static const char *const names[2] = {"warn", "crit"};
    for (int i = 0; i < 2; i++) {
        if (ranges[i]->set) {
            api->log(ctx, NBAQ_LOG_DEBUG,
                     "perfdata '%s': %s range %s%.15g:%.15g, value %s it",
                     item->label, names[i], ranges[i]->inside ? "@" : "",
                     ranges[i]->start, ranges[i]->end,
                     perfdata_range_alerts(ranges[i], item->value)
                         ? "alerts under"
                         : "is fine under");
        }
    }
}

/* Records every metric of perfdata; returns how many items were
 * malformed, the first one's reason in first_error. */
static size_t record_perfdata(const nbaq_host_api *api, nbaq_ctx *ctx,
                              const char *perfdata, char *first_error,
                              size_t first_error_size)
{
    size_t malformed = 0;
    const char *cursor = perfdata;
    perfdata_item item;
    char why[256];
    int rc;
    while ((rc = perfdata_next(&cursor, &item, why, sizeof why)) != 0) {
        if (rc < 0) {
            api->log(ctx, NBAQ_LOG_WARN, "ignored %s", why);
            if (malformed++ == 0) {
                snprintf(first_error, first_error_size, "%s", why);
            }
        } else if (!item.has_value) {
            api->log(ctx, NBAQ_LOG_DEBUG,
                     "perfdata '%s': value U (undetermined), no metric",
                     item.label);
        } else {
            api->metric_set(ctx, item.label, item.value, item.unit);
            log_ranges(api, ctx, &item);
        }
    }
    return malformed;
}

static nbaq_status nagios_status(int exit_code)
{
    switch (exit_code) {
    case 0:
        return NBAQ_PASS;
    case 1:
        return NBAQ_WARNING;
    case 2:
        return NBAQ_FAIL;
    default:
        return NBAQ_UNKNOWN;
    }
}

static void judge_nagios(const nbaq_host_api *api, nbaq_ctx *ctx,
                         const exec_config *c, const command_result *r)
{
    plugin_output out;
    if (plugin_output_parse(r->out, r->out_len, &out) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory");
        return;
    }
    char first_error[256] = "";
    size_t malformed = record_perfdata(api, ctx, out.perfdata, first_error,
                                       sizeof first_error);
    nbaq_status status = nagios_status(r->exit_code);
    message m = {.len = 0};
    if (r->exit_code > 3) {
        message_add(&m, "command exited with status %d: %s; ", r->exit_code,
                    c->argv[0]);
    }
    message_add(&m, "%s", out.message[0] ? out.message : "(no output)");
    if (r->out_truncated) {
        message_add(&m, " (output cut at %zu bytes)", c->max_output);
    }
    if (malformed > 0) {
        message_add(&m, "; ignored %s", first_error);
        if (malformed > 1) {
            message_add(&m, " and %zu more", malformed - 1);
        }
    }
    if (status != NBAQ_PASS) {
        add_stderr(&m, r);
    }
    plugin_output_free(&out);
    api->status_set(ctx, status, "%s", m.text);
}

static void exec_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    exec_config c;
    command_result r;
    char err[NBAQ_ERR_SIZE];
    if (exec_config_read(api, ctx, &c, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        exec_config_free(&c);
        return;
    }
    int64_t timeout_ms = effective_timeout(api, ctx, c.timeout_ms);
    command_spec spec = {.path = c.path,
                         .argv = c.argv,
                         .envp = c.envp,
                         .cwd = c.cwd,
                         .timeout_ms = timeout_ms,
                         .stdout_max = c.max_output,
                         .stderr_max = STDERR_MAX};
    if (command_run(&spec, &r, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
    } else {
        if (!judge_abnormal_end(api, ctx, &c, &r, timeout_ms)) {
            if (c.number_mode) {
                judge_number(api, ctx, &c, &r);
            } else {
                judge_nagios(api, ctx, &c, &r);
            }
        }
        command_result_free(&r);
    }
    exec_config_free(&c);
}

/* In mode nagios the command names its metrics (perfdata labels): any
 * name, so thresholds on such a check are not tested at --check-config. */
static const nbaq_metric_decl exec_metrics[] = {
    {"{mode=number}{metric|value}", "",
     "mode number: the number printed, in the option unit"},
    {"{mode=nagios}*", "", "mode nagios: each performance data label"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor exec_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "exec",
    .version = "1.0.0",
    .description = "runs a monitoring-plugins compatible command (exit "
                   "code, message, perfdata) or one that prints a number",
    .options = exec_options,
    .check = exec_check,
    .validate = exec_validate,
    .metrics = exec_metrics,
};

NBAQ_PLUGIN(exec_descriptor)
