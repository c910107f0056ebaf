/*
 * cli.c - `nbaq-host -c FILE history ...`: one metric's values over time,
 * the trend and statistics of every metric, and retention by hand.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "history_import.h"
#include "history_table.h"
#include "history_calc.h"
#include "history_episodes.h"
#include "history_store.h"
#include "numfmt.h"
#include "text.h"
#include "status.h"

static const char usage_text[] =
    "usage: nbaq-host -c FILE history COMMAND [OPTIONS]\n"
    "\n"
    "  show --check C --metric M [--since T] [--until T] [--json]\n"
    "      every stored value of one metric, oldest first\n"
    "      (--since defaults to 7d, --until to now)\n"
    "  trends [--window D] [--check C] [--until T] [--json]\n"
    "      trend and statistics of every metric over the window\n"
    "      (default 24h) ending at --until, against the window before\n"
    "  prune --older-than D\n"
    "      delete the runs that started more than D ago\n"
    "  accept --check C --metric M [--by NAME] [--note TEXT]\n"
    "      accept a metric's new level: its open conditions close and\n"
    "      the values since they opened become the baseline\n"
    "  import --check C --metric M [--unit U] FILE\n"
    "      load past values from CSV or JSON (FILE - reads stdin)\n"
    "\n"
    "  --monitor NAME   another monitor's history than the config's\n"
    "  T: now, a duration back from now (7d, 12h, 30m), 2024-05-01,\n"
    "     2024-05-01T10:00[:00][Z] (UTC) or epoch milliseconds\n"
    "  D: 30m, 24h, 7d, 2w, 1h30m\n"
    "\n"
    "exit status: 0 done, 64 usage error, 65 nothing to accept,\n"
    "             69 store unavailable\n";

typedef struct cli_options {
    const char *check;
    const char *metric;
    const char *since;
    const char *until;
    const char *window;
    const char *older_than;
    const char *monitor;
    const char *by;
    const char *note;
    int json;
    int help;
} cli_options;

typedef struct cli_context {
    const history_cli_env *env;
    history_store *store;
    const char *monitor;
    int64_t now_ms;
    FILE *out;
    char *err;
    size_t err_size;
} cli_context;

static int usage_error(char *err, size_t err_size, const char *fmt, ...)
    NBAQ_PRINTF(3, 4);

static int usage_error(char *err, size_t err_size, const char *fmt, ...)
{
    if (err_size == 0)
        return HISTORY_EXIT_USAGE;
    int used = snprintf(err, err_size, "history: ");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + used, err_size - (size_t)used, fmt, ap);
    va_end(ap);
    used = (int)strlen(err);
    snprintf(err + used, err_size - (size_t)used, " (see `history --help`)");
    return HISTORY_EXIT_USAGE;
}

/* The value slot of option `name`, if the command allows it. */
static const char **option_slot(cli_options *o, const char *command,
                                const char *name)
{
    static const struct {
        const char *name;
        const char *commands; /* space-separated                       */
        size_t offset;
    } table[] = {
        {"check", " show trends accept ", offsetof(cli_options, check)},
        {"metric", " show accept ", offsetof(cli_options, metric)},
        {"since", " show ", offsetof(cli_options, since)},
        {"until", " show trends ", offsetof(cli_options, until)},
        {"window", " trends ", offsetof(cli_options, window)},
        {"older-than", " prune ", offsetof(cli_options, older_than)},
        {"monitor", " show trends prune accept ",
         offsetof(cli_options, monitor)},
        {"by", " accept ", offsetof(cli_options, by)},
        {"note", " accept ", offsetof(cli_options, note)},
    };
    char key[32];
    snprintf(key, sizeof key, " %s ", command);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strcmp(table[i].name, name) == 0 && strstr(table[i].commands, key))
            return (const char **)((char *)o + table[i].offset);
    }
    return NULL;
}

