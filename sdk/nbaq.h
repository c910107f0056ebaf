/*
 * nbaq.h - the whole contract between the nbaq host and its plugins.
 *
 * A plugin is a shared object that exports one function with a fixed name,
 * nbaq_plugin_descriptor_get(), returning a static descriptor. The host
 * dlopen()s the file, calls that function, checks the descriptor's ABI
 * version and size, and only then calls anything else. Every service the
 * host offers reaches the plugin as a table of function pointers
 * (nbaq_host_api) passed to each callback, in the manner of SQLite's
 * loadable extensions: a plugin never links against the host, and is
 * built with -Wl,-z,defs to prove it.
 *
 * Compatibility rules
 *   - NBAQ_ABI_MAJOR changes break plugins; the host refuses a plugin whose
 *     major differs from its own.
 *   - NBAQ_ABI_MINOR grows when something is appended: a field at the end of
 *     a struct below, or a function at the end of nbaq_host_api. Nothing is
 *     ever removed or reordered within a major version.
 *   - The host refuses a plugin built against a newer minor than its own
 *     (one rule, chosen over probing for functions: it is what hosts have
 *     always done, and it leaves nothing for a plugin to check). So every
 *     function of nbaq_host_api that a plugin's copy of this header
 *     declares is there and non-NULL when the plugin runs: call it. (The
 *     macro NBAQ_API_HAS of earlier headers could never be false, and is
 *     gone.) The host reads descriptor fields only up to
 *     descriptor->struct_size, so older plugins keep loading.
 *   - nbaq_option_spec is frozen for the whole major version: the host
 *     walks a plugin's option array with its own sizeof, so the struct can
 *     never grow without misreading older plugins. What a later minor adds
 *     about options goes elsewhere (the descriptor, read up to its
 *     struct_size).
 *   - Result structs (nbaq_run and what it points to) are reached through
 *     arrays of pointers, never arrays of structs, so that they can grow.
 *
 * Ownership, for every pointer that crosses the boundary
 *   - Strings and structs the plugin hands to the host (metric names, units,
 *     messages, output data) are copied by the host before the call returns.
 *     The plugin may pass stack buffers.
 *   - Everything the host hands to the plugin (options, the run, names,
 *     directories) is owned by the host, read-only, and valid until the
 *     callback that received it returns, unless the comment says longer.
 *   - Error text travels in a buffer the caller provides (err, err_size);
 *     nothing is ever freed on the other side of the boundary.
 *
 * Isolation
 *   Every check and every reporter runs in a child process of the host with
 *   a timeout. A plugin that crashes, calls exit() or hangs ends as ERROR
 *   with the reason; the host and the other plugins carry on. Plugins may
 *   therefore use process-wide state (curl_global_init, signal handlers)
 *   without cleaning it up, but must not rely on anything surviving between
 *   two calls. Load-time code (constructors, nbaq_plugin_descriptor_get())
 *   runs first in a throw-away child that vets the plugin, then in the
 *   host: it must have no side effects and must not exit or block.
 */
#ifndef NBAQ_H
#define NBAQ_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NBAQ_ABI_MAJOR 1
#define NBAQ_ABI_MINOR 2
#define NBAQ_ABI_VERSION ((uint32_t)((NBAQ_ABI_MAJOR << 16) | NBAQ_ABI_MINOR))
#define NBAQ_ABI_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define NBAQ_ABI_VERSION_MINOR(v) ((uint32_t)(v)&0xffffu)

/* A size for the error buffers a plugin fills or passes on (err,
 * err_size): room for a path, a server's message and the context. */
#define NBAQ_ERR_SIZE 1024

/* The one symbol the host looks up in a plugin. */
#define NBAQ_PLUGIN_ENTRY_SYMBOL "nbaq_plugin_descriptor_get"

#if defined(__GNUC__)
#define NBAQ_EXPORT __attribute__((visibility("default")))
#define NBAQ_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define NBAQ_EXPORT
#define NBAQ_PRINTF(fmt, first)
#endif

/* ------------------------------------------------------------------------ */
/* Statuses and severities                                                   */

