/*
 * freshness.c - the `freshness` checker: how old the newest object under
 * an S3 prefix or a directory is, how many arrived within a window, and,
 * per partition (a first-level prefix, or a date in the key), which
 * partitions are late against an expected-arrival schedule. Objects dated
 * in the future are counted and reported, never taken as fresh.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isotime.h"
#include "nbaq.h"
#include "objstore.h"
#include "objstore_options.h"
#include "objstore_prefix_table.h"
#include "objstore_scale.h"
#include "partitions.h"

enum { ERR_MAX = 1024, NAMES_MAX = 600, NAME_MAX_LEN = 4096 };
#define MAX_EXPECTED_PERIODS 10000

static const char *const partition_choices[] = {"none", "prefix", "key_date",
                                                NULL};
static const char *const schedule_choices[] = {"none", "hourly", "daily", NULL};

static const nbaq_option_spec freshness_options[] = {
    NBAQ_OBJSTORE_OPTION_SPECS,
    NBAQ_OBJSTORE_SCALE_OPTION_SPECS,
    {.name = "max_age",
     .type = NBAQ_OPT_DURATION,
     .description = "FAIL when the newest object is older; with "
                    "partition_by prefix and no schedule, per partition"},
    {.name = "window",
     .type = NBAQ_OPT_DURATION,
     .default_value = "24h",
     .min = 1,
     .max = 3.2e12,
     .description = "objects_in_window counts objects modified this recently"},
    {.name = "min_objects_in_window",
     .type = NBAQ_OPT_INT,
     .default_value = "0",
     .min = 0,
     .max = 1e15,
     .description = "FAIL when fewer objects arrived within the window"},
    {.name = "partition_by",
     .type = NBAQ_OPT_ENUM,
     .default_value = "none",
     .choices = partition_choices,
     .description = "prefix: each first-level prefix; key_date: the date "
                    "partition_pattern finds in each key"},
    {.name = "partition_pattern",
     .type = NBAQ_OPT_STRING,
     .description = "key_date: where the date is, e.g. date=%Y-%m-%d or "
                    "%Y/%m/%d/%H (%H: hourly partitions)"},
    {.name = "schedule",
     .type = NBAQ_OPT_ENUM,
     .choices = schedule_choices,
     .description = "one partition (key_date) or one arrival per partition "
                    "(prefix) is expected every hour or day; default: "
                    "key_date hourly with %H else daily; prefix none"},
    {.name = "due_after",
     .type = NBAQ_OPT_DURATION,
     .default_value = "0s",
     .min = 0,
     .max = 3.2e12,
     .description = "data of a period is due this long after the period "
                    "ends (daily by 06:00 UTC: 6h)"},
    {.name = "grace",
     .type = NBAQ_OPT_DURATION,
     .default_value = "0s",
     .min = 0,
     .max = 3.2e12,
     .description = "added to every due time before a partition is late"},
    {.name = "lookback",
     .type = NBAQ_OPT_DURATION,
     .default_value = "7d",
     .min = 3600000,
     .max = 3.2e12,
     .description = "key_date: expected partitions are looked for this far "
                    "back"},
    {.name = "max_partitions",
     .type = NBAQ_OPT_INT,
     .default_value = "1000",
     .min = 1,
     .max = 1000000,
     .description = "distinct partitions tracked"},
    {.name = "future_tolerance",
     .type = NBAQ_OPT_DURATION,
     .default_value = "5m",
     .min = 0,
     .max = 3.2e12,
     .description = "clock skew allowed before an object counts as dated "
                    "in the future"},
    {.name = "as_of",
     .type = NBAQ_OPT_STRING,
     .description = "judge as of this UTC time (2024-01-02T06:00:00Z) "
                    "instead of now: replays and tests"},
    NBAQ_OPTION_END};

typedef enum partitioning {
    PARTITION_NONE = 0,
    PARTITION_PREFIX,
    PARTITION_KEY_DATE
} partitioning;

typedef struct scan {
    int64_t now_ms, window_ms, future_ms;
    partitioning by;
    key_pattern pattern;
    period_set periods; /* key_date: periods seen (not in the future)  */
    nbaq_objstore_prefix_table prefixes; /* prefix: newest object of each   */
    uint64_t objects, in_window, future, undated, future_partitions;
    int64_t newest_ms; /* newest trusted; INT64_MIN: none            */
    char first_future[300];
} scan;

