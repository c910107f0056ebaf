/*
 * import.c - `history import`: one metric's past values from CSV
 * (timestamp,value with a header line) or JSON ([{"time", "value"}] or
 * {"values": [...]} as `history show --json` prints it), stored in one
 * transaction as runs of their own (history_past_points.h).
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grow.h"
#include "history_calc.h"
#include "history_import.h"
#include "history_past_points.h"

#define IMPORT_FILE_MAX (256u * 1024 * 1024) /* bytes read at most      */

typedef struct import_args {
    const char *check;
    const char *metric;
    const char *unit;
    const char *monitor;
    const char *file;
} import_args;

/* The points read from a file; name is what messages call it. */
typedef struct import_data {
    const char *name;
    nbaq_point *points;
    size_t count;
    size_t capacity;
    char *err;
    size_t err_size;
} import_data;

static int data_error(import_data *d, const char *fmt, ...) NBAQ_PRINTF(2, 3);

static int data_error(import_data *d, const char *fmt, ...)
{
    int used = snprintf(d->err, d->err_size, "history import: %s", d->name);
    if (used >= 0 && (size_t)used < d->err_size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(d->err + used, d->err_size - (size_t)used, fmt, ap);
        va_end(ap);
    }
    return HISTORY_EXIT_DATA;
}

static int add_point(import_data *d, int64_t ts_ms, double value)
{
    nbaq_point *grown =
        grow_for_one(d->points, &d->capacity, d->count, sizeof *grown, 256);
    if (!grown)
        return -1;
    d->points = grown;
    d->points[d->count++] = (nbaq_point){ts_ms, value};
    return 0;
}

/* An absolute time: relative ones ("now", "7d") would make an import
 * depend on the day it is run, so they are refused. */
static int parse_absolute_time(const char *text, int64_t *ms)
{
    int64_t other;
    const int64_t some_now = 4102444800000; /* 2100-01-01 */
    if (history_parse_time(text, some_now, ms) != 0 ||
        history_parse_time(text, some_now + 86400000, &other) != 0)
        return -1;
    return *ms == other ? 0 : -1;
}

/* ---- the file ------------------------------------------------------------*/

static int read_all(FILE *f, char **text, size_t *len)
{
    size_t cap = 65536, used = 0;
    char *buf = malloc(cap);
    while (buf) {
        used += fread(buf + used, 1, cap - used - 1, f);
        if (used < cap - 1)
            break;
        if (cap >= IMPORT_FILE_MAX) {
            free(buf);
            errno = EFBIG;
            return -1;
        }
        char *grown = realloc(buf, cap * 2);
        if (!grown)
            break;
        buf = grown;
        cap *= 2;
    }
    if (!buf || ferror(f)) {
        free(buf);
        errno = buf ? EIO : ENOMEM;
        return -1;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return 0;
}

static int load_file(const char *path, char **text, size_t *len, char *err,
                     size_t err_size)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        snprintf(err, err_size, "history import: %s: %s", path,
                 strerror(errno));
        return HISTORY_EXIT_NOINPUT;
    }
    int rc = read_all(f, text, len);
    int saved = errno;
    if (!is_stdin)
        fclose(f);
    if (rc != 0) {
        snprintf(err, err_size, "history import: %s: %s",
                 is_stdin ? "<stdin>" : path, strerror(saved));
        return HISTORY_EXIT_NOINPUT;
    }
    return HISTORY_EXIT_OK;
}

/* ---- CSV -----------------------------------------------------------------*/

/* Trims spaces and one pair of double quotes, in place. */
static char *trim_field(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    if (end - s >= 2 && *s == '"' && end[-1] == '"') {
        end[-1] = '\0';
        s++;
    }
    return s;
}

static int parse_value(const char *text, double *value)
{
    char *end;
    errno = 0;
    *value = strtod(text, &end);
    return *text && !*end && !errno && isfinite(*value) ? 0 : -1;
}

/* One "timestamp,value" line; 1 when it is one, 0 when not (why in
 * problem), for the header check and the messages. */