static int parse_options(int argc, char **argv, const char *command,
                         cli_options *o, char *err, size_t err_size)
{
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            o->help = 1;
            continue;
        }
        if (strcmp(arg, "--json") == 0 &&
            (strcmp(command, "show") == 0 || strcmp(command, "trends") == 0)) {
            o->json = 1;
            continue;
        }
        if (strncmp(arg, "--", 2) != 0)
            return usage_error(err, err_size, "unexpected argument '%s'", arg);
        char name[32];
        const char *eq = strchr(arg, '=');
        size_t len = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        snprintf(name, sizeof name, "%.*s", (int)len, arg + 2);
        const char **slot = option_slot(o, command, name);
        if (!slot)
            return usage_error(err, err_size, "unknown option '%s'", arg);
        if (eq) {
            *slot = eq + 1;
        } else if (i + 1 < argc) {
            *slot = argv[++i];
        } else {
            return usage_error(err, err_size, "option '%s' needs a value", arg);
        }
    }
    return HISTORY_EXIT_OK;
}

static int parse_time_option(const char *text, const char *fallback,
                             int64_t now_ms, int64_t *ms, const char *option,
                             char *err, size_t err_size)
{
    if (history_parse_time(text ? text : fallback, now_ms, ms) == 0)
        return HISTORY_EXIT_OK;
    return usage_error(err, err_size, "%s '%s' is not a time", option, text);
}

/* ---- show ---------------------------------------------------------------*/

/* anomalous: 0 no, 1 flagged, 2 a suspect warm-up value. */
static const char *flag_name(int64_t anomalous)
{
    return anomalous == 1 ? "yes" : anomalous == 2 ? "suspect" : "no";
}

/* A measured value exactly (cJSON keeps 15 digits); null when not finite. */
static cJSON *json_number(double value)
{
    if (!isfinite(value))
        return cJSON_CreateNull();
    char text[TEXTFMT_NUMBER_SIZE];
    textfmt_number_exact(text, sizeof text, value);
    return cJSON_CreateRaw(text);
}

static void show_row_json(cJSON *values, store_stmt *s, const store_backend *b)
{
    char when[32];
    int64_t ts = b->column_int64(s, 0);
    history_format_time(ts, when, sizeof when);
    const char *unit = b->column_text(s, 2);
    const char *status = b->column_text(s, 3);
    const char *reason = b->column_text(s, 4);
    int64_t flag = b->column_int64(s, 5);
    cJSON *row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "time", when);
    cJSON_AddNumberToObject(row, "ts_ms", (double)ts);
    cJSON_AddItemToObject(row, "value", json_number(b->column_double(s, 1)));
    cJSON_AddStringToObject(row, "unit", unit ? unit : "");
    cJSON_AddStringToObject(row, "status", status ? status : "");
    cJSON_AddBoolToObject(row, "anomalous", flag == 1);
    cJSON_AddBoolToObject(row, "suspect", flag == 2);
    cJSON_AddStringToObject(row, "reason", reason ? reason : "");
    cJSON_AddItemToObject(row, "expected", json_number(b->column_double(s, 6)));
    cJSON_AddItemToObject(row, "lower", json_number(b->column_double(s, 7)));
    cJSON_AddItemToObject(row, "upper", json_number(b->column_double(s, 8)));
    cJSON_AddItemToObject(row, "score", json_number(b->column_double(s, 9)));
    cJSON_AddItemToArray(values, row);
}

/* "[950, 1050]"; an open side is "-"; "" when not judged. */
static void format_band(double lower, double upper, char *buf, size_t size)
{
    char lo[32] = "-", hi[32] = "-";
    if (!isfinite(lower) && !isfinite(upper)) {
        snprintf(buf, size, "%s", "");
        return;
    }
    if (isfinite(lower))
        history_format_stat(lower, lo, sizeof lo);
    if (isfinite(upper))
        history_format_stat(upper, hi, sizeof hi);
    snprintf(buf, size, "[%s, %s]", lo, hi);
}