/*
 * Result of a check or of one metric. Exit codes of nbaq-host follow the
 * monitoring-plugins convention: PASS 0, WARNING 1, FAIL 2, ERROR/UNKNOWN 3.
 * "Worst" is this order, from best to worst: PASS < WARNING < FAIL <
 * UNKNOWN < ERROR. ERROR and UNKNOWN rank above FAIL because a check that
 * could not measure must never be hidden behind one that measured badly.
 */
typedef enum nbaq_status {
    NBAQ_PASS = 0,
    NBAQ_WARNING = 1,
    NBAQ_FAIL = 2,
    NBAQ_ERROR = 3,
    NBAQ_UNKNOWN = 4
} nbaq_status;
#define NBAQ_STATUS_COUNT 5

typedef enum nbaq_severity {
    NBAQ_SEV_INFO = 0,
    NBAQ_SEV_LOW = 1,
    NBAQ_SEV_MEDIUM = 2,
    NBAQ_SEV_HIGH = 3,
    NBAQ_SEV_CRITICAL = 4
} nbaq_severity;
#define NBAQ_SEVERITY_COUNT 5

typedef enum nbaq_log_level {
    NBAQ_LOG_ERROR = 0,
    NBAQ_LOG_WARN = 1,
    NBAQ_LOG_INFO = 2,
    NBAQ_LOG_DEBUG = 3
} nbaq_log_level;

/* ------------------------------------------------------------------------ */
/* Option schema: declared by the plugin, validated and documented by host  */

typedef enum nbaq_option_type {
    NBAQ_OPT_STRING = 1,  /* any scalar, as text                            */
    NBAQ_OPT_INT,         /* 64-bit signed integer                          */
    NBAQ_OPT_DOUBLE,      /* number                                         */
    NBAQ_OPT_BOOL,        /* true/false/yes/no/on/off                       */
    NBAQ_OPT_DURATION,    /* "250ms", "30s", "5m", "2h", "7d"; read in ms   */
    NBAQ_OPT_SIZE,        /* "512", "64K", "2M", "1G" (powers of 1024); B   */
    NBAQ_OPT_ENUM,        /* one of spec.choices; read as a string          */
    NBAQ_OPT_STRING_LIST, /* a sequence of scalars, or one scalar           */
    NBAQ_OPT_STRING_MAP,  /* a mapping of scalar to scalar (headers, types) */
    NBAQ_OPT_OBJECT,      /* a mapping validated against spec.fields        */
    NBAQ_OPT_OBJECT_LIST, /* a sequence of mappings, each against fields    */
    /* --- appended in ABI 1.2: values the host checks before any run ---- */
    NBAQ_OPT_URL,          /* a string: scheme://host[:port][/...], scheme  */
                           /* one of spec.choices (NULL: http, https), no   */
                           /* user:password@, no spaces or controls; read   */
                           /* with opt_string                               */
    NBAQ_OPT_HTTP_HEADERS, /* a STRING_MAP of HTTP header fields: names are */
                           /* tokens, values hold no CR, LF or controls     */
    NBAQ_OPT_NAMED_OBJECT_LIST /* an OBJECT_LIST whose fields declare      */
                               /* `name`; no two items have the same name */
} nbaq_option_type;

/*
 * One declared option. A plugin's schema is a static array terminated by an
 * entry whose name is NULL (NBAQ_OPTION_END). The host rejects unknown
 * keys (suggesting the closest declared one), missing required options and
 * values of the wrong type, naming file, line and column, before the plugin
 * ever runs. The host owns none of these pointers: they point into the
 * plugin's static data and must live as long as the plugin is loaded.
 * Frozen: this struct never changes size within ABI major 1 (the host
 * steps through a plugin's array with its own sizeof).
 */
typedef struct nbaq_option_spec {
    const char *name;
    nbaq_option_type type;
    int required;               /* non-zero: the config must set it          */
    const char *default_value;  /* as it would be written in YAML; NULL: none */
    const char *description;    /* one line, printed by --list-plugins      */
    double min;                 /* INT, DOUBLE, DURATION (ms), SIZE (bytes): */
    double max;                 /*   bounds; see NBAQ_NO_BOUND below        */
    const char *const *choices; /* ENUM: NULL-terminated list of values     */
    int secret;                 /* never printed by the host                */
    const struct nbaq_option_spec *fields; /* OBJECT, OBJECT_LIST: schema  */
} nbaq_option_spec;