/* A bounded list of names for the message: "a, b, c and 4 more".        */
typedef struct name_list {
    char text[NAMES_MAX];
    size_t count;
} name_list;

static void name_list_add(name_list *l, const char *name)
{
    size_t len = strlen(l->text);
    if (len + strlen(name) + 3 < sizeof l->text - 24)
        snprintf(l->text + len, sizeof l->text - len, "%s%s",
                 l->count ? ", " : "", name);
    l->count++;
}

static void note_future(scan *s, const nbaq_objstore_object *o)
{
    if (s->future++ == 0)
        snprintf(s->first_future, sizeof s->first_future, "%s", o->key);
}

static void scan_key_date(scan *s, const nbaq_objstore_object *o)
{
    int64_t start;
    if (key_pattern_match(&s->pattern, o->name, &start) != 0) {
        s->undated++;
        return;
    }
    if (start > s->now_ms + s->future_ms)
        s->future_partitions++;
    else
        period_set_add(&s->periods, start);
}

/* mtime_ms INT64_MIN: untrusted (dated in the future).                 */
static void scan_prefix(scan *s, const char *part, size_t len, int64_t mtime_ms)
{
    nbaq_objstore_prefix_stats *p =
        nbaq_objstore_prefix_table_entry(&s->prefixes, part, len);
    if (p == NULL)
        return; /* over max_partitions: reported as such */
    p->objects++;
    if (mtime_ms > p->newest_ms)
        p->newest_ms = mtime_ms;
}

static int scan_object(void *user, const nbaq_objstore_object *o)
{
    scan *s = user;
    int trusted = o->mtime_ms <= s->now_ms + s->future_ms;

    s->objects++;
    if (!trusted) {
        note_future(s, o);
    } else {
        if (o->mtime_ms > s->newest_ms)
            s->newest_ms = o->mtime_ms;
        if (o->mtime_ms >= s->now_ms - s->window_ms)
            s->in_window++;
    }
    if (s->by == PARTITION_KEY_DATE) {
        scan_key_date(s, o);
    } else if (s->by == PARTITION_PREFIX) {
        const char *slash = strchr(o->name, '/');
        if (slash != NULL)
            scan_prefix(s, o->name, (size_t)(slash - o->name),
                        trusted ? o->mtime_ms : INT64_MIN);
    }
    return 0;
}

static void human_duration(int64_t ms, char *out, size_t size)
{
    int64_t s = ms / 1000;
    if (s < 0)
        snprintf(out, size, "in the future");
    else if (s < 120)
        snprintf(out, size, "%" PRId64 "s", s);
    else if (s < 7200)
        snprintf(out, size, "%" PRId64 "m", s / 60);
    else if (s < 172800)
        snprintf(out, size, "%" PRId64 "h %" PRId64 "m", s / 3600, s / 60 % 60);
    else
        snprintf(out, size, "%" PRId64 "d %" PRId64 "h", s / 86400,
                 s / 3600 % 24);
}

typedef struct judgement {
    nbaq_status status;
    char text[2048];
} judgement;

static void judge(judgement *j, nbaq_status status, const char *fmt, ...)
    NBAQ_PRINTF(3, 4);
static void judge(judgement *j, nbaq_status status, const char *fmt, ...)
{
    size_t len = strlen(j->text);
    va_list ap;
    if (status > j->status)
        j->status = status;
    if (len > 0 && len + 2 < sizeof j->text) {
        strcpy(j->text + len, "; ");
        len += 2;
    }
    va_start(ap, fmt);
    vsnprintf(j->text + len, sizeof j->text - len, fmt, ap);
    va_end(ap);
}

/* The period containing t, for a schedule of `period_ms`.               */
static int64_t period_start(int64_t t, int64_t period_ms)
{
    int64_t r = t % period_ms;
    return t - (r < 0 ? r + period_ms : r);
}

/* key_date: every expected period in the lookback whose due time has
 * passed must have at least one object.                                 */