static void show_row_table(cli_table *t, store_stmt *s, const store_backend *b)
{
    char when[32], value[40], expected[32] = "", band[72], score[32] = "";
    history_format_time(b->column_int64(s, 0), when, sizeof when);
    history_format_value(b->column_double(s, 1), value, sizeof value);
    double e = b->column_double(s, 6), z = b->column_double(s, 9);
    if (isfinite(e))
        history_format_stat(e, expected, sizeof expected);
    format_band(b->column_double(s, 7), b->column_double(s, 8), band,
                sizeof band);
    if (isfinite(z))
        snprintf(score, sizeof score, "%.1f", z);
    const char *cells[] = {when,
                           value,
                           b->column_text(s, 2),
                           b->column_text(s, 3),
                           flag_name(b->column_int64(s, 5)),
                           expected,
                           band,
                           score,
                           b->column_text(s, 4)};
    history_table_add(t, cells);
}

static int print_json(cJSON *root, FILE *out, char *err, size_t err_size)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        snprintf(err, err_size, "history: out of memory");
        return HISTORY_EXIT_STORE;
    }
    fprintf(out, "%s\n", text);
    free(text);
    return HISTORY_EXIT_OK;
}

static int show_values(cli_context *c, const cli_options *o, int64_t series,
                       int64_t since, int64_t until)
{
    const store_backend *b = c->store->backend;
    cJSON *root = cJSON_CreateObject();
    cJSON *values = cJSON_AddArrayToObject(root, "values");
    static const char *const header[] = {"TIME",   "VALUE",     "UNIT",
                                         "STATUS", "ANOMALOUS", "EXPECTED",
                                         "BAND",   "SCORE",     "REASON"};
    cli_table table;
    history_table_init(&table, header, 9);
    size_t count = 0;
    int rc = 0;
    if (series > 0) {
        store_stmt *s =
            history_store_stmt_get(c->store, STMT_SHOW, c->err, c->err_size);
        if (!s) {
            cJSON_Delete(root);
            history_table_free(&table);
            return HISTORY_EXIT_STORE;
        }
        b->bind_int64(s, 1, series);
        b->bind_int64(s, 2, since);
        b->bind_int64(s, 3, until);
        char why[512];
        while ((rc = b->step(s, why, sizeof why)) == 1) {
            count++;
            if (o->json)
                show_row_json(values, s, b);
            else
                show_row_table(&table, s, b);
        }
        b->reset(s);
        if (rc < 0) {
            history_store_error(c->store, c->err, c->err_size, "%s", why);
            cJSON_Delete(root);
            history_table_free(&table);
            return HISTORY_EXIT_STORE;
        }
    }
    char from[32], to[32];
    history_format_time(since, from, sizeof from);
    history_format_time(until, to, sizeof to);
    if (o->json) {
        history_table_free(&table);
        cJSON_AddStringToObject(root, "monitor", c->monitor);
        cJSON_AddStringToObject(root, "check", o->check);
        cJSON_AddStringToObject(root, "metric", o->metric);
        cJSON_AddStringToObject(root, "since", from);
        cJSON_AddStringToObject(root, "until", to);
        return print_json(root, c->out, c->err, c->err_size);
    }
    cJSON_Delete(root);
    fprintf(c->out, "%s / %s / %s: %zu value%s from %s to %s\n", c->monitor,
            o->check, o->metric, count, count == 1 ? "" : "s", from, to);
    if (count > 0)
        history_table_print(&table, c->out);
    history_table_free(&table);
    return HISTORY_EXIT_OK;
}

static int cmd_show(cli_context *c, const cli_options *o)
{
    if (!o->check || !o->metric)
        return usage_error(c->err, c->err_size, "%s",
                           "show needs --check and --metric");
    int64_t since, until;
    int rc = parse_time_option(o->since, "7d", c->now_ms, &since, "--since",
                               c->err, c->err_size);
    if (rc == 0)
        rc = parse_time_option(o->until, "now", c->now_ms, &until, "--until",
                               c->err, c->err_size);
    if (rc != 0)
        return rc;
    if (since > until)
        return usage_error(c->err, c->err_size, "%s",
                           "--since is after --until");
    int64_t series = history_store_series_id(c->store, c->monitor, o->check,
                                             o->metric, 0, c->err, c->err_size);
    if (series < 0)
        return HISTORY_EXIT_STORE;
    return show_values(c, o, series, since, until);
}

/* ---- trends -------------------------------------------------------------*/