/*
 * Bounds. A bound is set when it is not NBAQ_NO_BOUND (NaN), with one
 * exception: min and max both 0 is what a spec that names neither gets,
 * and means no bounds. So:
 *   .min = 1, .max = 10                 1 to 10
 *   .min = 1, .max = NBAQ_NO_BOUND      at least 1
 *   .min = NBAQ_NO_BOUND, .max = 100    at most 100
 *   neither                             any value
 * A lone .min = 1 leaves max at 0, below min: the host refuses such a
 * schema when it loads the plugin, rather than check nothing. The host
 * tests a bound with the two functions below.
 */
#define NBAQ_NO_BOUND ((double)NAN)

static inline int nbaq_option_no_bounds(const nbaq_option_spec *spec)
{
    return spec->min == 0 && spec->max == 0;
}

static inline int nbaq_option_has_min(const nbaq_option_spec *spec)
{
    return !isnan(spec->min) && !nbaq_option_no_bounds(spec);
}

static inline int nbaq_option_has_max(const nbaq_option_spec *spec)
{
    return !isnan(spec->max) && !nbaq_option_no_bounds(spec);
}

#define NBAQ_OPTION_END                                                        \
    {                                                                          \
        0                                                                      \
    }

/* ------------------------------------------------------------------------ */
/* The aggregated run a reporter receives. Owned by the host, read-only,    */
/* valid until the report callback returns.                                 */

typedef enum nbaq_trend {
    NBAQ_TREND_UNKNOWN = 0, /* not enough history                            */
    NBAQ_TREND_STABLE,
    NBAQ_TREND_IMPROVING, /* moving in the metric's better direction      */
    NBAQ_TREND_WORSENING,
    NBAQ_TREND_UP, /* moving, and no better direction declared     */
    NBAQ_TREND_DOWN
} nbaq_trend;

/* Summary statistics of one metric over the trend window. */
typedef struct nbaq_stats {
    uint64_t count; /* 0: no history in the window; the rest is undefined  */
    double min;
    double max;
    double mean;
    double median;
    double stddev; /* sample standard deviation (n - 1); 0 when count < 2  */
} nbaq_stats;

/* One stored value of a metric. Never grows: reached as a plain array. */
typedef struct nbaq_point {
    int64_t ts_ms; /* epoch milliseconds of the run                         */
    double value;
} nbaq_point;

/* How the history rules saw a metric in this run (ABI 1.2). */
typedef enum nbaq_judgement {
    NBAQ_JUDGEMENT_NONE = 0, /* no history rule, or no history store         */
    NBAQ_JUDGEMENT_LEARNING, /* a rule applies, too little history yet:
                                points_used of points_needed               */
    NBAQ_JUDGEMENT_JUDGED,   /* compared with a baseline: evidence is set   */
    NBAQ_JUDGEMENT_OPEN      /* a fired condition is still open: compared
                                with the baseline frozen when it opened    */
} nbaq_judgement;

/* The evidence behind a metric's history judgement (ABI 1.2). Numbers are
 * NAN where they do not apply. `season` points to static text in the host
 * ("none", "daily", "weekly", "hour_of_day", ...), valid as the run is. */
typedef struct nbaq_evidence {
    nbaq_judgement state;
    uint32_t points_used;   /* baseline values used                         */
    uint32_t points_needed; /* LEARNING: the minimum history                 */
    double expected;        /* baseline: what this run's value should be    */
    double scale;           /* robust spread used, after floors             */
    double score;           /* (value - expected) / scale                   */
    double lower, upper;    /* expected band; outside it the rule fires     */
    const char *season;     /* the cycle compared against                   */
    int season_detected;    /* 1: found in the history; 0: configured/none  */
    int64_t open_since_ms;  /* OPEN: when the condition opened; else 0      */
    int64_t accepted_ms;    /* a person accepted a new level at; else 0     */
} nbaq_evidence;

/* The judgement of one past point, parallel to nbaq_metric.history (ABI
 * 1.2). Never grows: reached as a plain array. */