static void judge_key_dates(const nbaq_host_api *api, nbaq_ctx *ctx,
                            const scan *s, int64_t period_ms, int64_t due_ms,
                            int64_t lookback_ms, judgement *j)
{
    name_list late = {{0}, 0};
    uint64_t expected = 0;
    int64_t first = period_start(s->now_ms - lookback_ms, period_ms);

    for (int64_t p = first;
         p + period_ms + due_ms <= s->now_ms && expected < MAX_EXPECTED_PERIODS;
         p += period_ms) {
        expected++;
        if (!period_set_has(&s->periods, p)) {
            char name[300];
            key_pattern_format(&s->pattern, p, name, sizeof name);
            name_list_add(&late, name);
        }
    }
    api->metric_set(ctx, "partitions", (double)s->periods.used, "count");
    api->metric_set(ctx, "late_partitions", (double)late.count, "count");
    api->metric_set(ctx, "future_partitions", (double)s->future_partitions,
                    "count");
    api->metric_set(ctx, "undated_objects", (double)s->undated, "count");
    if (late.count > 0)
        judge(j, NBAQ_FAIL, "%zu of %" PRIu64 " expected partitions late: %s%s",
              late.count, expected, late.text,
              strlen(late.text) + 30 > sizeof late.text ? ", ..." : "");
    if (s->future_partitions > 0)
        judge(j, NBAQ_WARNING,
              "%" PRIu64 " objects in partitions dated in the future",
              s->future_partitions);
}

/* prefix: each partition's newest object against the last due period
 * (with a schedule) or against max_age.                                 */
static void judge_prefixes(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const scan *s, int64_t period_ms, int64_t due_ms,
                           int64_t max_age_ms, judgement *j)
{
    name_list late = {{0}, 0};
    char seg[NAME_MAX_LEN], metric[NAME_MAX_LEN + 32];
    /* The latest period whose due time has passed.                      */
    int64_t last_due_period =
        period_ms > 0 ? period_start(s->now_ms - due_ms, period_ms) - period_ms
                      : 0;

    for (size_t i = 0; i < s->prefixes.slot_count; i++) {
        const nbaq_objstore_prefix_stats *p = &s->prefixes.slots[i];
        if (p->part == NULL)
            continue;
        int stale = p->newest_ms == INT64_MIN ||
                    (period_ms > 0 ? p->newest_ms < last_due_period
                                   : max_age_ms > 0 &&
                                         s->now_ms - p->newest_ms > max_age_ms);
        if (nbaq_objstore_metric_segment(p->part, p->part_len, seg,
                                         sizeof seg) == 0 &&
            p->newest_ms != INT64_MIN) {
            snprintf(metric, sizeof metric, "age_seconds.by_prefix.%s", seg);
            api->metric_set(ctx, metric,
                            (double)(s->now_ms - p->newest_ms) / 1000.0, "s");
        }
        if (stale)
            name_list_add(&late, p->part);
    }
    api->metric_set(ctx, "partitions", (double)s->prefixes.used, "count");
    api->metric_set(ctx, "late_partitions", (double)late.count, "count");
    if (late.count > 0)
        judge(j, NBAQ_FAIL, "%zu of %zu partitions late: %s%s", late.count,
              s->prefixes.used, late.text,
              strlen(late.text) + 30 > sizeof late.text ? ", ..." : "");
    if (s->prefixes.full || s->prefixes.failed)
        judge(j, NBAQ_WARNING, "more than %zu partitions; the rest not judged",
              s->prefixes.limit);
}

static int64_t schedule_period(const nbaq_host_api *api, const nbaq_options *o,
                               const scan *s)
{
    const char *schedule = api->opt_string(o, "schedule");
    if (schedule == NULL)
        return s->by == PARTITION_KEY_DATE
                   ? (s->pattern.hourly ? HOUR_MS : DAY_MS)
                   : 0;
    if (strcmp(schedule, "hourly") == 0)
        return HOUR_MS;
    if (strcmp(schedule, "daily") == 0)
        return DAY_MS;
    return 0;
}