typedef struct series_row {
    int64_t id;
    char *check;
    char *metric;
} series_row;

static void series_rows_free(series_row *rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(rows[i].check);
        free(rows[i].metric);
    }
    free(rows);
}

/* Every series of the monitor (optionally of one check), by name. */
static int list_series(cli_context *c, const char *check, series_row **out,
                       size_t *count)
{
    const store_backend *b = c->store->backend;
    *out = NULL;
    *count = 0;
    store_stmt *s = history_store_stmt_get(c->store, STMT_SERIES_OF_MONITOR,
                                           c->err, c->err_size);
    if (!s)
        return -1;
    b->bind_text(s, 1, c->monitor);
    size_t capacity = 0;
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        const char *name = b->column_text(s, 1);
        if (check && strcmp(check, name) != 0)
            continue;
        if (*count == capacity) {
            capacity = capacity ? capacity * 2 : 32;
            series_row *grown = realloc(*out, capacity * sizeof *grown);
            if (!grown) {
                rc = -2;
                break;
            }
            *out = grown;
        }
        series_row *row = &(*out)[(*count)++];
        row->id = b->column_int64(s, 0);
        row->check = strdup(name);
        row->metric = strdup(b->column_text(s, 2));
        if (!row->check || !row->metric) {
            rc = -2;
            break;
        }
    }
    b->reset(s);
    if (rc < 0) {
        series_rows_free(*out, *count);
        *out = NULL;
        *count = 0;
        return history_store_error(c->store, c->err, c->err_size, "%s",
                                   rc == -2 ? "out of memory" : why);
    }
    return 0;
}

typedef struct series_trend {
    nbaq_stats previous, current;
    double last;
    nbaq_trend trend;
} series_trend;

/* Statistics of (until - 2W, until - W] and (until - W, until]. */
static int compute_trend(cli_context *c, const series_row *row, int64_t until,
                         int64_t window_ms, series_trend *t)
{
    const store_backend *b = c->store->backend;
    store_stmt *s =
        history_store_stmt_get(c->store, STMT_WINDOW, c->err, c->err_size);
    if (!s)
        return -1;
    b->bind_int64(s, 1, row->id);
    b->bind_int64(s, 2, until - 2 * window_ms);
    b->bind_int64(s, 3, until + 1);
    size_t count = 0, capacity = 0, split = 0;
    double *values = NULL;
    char why[512];
    int rc;
    while ((rc = b->step(s, why, sizeof why)) == 1) {
        if (count == capacity) {
            capacity = capacity ? capacity * 2 : 256;
            double *grown = realloc(values, capacity * sizeof *grown);
            if (!grown) {
                rc = -2;
                break;
            }
            values = grown;
        }
        if (b->column_int64(s, 0) <= until - window_ms)
            split = count + 1;
        values[count++] = b->column_double(s, 1);
    }
    b->reset(s);
    if (rc < 0) {
        free(values);
        return history_store_error(c->store, c->err, c->err_size, "%s",
                                   rc == -2 ? "out of memory" : why);
    }
    history_stats_compute(values, split, &t->previous);
    history_stats_compute(values + split, count - split, &t->current);
    t->last = NAN;
    for (size_t i = count; i > split; i--) {
        if (isfinite(values[i - 1])) {
            t->last = values[i - 1];
            break;
        }
    }
    rule_better better =
        c->env->better
            ? c->env->better(c->env->better_arg, row->check, row->metric)
            : RULE_BETTER_NONE;
    t->trend = history_trend_classify(&t->previous, &t->current, better);
    free(values);
    return 0;
}

static void add_stat(cJSON *obj, const char *name, double value, int known)
{
    cJSON_AddItemToObject(obj, name,
                          known ? json_number(value) : cJSON_CreateNull());
}