static int csv_row(char *line, int64_t *ts, double *value, char *problem,
                   size_t size)
{
    char *comma = strchr(line, ',');
    if (!comma) {
        snprintf(problem, size, "expected timestamp,value");
        return 0;
    }
    *comma = '\0';
    const char *time_text = trim_field(line);
    const char *value_text = trim_field(comma + 1);
    if (strchr(value_text, ',')) {
        snprintf(problem, size, "expected 2 columns (timestamp,value)");
        return 0;
    }
    if (parse_absolute_time(time_text, ts) != 0) {
        snprintf(problem, size, "'%.64s' is not a time", time_text);
        return 0;
    }
    if (parse_value(value_text, value) != 0) {
        snprintf(problem, size, "'%.64s' is not a finite number", value_text);
        return 0;
    }
    return 1;
}

static int parse_csv(import_data *d, char *text)
{
    size_t line_no = 0;
    int header_seen = 0;
    for (char *line = text; line && *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        line_no++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r')
            line[len - 1] = '\0';
        char *content = trim_field(line);
        int64_t ts;
        double value;
        char problem[160];
        if (*content && !header_seen) {
            header_seen = 1;
            if (csv_row(content, &ts, &value, problem, sizeof problem))
                return data_error(d,
                                  ":%zu: expected a header line "
                                  "(timestamp,value) before the values",
                                  line_no);
        } else if (*content) {
            if (!csv_row(content, &ts, &value, problem, sizeof problem))
                return data_error(d, ":%zu: %s", line_no, problem);
            if (add_point(d, ts, value) != 0)
                return data_error(d, ": out of memory");
        }
        line = next;
    }
    return HISTORY_EXIT_OK;
}

/* ---- JSON ----------------------------------------------------------------*/

static int json_time(const cJSON *item, int64_t *ts)
{
    const cJSON *ts_ms = cJSON_GetObjectItemCaseSensitive(item, "ts_ms");
    const cJSON *time = cJSON_GetObjectItemCaseSensitive(item, "time");
    const cJSON *t = ts_ms ? ts_ms : time;
    if (cJSON_IsNumber(t)) {
        double v = cJSON_GetNumberValue(t);
        if (!(v >= 0 && v < 9e15) || v != floor(v))
            return -1;
        *ts = (int64_t)v;
        return 0;
    }
    return cJSON_IsString(t) ? parse_absolute_time(t->valuestring, ts) : -1;
}

static int parse_json_item(import_data *d, const cJSON *item, size_t index)
{
    int64_t ts;
    if (!cJSON_IsObject(item))
        return data_error(
            d, ": index %zu: expected an object with time and value", index);
    if (json_time(item, &ts) != 0)
        return data_error(d,
                          ": index %zu: 'time' is missing or not a time "
                          "(epoch ms or 2026-01-01T10:00:00Z)",
                          index);
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(item, "value");
    if (!cJSON_IsNumber(value) || !isfinite(cJSON_GetNumberValue(value)))
        return data_error(d, ": index %zu: 'value' is missing or not a number",
                          index);
    if (add_point(d, ts, cJSON_GetNumberValue(value)) != 0)
        return data_error(d, ": out of memory");
    return HISTORY_EXIT_OK;
}

static int parse_json(import_data *d, const char *text)
{
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        size_t line = 1;
        for (const char *p = text; end && p < end; p++)
            line += *p == '\n';
        return data_error(d, ":%zu: not valid JSON", line);
    }
    const cJSON *values = root;
    if (cJSON_IsObject(root))
        values = cJSON_GetObjectItemCaseSensitive(root, "values");
    int rc = HISTORY_EXIT_OK;
    if (!cJSON_IsArray(values)) {
        rc = data_error(d, ": expected an array of {\"time\", \"value\"} or "
                           "an object with \"values\"");
    } else {
        size_t index = 0;
        const cJSON *item;
        cJSON_ArrayForEach(item, values)
        {
            rc = parse_json_item(d, item, index++);
            if (rc != HISTORY_EXIT_OK)
                break;
        }
    }
    cJSON_Delete(root);
    return rc;
}

/* JSON when the first character that is not a space opens an array or
 * an object; CSV otherwise. */
static int parse_data(import_data *d, char *text, size_t len)
{
    if (strlen(text) != len)
        return data_error(d, ": contains a NUL byte: not CSV or JSON");
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p == '[' || *p == '{')
        return parse_json(d, text);
    return parse_csv(d, text);
}

/* ---- the command ---------------------------------------------------------*/