static void report(const nbaq_host_api *api, nbaq_ctx *ctx,
                   nbaq_objstore *store, scan *s,
                   const nbaq_objstore_list_info *info)
{
    const nbaq_options *o = api->options(ctx);
    int64_t max_age = api->opt_int(o, "max_age");
    int64_t period = schedule_period(api, o, s);
    int64_t due = api->opt_int(o, "due_after") + api->opt_int(o, "grace");
    judgement j = {NBAQ_PASS, ""};
    char age[64], limit[64];

    api->metric_set(ctx, "objects", (double)s->objects, "count");
    api->metric_set(ctx, "objects_in_window", (double)s->in_window, "count");
    api->metric_set(ctx, "future_objects", (double)s->future, "count");
    if (s->newest_ms == INT64_MIN) {
        judge(&j, NBAQ_FAIL, "no objects%s under %s",
              s->objects ? " with a trusted date" : "",
              nbaq_objstore_location(store));
    } else {
        int64_t age_ms = s->now_ms - s->newest_ms;
        api->metric_set(ctx, "newest_age_seconds", (double)age_ms / 1000.0,
                        "s");
        human_duration(age_ms, age, sizeof age);
        if (max_age > 0 && age_ms > max_age && s->by != PARTITION_PREFIX) {
            human_duration(max_age, limit, sizeof limit);
            judge(&j, NBAQ_FAIL, "newest object is %s old (max %s) under %s",
                  age, limit, nbaq_objstore_location(store));
        } else {
            judge(&j, NBAQ_PASS, "newest object %s old under %s", age,
                  nbaq_objstore_location(store));
        }
    }
    int64_t min_in_window = api->opt_int(o, "min_objects_in_window");
    if ((int64_t)s->in_window < min_in_window)
        judge(&j, NBAQ_FAIL,
              "%" PRIu64 " objects within the window, fewer than %" PRId64,
              s->in_window, min_in_window);
    if (s->by == PARTITION_KEY_DATE)
        judge_key_dates(api, ctx, s, period, due, api->opt_int(o, "lookback"),
                        &j);
    else if (s->by == PARTITION_PREFIX)
        judge_prefixes(api, ctx, s, period, due, max_age, &j);
    if (s->future > 0)
        judge(&j, NBAQ_WARNING,
              "%" PRIu64 " objects dated in the future, not trusted, first %s",
              s->future, s->first_future);
    nbaq_objstore_judge_skipped(api, ctx, info, &j.status, j.text,
                                sizeof j.text);
    api->status_set(ctx, j.status, "%s", j.text);
}

/* as_of: "2024-01-05T06:00:00Z" ("Z" may be left out). */
static int parse_as_of(const char *text, int64_t *ms)
{
    return isotime_parse(text, ISOTIME_TIME | ISOTIME_UTC, ms);
}

static int has_value(const nbaq_host_api *api, const nbaq_options *o,
                     const char *name, const char *value)
{
    const char *v = api->opt_string(o, name);
    return v != NULL && strcmp(v, value) == 0;
}

/* partition_pattern and schedule only mean something with a partition_by
 * that uses them. */
static int check_partition_options(const nbaq_host_api *api,
                                   const nbaq_options *o, char *err,
                                   size_t err_size)
{
    int key_date = has_value(api, o, "partition_by", "key_date");
    if (!key_date && api->opt_is_set(o, "partition_pattern")) {
        snprintf(err, err_size,
                 "%s: partition_pattern applies to partition_by key_date "
                 "only",
                 api->opt_location(o, "partition_pattern"));
        return -1;
    }
    if (has_value(api, o, "partition_by", "none") &&
        api->opt_is_set(o, "schedule")) {
        snprintf(err, err_size,
                 "%s: schedule applies to partition_by key_date or prefix "
                 "only",
                 api->opt_location(o, "schedule"));
        return -1;
    }
    if (!key_date)
        return 0;
    const char *pattern = api->opt_string(o, "partition_pattern");
    if (pattern == NULL) {
        snprintf(err, err_size,
                 "%s: partition_by key_date needs "
                 "partition_pattern",
                 api->opt_location(o, "partition_by"));
        return -1;
    }
    key_pattern compiled;
    char why[ERR_MAX];
    if (key_pattern_compile(&compiled, pattern, why, sizeof why) != 0) {
        snprintf(err, err_size, "%s: %s",
                 api->opt_location(o, "partition_pattern"), why);
        return -1;
    }
    return 0;
}

/* The rules across options: validate() for --check-config, and the check
 * itself (a host older than ABI 1.2 never calls validate()). */
static int freshness_validate(const nbaq_host_api *api, const nbaq_options *o,
                              char *err, size_t err_size)
{
    const char *as_of = api->opt_string(o, "as_of");
    int64_t ignored;
    if (nbaq_objstore_validate_options(api, o, 1, err, err_size) != 0)
        return -1;
    if (as_of != NULL && parse_as_of(as_of, &ignored) != 0) {
        snprintf(err, err_size, "%s: as_of '%s' is not YYYY-MM-DDTHH:MM:SSZ",
                 api->opt_location(o, "as_of"), as_of);
        return -1;
    }
    return check_partition_options(api, o, err, err_size);
}