typedef struct nbaq_point_band {
    double lower, upper; /* expected band at that run; NAN: not judged      */
    int anomalous;       /* the value was flagged                           */
} nbaq_point_band;

typedef struct nbaq_metric {
    const char *name;
    double value;
    const char *unit;   /* "" when the plugin gave none                     */
    nbaq_status status; /* from thresholds and rules; PASS when none apply  */
    const char *reason; /* which rule set the status, with numbers; ""      */
    int anomalous;      /* the anomaly rule judged this value anomalous     */

    /* History, filled by the host when a history store is configured.     */
    int has_previous;  /* 0: no earlier value; the next two undefined    */
    double previous;   /* value of the previous run                      */
    double change_pct; /* (value - previous) / |previous| * 100; NAN if 0 */
    nbaq_trend trend;
    int64_t window_ms; /* length of the trend window                     */
    double previous_window_mean; /* mean over the window before; NAN: none  */
    nbaq_stats stats; /* over the current window, this run included    */
    const nbaq_point *history; /* oldest first, this run last; bounded by  */
    size_t history_count;      /*   the config's report history settings   */

    /* --- appended in ABI 1.2 ------------------------------------------- */
    nbaq_evidence evidence;
    /* NULL, or history_count entries: the band and flag of each point.    */
    const nbaq_point_band *history_band;
} nbaq_metric;

typedef enum nbaq_alert_state {
    NBAQ_ALERT_NEW = 0,   /* opened by this run                             */
    NBAQ_ALERT_FIRING,    /* still open, already notified                   */
    NBAQ_ALERT_ESCALATED, /* severity raised by this run                    */
    NBAQ_ALERT_RESOLVED,  /* closed by this run                             */
    NBAQ_ALERT_SILENCED,  /* open, but acknowledged until silenced_until_ms */
    NBAQ_ALERT_FLAPPING   /* changing state too often; notified once        */
} nbaq_alert_state;

typedef struct nbaq_alert {
    const char *fingerprint; /* stable: monitor, check, metric or condition */
    const char *check;
    const char *metric;  /* "" for a check-level condition              */
    const char *summary; /* one line                                     */
    nbaq_severity severity;
    nbaq_alert_state state;
    int64_t started_ms; /* epoch milliseconds                           */
    int64_t ended_ms;   /* RESOLVED: when; otherwise 0                  */
    int64_t silenced_until_ms;
    int notify;            /* non-zero: channels should send it this run  */
    uint32_t failing_runs; /* consecutive non-PASS runs                    */
} nbaq_alert;

typedef struct nbaq_check_result {
    const char *name;       /* the check's name from the config             */
    const char *plugin;     /* the plugin that ran it                       */
    nbaq_status status;     /* worst of the plugin's and its metrics'       */
    const char *message;    /* the plugin's message, then rule reasons      */
    nbaq_severity severity; /* declared in the config (default MEDIUM)      */
    int64_t started_ms;     /* epoch milliseconds                           */
    int64_t duration_ms;
    const nbaq_metric *const *metrics;
    size_t metric_count;
} nbaq_check_result;

typedef struct nbaq_run {
    uint32_t struct_size; /* sizeof(nbaq_run) of the host that built it    */
    const char *monitor;  /* the config's monitor name                      */
    const char *run_id;   /* unique per run                                 */
    int64_t started_ms;
    int64_t finished_ms;
    nbaq_status status; /* worst over all checks                          */
    size_t status_counts[NBAQ_STATUS_COUNT]; /* checks per status          */
    const nbaq_check_result *const *checks;
    size_t check_count;
    const nbaq_alert *const *alerts;
    size_t alert_count;
    int history_saved; /* 1 saved, 0 no store configured, -1 failed     */
} nbaq_run;

/* ------------------------------------------------------------------------ */
/* Host API                                                                 */

/* Opaque. A configured instance of a plugin: one check or one reporter.   */
typedef struct nbaq_ctx nbaq_ctx;
/* Opaque. A validated set of options (the root, or one OBJECT inside).   */
typedef struct nbaq_options nbaq_options;