static void trend_json(cJSON *metrics, const series_row *row,
                       const series_trend *t)
{
    cJSON *m = cJSON_CreateObject();
    int known = t->current.count > 0;
    cJSON_AddStringToObject(m, "check", row->check);
    cJSON_AddStringToObject(m, "metric", row->metric);
    cJSON_AddNumberToObject(m, "count", (double)t->current.count);
    add_stat(m, "last", t->last, known);
    add_stat(m, "min", t->current.min, known);
    add_stat(m, "max", t->current.max, known);
    add_stat(m, "mean", t->current.mean, known);
    add_stat(m, "median", t->current.median, known);
    add_stat(m, "stddev", t->current.stddev, known);
    add_stat(m, "previous_window_mean", t->previous.mean,
             t->previous.count > 0);
    cJSON_AddNumberToObject(m, "previous_window_count",
                            (double)t->previous.count);
    cJSON_AddStringToObject(m, "trend", trend_name(t->trend));
    cJSON_AddItemToArray(metrics, m);
}

static void trend_row(cli_table *table, const series_row *row,
                      const series_trend *t)
{
    char count[24], last[32], min[32], max[32], mean[32], median[32], sd[32],
        prev[32];
    int known = t->current.count > 0;
    snprintf(count, sizeof count, "%" PRIu64, t->current.count);
    history_format_value(t->last, last, sizeof last);
    history_format_value(t->current.min, min, sizeof min);
    history_format_value(t->current.max, max, sizeof max);
    history_format_stat(t->current.mean, mean, sizeof mean);
    history_format_stat(t->current.median, median, sizeof median);
    history_format_stat(t->current.stddev, sd, sizeof sd);
    history_format_stat(t->previous.mean, prev, sizeof prev);
    const char *cells[] = {row->check,
                           row->metric,
                           count,
                           known ? last : "-",
                           known ? min : "-",
                           known ? max : "-",
                           known ? mean : "-",
                           known ? median : "-",
                           known ? sd : "-",
                           t->previous.count ? prev : "-",
                           trend_name(t->trend)};
    history_table_add(table, cells);
}

static int report_trends(cli_context *c, const cli_options *o,
                         const series_row *rows, size_t count, int64_t until,
                         int64_t window_ms)
{
    static const char *const header[] = {
        "CHECK", "METRIC", "COUNT",  "LAST",      "MIN",  "MAX",
        "MEAN",  "MEDIAN", "STDDEV", "PREV MEAN", "TREND"};
    cli_table table;
    history_table_init(&table, header, 11);
    cJSON *root = cJSON_CreateObject();
    cJSON *metrics = cJSON_AddArrayToObject(root, "metrics");
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        series_trend t;
        if (compute_trend(c, &rows[i], until, window_ms, &t) != 0) {
            history_table_free(&table);
            cJSON_Delete(root);
            return HISTORY_EXIT_STORE;
        }
        if (t.current.count == 0 && t.previous.count == 0)
            continue;
        shown++;
        if (o->json)
            trend_json(metrics, &rows[i], &t);
        else
            trend_row(&table, &rows[i], &t);
    }
    char window[32], end[32];
    text_format_duration_unit(window_ms, window, sizeof window);
    history_format_time(until, end, sizeof end);
    if (o->json) {
        history_table_free(&table);
        cJSON_AddStringToObject(root, "monitor", c->monitor);
        cJSON_AddStringToObject(root, "window", window);
        cJSON_AddNumberToObject(root, "window_ms", (double)window_ms);
        cJSON_AddStringToObject(root, "until", end);
        return print_json(root, c->out, c->err, c->err_size);
    }
    cJSON_Delete(root);
    fprintf(c->out,
            "%s: %zu metric%s, window %s ending %s, against the %s "
            "before\n",
            c->monitor, shown, shown == 1 ? "" : "s", window, end, window);
    if (shown > 0)
        history_table_print(&table, c->out);
    history_table_free(&table);
    return HISTORY_EXIT_OK;
}

static int cmd_trends(cli_context *c, const cli_options *o)
{
    int64_t window_ms = HISTORY_DEFAULT_TREND_WINDOW_MS, until;
    if (o->window && history_parse_duration(o->window, &window_ms) != 0)
        return usage_error(c->err, c->err_size,
                           "--window '%s' is not a duration", o->window);
    int rc = parse_time_option(o->until, "now", c->now_ms, &until, "--until",
                               c->err, c->err_size);
    if (rc != 0)
        return rc;
    series_row *rows;
    size_t count;
    if (list_series(c, o->check, &rows, &count) != 0)
        return HISTORY_EXIT_STORE;
    rc = report_trends(c, o, rows, count, until, window_ms);
    series_rows_free(rows, count);
    return rc;
}