static int setup(const nbaq_host_api *api, nbaq_ctx *ctx, scan *s, char *err,
                 size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    const char *by = api->opt_string(o, "partition_by");
    const char *as_of = api->opt_string(o, "as_of");
    size_t limit = (size_t)api->opt_int(o, "max_partitions");
    struct timespec now;

    if (freshness_validate(api, o, err, err_size) != 0)
        return -1;
    clock_gettime(CLOCK_REALTIME, &now);
    s->now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
    if (as_of != NULL)
        parse_as_of(as_of, &s->now_ms);
    s->window_ms = api->opt_int(o, "window");
    s->future_ms = api->opt_int(o, "future_tolerance");
    s->newest_ms = INT64_MIN;
    s->by = by == NULL                    ? PARTITION_NONE
            : strcmp(by, "prefix") == 0   ? PARTITION_PREFIX
            : strcmp(by, "key_date") == 0 ? PARTITION_KEY_DATE
                                          : PARTITION_NONE;
    if (s->by == PARTITION_KEY_DATE &&
        key_pattern_compile(&s->pattern,
                            api->opt_string(o, "partition_pattern"), err,
                            err_size) != 0)
        return -1;
    if ((s->by == PARTITION_KEY_DATE &&
         period_set_init(&s->periods, limit) != 0) ||
        (s->by == PARTITION_PREFIX &&
         nbaq_objstore_prefix_table_init(&s->prefixes, limit) != 0)) {
        snprintf(err, err_size, "out of memory for %zu partitions", limit);
        return -1;
    }
    return 0;
}

static void freshness_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    scan s;
    nbaq_objstore_config cfg;
    nbaq_objstore *store = NULL;
    nbaq_objstore_list_info info;
    char err[ERR_MAX];

    memset(&s, 0, sizeof s);
    if (setup(api, ctx, &s, err, sizeof err) != 0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        goto out;
    }
    nbaq_objstore_config_from_options(api, ctx, &cfg);
    nbaq_objstore_scale_from_options(api, ctx, &cfg);
    if (nbaq_objstore_open(&cfg, &store, err, sizeof err) != 0 ||
        nbaq_objstore_list(store, scan_object, &s, &info, err, sizeof err) !=
            0) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        goto out;
    }
    nbaq_objstore_report_inventory(api, ctx, &info);
    report(api, ctx, store, &s, &info);
out:
    nbaq_objstore_close(store);
    period_set_free(&s.periods);
    nbaq_objstore_prefix_table_free(&s.prefixes);
}

static const nbaq_metric_decl freshness_metrics[] = {
    {"objects", "count", "objects with a trusted date"},
    {"objects_in_window", "count", "of them, modified within window"},
    {"future_objects", "count", "dated past future_tolerance from now"},
    {"newest_age_seconds", "s", "age of the newest object"},
    NBAQ_OBJSTORE_SKIPPED_METRIC_DECL,
    NBAQ_OBJSTORE_SCALE_METRIC_DECL,
    {"{partition_by=key_date}partitions", "count", "key_date: periods seen"},
    {"{partition_by=key_date}late_partitions", "count",
     "key_date: expected periods missing past their due time"},
    {"{partition_by=key_date}future_partitions", "count",
     "key_date: objects in periods dated in the future"},
    {"{partition_by=key_date}undated_objects", "count",
     "key_date: keys where partition_pattern finds no date"},
    {"{partition_by=prefix}partitions", "count",
     "prefix: first-level prefixes"},
    {"{partition_by=prefix}late_partitions", "count",
     "prefix: prefixes whose newest object is late"},
    {"{partition_by=prefix}age_seconds.by_prefix.*", "s",
     "prefix: age of the newest object of each prefix"},
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor freshness_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "freshness",
    .version = "1.0.0",
    .description = "age of the newest object, arrivals in a window, and late "
                   "partitions under an S3 prefix or a directory",
    .options = freshness_options,
    .check = freshness_check,
    .validate = freshness_validate,
    .metrics = freshness_metrics,
};

NBAQ_PLUGIN(freshness_descriptor)