typedef struct nbaq_host_api {
    uint32_t abi_version; /* the host's NBAQ_ABI_VERSION                   */
    uint32_t struct_size; /* sizeof(nbaq_host_api) in the host             */

    /* --- identity ------------------------------------------------------ */
    /* The instance's name from the config (check or reporter name).       */
    const char *(*instance_name)(const nbaq_ctx *ctx);
    /* The monitor name of the config.                                     */
    const char *(*monitor_name)(const nbaq_ctx *ctx);

    /* --- options: owned by the host, valid for the whole callback -------- */
    /* Root options of this instance.                                      */
    const nbaq_options *(*options)(const nbaq_ctx *ctx);
    /* Non-zero when the option was written in the config or has a default. */
    int (*opt_is_set)(const nbaq_options *o, const char *name);
    /* STRING, ENUM: the text; NULL when unset. Other types: see below.     */
    const char *(*opt_string)(const nbaq_options *o, const char *name);
    /* INT; DURATION in milliseconds; SIZE in bytes. 0 when unset.          */
    int64_t (*opt_int)(const nbaq_options *o, const char *name);
    /* DOUBLE (or INT). 0 when unset.                                      */
    double (*opt_double)(const nbaq_options *o, const char *name);
    /* BOOL. 0 when unset.                                                 */
    int (*opt_bool)(const nbaq_options *o, const char *name);
    /* STRING_LIST, STRING_MAP, OBJECT_LIST: number of items; 0 when unset. */
    size_t (*opt_count)(const nbaq_options *o, const char *name);
    /* STRING_LIST: item i.                                                */
    const char *(*opt_list_string)(const nbaq_options *o, const char *name,
                                   size_t i);
    /* STRING_MAP: key and value of entry i, in config order.              */
    const char *(*opt_map_key)(const nbaq_options *o, const char *name,
                               size_t i);
    const char *(*opt_map_value)(const nbaq_options *o, const char *name,
                                 size_t i);
    /* OBJECT: the nested options; NULL when unset.                        */
    const nbaq_options *(*opt_object)(const nbaq_options *o, const char *name);
    /* OBJECT_LIST: item i.                                                */
    const nbaq_options *(*opt_list_object)(const nbaq_options *o,
                                           const char *name, size_t i);
    /* "file:line:column" where the option (or, name NULL, the object) was
     * written, for the plugin's own error messages; "" for defaults.       */
    const char *(*opt_location)(const nbaq_options *o, const char *name);

    /* --- logging: to stderr, prefixed with the instance; copied ---------- */
    void (*log)(const nbaq_ctx *ctx, nbaq_log_level level, const char *fmt, ...)
        NBAQ_PRINTF(3, 4);

    /* --- checkers ------------------------------------------------------- */
    /* Record a metric. name and unit are copied; unit may be NULL. Setting
     * the same name twice keeps the last value. Thresholds and history
     * rules from the config are applied by the host afterwards.           */
    void (*metric_set)(nbaq_ctx *ctx, const char *name, double value,
                       const char *unit);
    /* Set the check's status and message (printf-style, copied). A later
     * call replaces an earlier one. A check that returns without calling
     * it ends as ERROR "no status".                                       */
    void (*status_set)(nbaq_ctx *ctx, nbaq_status status, const char *fmt, ...)
        NBAQ_PRINTF(3, 4);
    /* Milliseconds left before the host stops this check; plan network
     * and database timeouts with it.                                      */
    int64_t (*time_left_ms)(const nbaq_ctx *ctx);
    /* A directory private to this run and shared by all of its checks,
     * removed by the host when the run ends. Checks of one run use it to
     * share work (one object listing for several checks of one prefix).
     * Write files there atomically (temporary name, then rename).         */
    const char *(*run_cache_dir)(const nbaq_ctx *ctx);
    /* Small persistent state per check, kept in the history store across
     * runs (schema of a table, say). state_get returns the value saved by
     * an earlier run, NULL when none or no store; valid during the call.
     * state_set copies key and value; it is saved with this run.          */
    const char *(*state_get)(const nbaq_ctx *ctx, const char *key);
    void (*state_set)(nbaq_ctx *ctx, const char *key, const char *value);

    /* --- reporters ------------------------------------------------------ */
    /* Write this reporter's output. Where it goes is the user's choice,
     * made with the options the host adds to every reporter whose
     * descriptor sets NBAQ_FLAG_WRITES_OUTPUT:
     *   output: "-" (stdout, the default) or a file path;
     *   output_dir: a directory; the host writes
     *     <dir>/<monitor>-<UTC timestamp>.<extension> and replaces
     *     <dir>/<monitor>-latest.<extension> beside it.
     * Files are written to a temporary name, synced and renamed, so that a
     * reader never sees half a report; missing directories, full disks and
     * permissions are errors. extension has no dot ("json"). data is
     * copied or written before the call returns. Returns 0, or -1 with err
     * filled (naming the path).                                           */
    int (*output_write)(const nbaq_ctx *ctx, const char *extension,
                        const void *data, size_t len, char *err,
                        size_t err_size);

    /* --- appended in ABI 1.1 ------------------------------------------- */
    /* Non-zero when output_write() would write to a terminal: output "-",
     * no output_dir, and the host's stdout is a tty. For colors "auto".  */
    int (*output_is_terminal)(const nbaq_ctx *ctx);

    /* --- appended in ABI 1.2 ------------------------------------------- */
    /* Past values of the metric `name`, which the data holds (daily row
     * counts from a timestamp column, objects per day): the host stores
     * them in its history before it judges this run's value of `name`, so
     * that a first run already has a baseline. The host stores them only
     * when the series has no value yet (one call per metric and run is
     * enough; later calls for the same name are ignored), and skips
     * points at or after the run's start and non-finite values. A
     * backfilled series still needs metric_set() for this run's value.
     * Checkers only. At most NBAQ_BACKFILL_POINTS_MAX points per call,
     * name and unit as for metric_set().
     * Ownership: name, unit and points are the plugin's; they are copied
     * before the call returns. Returns 0 when the points were handed to
     * the host, -1 when the host keeps no history store (nothing is
     * kept: a plugin may skip the work of computing them).              */
    int (*metric_backfill)(nbaq_ctx *ctx, const char *name, const char *unit,
                           const nbaq_point *points, size_t count);
    /* The absolute directory of the config file this instance comes from
     * (no trailing slash): the base of relative paths in options, as
     * "file:line:column" from opt_location() is only for messages.
     * Ownership: the host's, valid for the whole callback.            */
    const char *(*config_dir)(const nbaq_ctx *ctx);
} nbaq_host_api;