/* ---- prune --------------------------------------------------------------*/

static int cmd_prune(cli_context *c, const cli_options *o)
{
    int64_t age;
    if (!o->older_than)
        return usage_error(c->err, c->err_size, "%s",
                           "prune needs --older-than");
    if (history_parse_duration(o->older_than, &age) != 0)
        return usage_error(c->err, c->err_size,
                           "--older-than '%s' is not a duration",
                           o->older_than);
    uint64_t runs = 0;
    if (history_prune(c->store, c->monitor, c->now_ms - age, &runs, c->err,
                      c->err_size) != 0)
        return HISTORY_EXIT_STORE;
    char cutoff[32];
    history_format_time(c->now_ms - age, cutoff, sizeof cutoff);
    fprintf(c->out, "%s: deleted %" PRIu64 " run%s started before %s\n",
            c->monitor, runs, runs == 1 ? "" : "s", cutoff);
    return HISTORY_EXIT_OK;
}

/* ---- accept (accept.c) --------------------------------------------------*/

static int cmd_accept(cli_context *c, const cli_options *o)
{
    if (!o->check || !o->metric)
        return usage_error(c->err, c->err_size, "%s",
                           "accept needs --check and --metric");
    history_accept_request req = {c->monitor, o->check, o->metric,
                                  o->by,      o->note,  c->now_ms};
    return history_accept(c->store, &req, c->out, c->err, c->err_size);
}

/* ---- main ---------------------------------------------------------------*/

static int64_t clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int run_command(cli_context *c, const char *command,
                       const cli_options *o)
{
    if (history_open(c->env->url, c->env->base_dir, &c->env->open_options,
                     &c->store, c->err, c->err_size) != 0)
        return HISTORY_EXIT_STORE;
    int rc;
    if (strcmp(command, "show") == 0)
        rc = cmd_show(c, o);
    else if (strcmp(command, "trends") == 0)
        rc = cmd_trends(c, o);
    else if (strcmp(command, "accept") == 0)
        rc = cmd_accept(c, o);
    else
        rc = cmd_prune(c, o);
    history_close(c->store);
    c->store = NULL;
    return rc;
}

int history_cli_main(int argc, char **argv, const history_cli_env *env,
                     FILE *out, char *err, size_t err_size)
{
    if (err_size > 0)
        err[0] = '\0';
    const char *command = argc > 1 ? argv[1] : NULL;
    if (command &&
        (strcmp(command, "-h") == 0 || strcmp(command, "--help") == 0 ||
         strcmp(command, "help") == 0)) {
        fputs(usage_text, out);
        return HISTORY_EXIT_OK;
    }
    if (!command)
        return usage_error(err, err_size, "%s", "no command given");
    if (strcmp(command, "import") == 0)
        return history_import_main(argc, argv, env, out, err, err_size);
    if (strcmp(command, "show") != 0 && strcmp(command, "trends") != 0 &&
        strcmp(command, "prune") != 0 && strcmp(command, "accept") != 0)
        return usage_error(err, err_size, "unknown command '%s'", command);
    cli_options o = {0};
    int rc = parse_options(argc, argv, command, &o, err, err_size);
    if (rc != HISTORY_EXIT_OK)
        return rc;
    if (o.help) {
        fputs(usage_text, out);
        return HISTORY_EXIT_OK;
    }
    if (!env || !env->url || !*env->url) {
        snprintf(err, err_size,
                 "history: no history store is configured (history.url)");
        return HISTORY_EXIT_STORE;
    }
    cli_context c = {env,
                     NULL,
                     o.monitor ? o.monitor : env->monitor,
                     env->now_ms > 0 ? env->now_ms : clock_ms(),
                     out,
                     err,
                     err_size};
    if (!c.monitor)
        c.monitor = "";
    return run_command(&c, command, &o);
}