static const char import_usage[] =
    "usage: nbaq-host -c FILE history import --check C --metric M "
    "[--unit U] [--monitor NAME] FILE\n"
    "  FILE: CSV (timestamp,value with a header line) or JSON "
    "([{\"time\": T, \"value\": V}] or {\"values\": [...]});\n"
    "  '-' reads stdin. T: epoch milliseconds, 2026-01-01, "
    "2026-01-01T10:00:00Z (UTC)\n";

static int import_usage_error(char *err, size_t err_size, const char *what,
                              const char *arg)
{
    snprintf(err, err_size, "history import: %s%s%s (see `history --help`)",
             what, arg ? " " : "", arg ? arg : "");
    return HISTORY_EXIT_USAGE;
}

static int parse_args(int argc, char **argv, import_args *a, int *help,
                      char *err, size_t err_size)
{
    static const struct {
        const char *flag;
        size_t offset;
    } flags[] = {{"--check", offsetof(import_args, check)},
                 {"--metric", offsetof(import_args, metric)},
                 {"--unit", offsetof(import_args, unit)},
                 {"--monitor", offsetof(import_args, monitor)}};
    for (int i = 2; i < argc; i++) {
        const char **slot = NULL;
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            *help = 1;
            continue;
        }
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
            if (strcmp(argv[i], flags[f].flag) == 0)
                slot = (const char **)((char *)a + flags[f].offset);
        }
        if (slot && i + 1 >= argc)
            return import_usage_error(err, err_size,
                                      "option needs a value:", argv[i]);
        if (slot)
            *slot = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1] != '\0')
            return import_usage_error(err, err_size, "unknown option", argv[i]);
        else if (a->file)
            return import_usage_error(err, err_size, "unexpected argument",
                                      argv[i]);
        else
            a->file = argv[i];
    }
    if (!*help && (!a->check || !a->metric || !a->file))
        return import_usage_error(
            err, err_size, "import needs --check, --metric and a FILE", NULL);
    return HISTORY_EXIT_OK;
}

static int store_points(const import_args *a, const history_cli_env *env,
                        import_data *d, FILE *out, char *err, size_t err_size)
{
    history_store *store = NULL;
    if (history_open(env->url, env->base_dir, &env->open_options, &store, err,
                     err_size) != 0)
        return HISTORY_EXIT_STORE;
    history_past_source source = {.monitor = a->monitor,
                                  .check = a->check,
                                  .plugin = "import",
                                  .kind = "import",
                                  .reason = "imported"};
    history_past_series series = {a->metric, a->unit, d->points, d->count};
    size_t stored = 0;
    int rc = history_store_past_points(store, &source, &series, 1, &stored, err,
                                       err_size);
    history_close(store);
    if (rc != 0)
        return HISTORY_EXIT_STORE;
    fprintf(out,
            "%s / %s / %s: imported %zu value%s from %s (%zu already "
            "stored)\n",
            a->monitor, a->check, a->metric, stored, stored == 1 ? "" : "s",
            d->name, d->count - stored);
    return HISTORY_EXIT_OK;
}

int history_import_main(int argc, char **argv, const history_cli_env *env,
                        FILE *out, char *err, size_t err_size)
{
    import_args a = {0};
    int help = 0;
    int rc = parse_args(argc, argv, &a, &help, err, err_size);
    if (rc != HISTORY_EXIT_OK || help) {
        if (help)
            fputs(import_usage, out);
        return rc;
    }
    if (!env || !env->url || !*env->url) {
        snprintf(err, err_size,
                 "history: no history store is configured (history.url)");
        return HISTORY_EXIT_STORE;
    }
    if (!a.monitor)
        a.monitor = env->monitor ? env->monitor : "";
    if (!a.unit)
        a.unit = "";
    char *text = NULL;
    size_t len = 0;
    rc = load_file(a.file, &text, &len, err, err_size);
    if (rc != HISTORY_EXIT_OK)
        return rc;
    import_data d = {.name = strcmp(a.file, "-") == 0 ? "<stdin>" : a.file,
                     .err = err,
                     .err_size = err_size};
    rc = parse_data(&d, text, len);
    free(text);
    if (rc == HISTORY_EXIT_OK)
        rc = store_points(&a, env, &d, out, err, err_size);
    free(d.points);
    return rc;
}