/* Points one metric_backfill() call may hand over. */
#define NBAQ_BACKFILL_POINTS_MAX 1000

/* ------------------------------------------------------------------------ */
/* The descriptor                                                           */

typedef enum nbaq_plugin_kind {
    NBAQ_KIND_CHECKER = 1,
    NBAQ_KIND_REPORTER = 2
} nbaq_plugin_kind;

/*
 * A checker measures. It reads its options, records metrics and sets a
 * status. It runs in its own process; returning ends the check.
 */
typedef void (*nbaq_check_fn)(const nbaq_host_api *api, nbaq_ctx *ctx);

/*
 * A reporter receives the whole aggregated run. Returns 0 on success, or
 * -1 with a one-line reason in err (never a secret). It runs in its own
 * process; the run is read-only.
 */
typedef int (*nbaq_report_fn)(const nbaq_host_api *api, nbaq_ctx *ctx,
                              const nbaq_run *run, char *err, size_t err_size);

/*
 * Semantic validation of a configured instance (ABI 1.2), for what the
 * option schema cannot say: rules across options, duplicates inside a
 * list, a plugin's own syntax. opts are the instance's root options,
 * already checked against the schema (read them with the api's opt_*
 * functions; opt_location gives "file:line:column" for the message).
 * Returns 0 when the options make sense, or -1 with a one-line reason in
 * err (never a secret): the host prefixes it with the config location of
 * the check or reporter and the plugin's name. The host calls it for
 * --check-config and before any check of a normal run starts, in one
 * throw-away child process for all the instances of the config: it must
 * be quick, must not touch files, the network or anything outside opts
 * (there is no ctx: only the api's opt_* functions apply), and a crash,
 * exit or hang in it is reported as an error of that instance.
 * Ownership: api and opts are the host's, valid during the call; err is
 * the host's buffer of err_size bytes.
 */
typedef int (*nbaq_validate_fn)(const nbaq_host_api *api,
                                const nbaq_options *opts, char *err,
                                size_t err_size);

/*
 * A metric a checker may emit (ABI 1.2), so that --check-config can refuse
 * a threshold on a metric no check of the plugin emits. A plugin's
 * declarations are a static array terminated by an entry whose pattern is
 * NULL (NBAQ_METRIC_END). In a pattern,
 *   `*`           matches any run of characters, none included;
 *   `\`           makes the next character literal;
 *   {opt}         is the value of option opt of the check (STRING, ENUM;
 *                 BOOL: "true"/"false"), any item of a STRING_LIST,
 *                 any key of a STRING_MAP;
 *   {opt.field}   is that field of the OBJECT opt, or of any item of the
 *                 (NAMED_)OBJECT_LIST opt;
 *   {opt|text}    as {opt}, or text when the option is unset;
 *   {opt=glob}    is the empty string when the value of opt matches the
 *                 fnmatch(3) glob: a condition ({mode=number}metric);
 *   the rest      matches itself.
 * A placeholder without a value (an unset option, a condition not met)
 * makes its pattern match nothing. A pattern that is `*` once the
 * placeholders are in says "any name" (names chosen at run time, such as
 * a command's perfdata labels): thresholds on that check are then not
 * tested. Placeholders must name declared options that are not secret
 * (the host refuses the plugin otherwise). unit is the unit metric_set() gives (NULL: none),
 * description one line; --list-plugins prints the three.
 * Ownership: the array and its strings are the plugin's static data, live
 * as long as the plugin is loaded, and are never written by the host.
 * Frozen: this struct never changes size within ABI major 1.
 */
typedef struct nbaq_metric_decl {
    const char *pattern;
    const char *unit;
    const char *description;
} nbaq_metric_decl;

#define NBAQ_METRIC_END                                                        \
    {                                                                          \
        0                                                                      \
    }

typedef struct nbaq_plugin_descriptor {
    uint32_t abi_version; /* NBAQ_ABI_VERSION the plugin was built with    */
    uint32_t struct_size; /* sizeof(nbaq_plugin_descriptor) at build time  */
    nbaq_plugin_kind kind;
    const char *name;        /* [a-z0-9_]+, equal to the folder and .so stem */
    const char *version;     /* the plugin's own version, "1.2.0"           */
    const char *description; /* one line                                    */
    const nbaq_option_spec *options; /* NULL-name terminated; may be NULL   */
    nbaq_check_fn check;   /* checkers                                    */
    nbaq_report_fn report; /* reporters                                   */
    uint32_t flags;        /* NBAQ_FLAG_* below                           */

    /* --- appended in ABI 1.2: read only when struct_size covers them --- */
    nbaq_validate_fn validate; /* optional: checks and reporters          */
    /* Checkers: the metrics they emit, NBAQ_METRIC_END terminated. NULL
     * (or a plugin built before these fields) declares nothing, and its
     * checks' thresholds are then not checked against declarations.   */
    const nbaq_metric_decl *metrics;
} nbaq_plugin_descriptor;

/* The reporter writes a report through output_write(): the host gives it
 * the `output` and `output_dir` options.                                  */
#define NBAQ_FLAG_WRITES_OUTPUT 0x1u

/* Fills the two header fields of a descriptor. */
#define NBAQ_DESCRIPTOR_HEADER                                                 \
    .abi_version = NBAQ_ABI_VERSION,                                           \
    .struct_size = (uint32_t)sizeof(nbaq_plugin_descriptor)

/*
 * Exports the entry point. Use once per plugin, with the name of a static
 * nbaq_plugin_descriptor. The descriptor lives as long as the plugin is
 * loaded; the host never writes to it.
 */
#define NBAQ_PLUGIN(descriptor)                                                \
    NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(      \
        void);                                                                 \
    NBAQ_EXPORT const nbaq_plugin_descriptor *nbaq_plugin_descriptor_get(void) \
    {                                                                          \
        return &(descriptor);                                                  \
    }

typedef const nbaq_plugin_descriptor *(*nbaq_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_H */
