/*
 * json_validity.c - the `json_validity` checker: a uniform random sample
 * of the JSON objects under an S3 prefix or a local directory, each
 * validated strictly (RFC 8259, lib/jsonv), with the valid percentage and
 * its Wilson score interval; the bar may be judged against the interval
 * so that sampling noise alone does not page anyone (see README.md).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "jsonv.h"
#include "nbaq.h"
#include "object_check.h"
#include "objstore.h"
#include "objstore_options.h"
#include "reservoir.h"
#include "wilson.h"

enum { ERR_SIZE = 1024, MESSAGE_SIZE = 4096, REASON_SIZE = 512 };

static const char *const format_choices[] = {"auto", "json", "jsonl", NULL};
static const char *const oversized_choices[] = {"error", "invalid", "skip",
                                                NULL};
static const char *const empty_choices[] = {"invalid", "skip", NULL};
static const char *const judge_choices[] = {"point", "upper_bound",
                                            "lower_bound", NULL};
static const char *const below_choices[] = {"fail", "warning", NULL};

static const nbaq_option_spec json_validity_options[] = {
    NBAQ_OBJSTORE_OPTION_SPECS,
    {.name = "sample_size",
     .type = NBAQ_OPT_INT,
     .default_value = "50",
     .min = 1,
     .max = 1000000,
     .description = "objects drawn uniformly at random from the listing"},
    {.name = "seed",
     .type = NBAQ_OPT_INT,
     .description = "random seed, for a reproducible sample; default a new "
                    "one each run (logged)"},
    {.name = "suffixes",
     .type = NBAQ_OPT_STRING_LIST,
     .default_value = "[.json, .jsonl, .ndjson, .json.gz, .jsonl.gz, "
                      ".ndjson.gz]",
     .description = "sample only keys ending with one of these"},
    {.name = "format",
     .type = NBAQ_OPT_ENUM,
     .default_value = "auto",
     .choices = format_choices,
     .description = "auto: .jsonl/.ndjson are JSON Lines, the rest one "
                    "document; json or jsonl: every object"},
    {.name = "max_object_bytes",
     .type = NBAQ_OPT_SIZE,
     .default_value = "64M",
     .min = 1,
     .max = 1e15,
     .description = "cap on bytes read per object, stored and (gzip) "
                    "decompressed"},
    {.name = "oversized",
     .type = NBAQ_OPT_ENUM,
     .default_value = "error",
     .choices = oversized_choices,
     .description = "an object over the cap: error (the check is ERROR), "
                    "invalid, or skip (left out of the sample)"},
    {.name = "empty_objects",
     .type = NBAQ_OPT_ENUM,
     .default_value = "invalid",
     .choices = empty_choices,
     .description = "empty objects count as not valid, or are left out of "
                    "valid_pct"},
    {.name = "max_depth",
     .type = NBAQ_OPT_INT,
     .default_value = "0",
     .min = 0,
     .max = 1e12,
     .description = "deepest nesting allowed; 0: no limit (memory: one bit "
                    "per level)"},
    {.name = "required_fields",
     .type = NBAQ_OPT_STRING_MAP,
     .description = "JSON Pointer: type (any, string, number, integer, "
                    "boolean, object, array, null) required in every "
                    "document"},
    {.name = "min_valid_pct",
     .type = NBAQ_OPT_DOUBLE,
     .default_value = "100",
     .min = 0,
     .max = 100,
     .description = "the bar: valid percentage below which the check "
                    "fails"},
    {.name = "judge_by",
     .type = NBAQ_OPT_ENUM,
     .default_value = "point",
     .choices = judge_choices,
     .description = "what is held against min_valid_pct: valid_pct "
                    "(point), or a bound of its confidence interval"},
    {.name = "confidence",
     .type = NBAQ_OPT_DOUBLE,
     .default_value = "0.95",
     .min = 0.5,
     .max = 0.9999,
     .description = "confidence level of valid_pct_low/valid_pct_high"},
    {.name = "below_status",
     .type = NBAQ_OPT_ENUM,
     .default_value = "fail",
     .choices = below_choices,
     .description = "status when the bar is missed"},
    {.name = "report_invalid",
     .type = NBAQ_OPT_INT,
     .default_value = "5",
     .min = 0,
     .max = 100,
     .description = "invalid objects named in the message, with reason and "
                    "line:column"},
    NBAQ_OPTION_END};

/* What the options say. */
typedef struct settings {
    size_t sample_size;
    uint64_t seed;
    uint64_t max_bytes;
    int oversized; /* index into oversized_choices */
    int skip_empty;
    int judge_by; /* index into judge_choices     */
    double min_valid_pct;
    double confidence;
    nbaq_status below_status;
    size_t report_invalid;
    object_rules rules;
    object_field *fields;
} settings;

/* One sampled object. */
typedef struct sample_item {
    const char *key; /* owned by the reservoir                     */
    object_check *check;
    object_verdict verdict;
    char reason[REASON_SIZE];
} sample_item;

/* The run of one check. */
typedef struct validity_run {
    const nbaq_host_api *api;
    nbaq_ctx *ctx;
    const nbaq_options *options;
    settings s;
    reservoir sample;
    sample_item *items;
    uint64_t candidates;
    uint64_t listed_oversized; /* skip: left out of the sample */
    int out_of_memory;
    nbaq_objstore_list_info listing;
} validity_run;

/* Counts by verdict. */
typedef struct tally {
    uint64_t valid, invalid, empty, oversized, unreadable;
    uint64_t judged, good; /* the proportion good / judged           */
} tally;

/* ------------------------------------------------------------------------ */
/* Options                                                                  */

static int choice_index(const char *const *choices, const char *value)
{
    for (int i = 0; value && choices[i]; i++)
        if (strcmp(choices[i], value) == 0)
            return i;
    return 0;
}

static uint64_t fresh_seed(void)
{
    uint64_t seed;
    if (getrandom(&seed, sizeof seed, 0) == (ssize_t)sizeof seed)
        return seed;
    return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

/* Entry i of required_fields: a known type and a pointer the validator
 * takes. Returns 0 and *type, or -1 with err naming the option.        */
static int check_required_field(const nbaq_host_api *api, const nbaq_options *o,
                                size_t i, jsonv_validator *probe,
                                jsonv_type *type, char *err, size_t err_size)
{
    const char *pointer = api->opt_map_key(o, "required_fields", i);
    const char *name = api->opt_map_value(o, "required_fields", i);
    char why[REASON_SIZE];
    if (jsonv_type_parse(name, type)) {
        snprintf(err, err_size,
                 "%s: required_fields: '%s' is not a type (any, string, "
                 "number, integer, boolean, object, array, null)",
                 api->opt_location(o, "required_fields"), name);
        return -1;
    }
    if (jsonv_require(probe, pointer, *type, why, sizeof why)) {
        snprintf(err, err_size, "%s: required_fields: %s",
                 api->opt_location(o, "required_fields"), why);
        return -1;
    }
    return 0;
}

/* validate(): what the check would refuse before reading any object.  */
static int json_validity_validate(const nbaq_host_api *api,
                                  const nbaq_options *o, char *err,
                                  size_t err_size)
{
    if (nbaq_objstore_validate_options(api, o, 0, err, err_size) != 0)
        return -1;
    size_t n = api->opt_count(o, "required_fields");
    jsonv_validator *probe = n > 0 ? jsonv_new(NULL) : NULL;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        jsonv_type type;
        rc = probe
                 ? check_required_field(api, o, i, probe, &type, err, err_size)
                 : -1;
    }
    jsonv_free(probe);
    return rc;
}

/* required_fields: pointer -> type name, each checked now so that a
 * mistake is an ERROR naming the option, not N invalid objects.        */
static int read_fields(validity_run *run, char *err, size_t err_size)
{
    const nbaq_host_api *api = run->api;
    size_t n = api->opt_count(run->options, "required_fields");
    if (n == 0)
        return 0;
    run->s.fields = calloc(n, sizeof *run->s.fields);
    jsonv_validator *probe = jsonv_new(NULL);
    int rc = run->s.fields && probe ? 0 : -1;
    if (rc)
        snprintf(err, err_size, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        object_field *f = &run->s.fields[i];
        f->pointer = api->opt_map_key(run->options, "required_fields", i);
        rc = check_required_field(api, run->options, i, probe, &f->type, err,
                                  err_size);
    }
    jsonv_free(probe);
    run->s.rules.fields = run->s.fields;
    run->s.rules.field_count = rc == 0 ? n : 0;
    return rc;
}

static int read_settings(validity_run *run, char *err, size_t err_size)
{
    const nbaq_host_api *api = run->api;
    const nbaq_options *o = run->options;
    settings *s = &run->s;
    s->sample_size = (size_t)api->opt_int(o, "sample_size");
    s->seed = api->opt_is_set(o, "seed") ? (uint64_t)api->opt_int(o, "seed")
                                         : fresh_seed();
    s->max_bytes = (uint64_t)api->opt_int(o, "max_object_bytes");
    s->oversized =
        choice_index(oversized_choices, api->opt_string(o, "oversized"));
    s->skip_empty =
        choice_index(empty_choices, api->opt_string(o, "empty_objects")) == 1;
    s->judge_by = choice_index(judge_choices, api->opt_string(o, "judge_by"));
    s->min_valid_pct = api->opt_double(o, "min_valid_pct");
    s->confidence = api->opt_double(o, "confidence");
    s->below_status =
        choice_index(below_choices, api->opt_string(o, "below_status")) == 1
            ? NBAQ_WARNING
            : NBAQ_FAIL;
    s->report_invalid = (size_t)api->opt_int(o, "report_invalid");
    s->rules.format = (object_format)choice_index(format_choices,
                                                  api->opt_string(o, "format"));
    s->rules.max_depth = (uint64_t)api->opt_int(o, "max_depth");
    s->rules.max_bytes = s->max_bytes;
    return read_fields(run, err, err_size);
}

/* ------------------------------------------------------------------------ */
/* Listing and sampling                                                     */

static int offer_object(void *user, const nbaq_objstore_object *object)
{
    validity_run *run = user;
    if (!nbaq_objstore_key_has_suffix(run->api, run->options, "suffixes",
                                      object->key))
        return 0;
    if (run->s.oversized == 2 && object->size > run->s.max_bytes) {
        run->listed_oversized++;
        return 0;
    }
    run->candidates++;
    if (reservoir_offer(&run->sample, object->key, object->size)) {
        run->out_of_memory = 1;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Reading the sample                                                       */

static int on_object_data(void *user, size_t index, const void *data,
                          size_t len)
{
    validity_run *run = user;
    sample_item *item = &run->items[index];
    if (!item->check) {
        item->check = object_check_new(&run->s.rules, item->key, item->reason,
                                       sizeof item->reason);
        if (!item->check) {
            item->verdict = OBJECT_UNREADABLE;
            return 1;
        }
    }
    return object_check_feed(item->check, data, len);
}

static void on_object_done(void *user, size_t index,
                           const nbaq_objstore_get_result *result)
{
    validity_run *run = user;
    sample_item *item = &run->items[index];
    if (item->verdict != OBJECT_PENDING) /* could not even start */
        return;
    if (item->check && object_check_verdict(item->check) != OBJECT_PENDING) {
        /* settled while reading: the read was stopped on purpose */
    } else if (result->error == NBAQ_OBJSTORE_OK) {
        if (!item->check)
            item->check = object_check_new(&run->s.rules, item->key,
                                           item->reason, sizeof item->reason);
        if (!item->check) {
            item->verdict = OBJECT_UNREADABLE;
            return;
        }
        object_check_finish(item->check);
    } else {
        item->verdict = result->error == NBAQ_OBJSTORE_ERR_TOO_LARGE
                            ? OBJECT_OVERSIZED
                            : OBJECT_UNREADABLE;
        if (item->verdict == OBJECT_OVERSIZED)
            snprintf(item->reason, sizeof item->reason,
                     "larger than %" PRIu64 " bytes (max_object_bytes)",
                     run->s.max_bytes);
        else
            snprintf(item->reason, sizeof item->reason, "%s", result->message);
        object_check_free(item->check);
        item->check = NULL;
        return;
    }
    item->verdict = object_check_verdict(item->check);
    snprintf(item->reason, sizeof item->reason, "%s",
             object_check_reason(item->check));
    object_check_free(item->check);
    item->check = NULL;
}

static int read_sample(validity_run *run, nbaq_objstore *store, char *err,
                       size_t err_size)
{
    size_t n = run->sample.count;
    run->items = calloc(n, sizeof *run->items);
    const char **keys = calloc(n, sizeof *keys);
    if (!run->items || !keys) {
        free(keys);
        snprintf(err, err_size, "out of memory for a sample of %zu", n);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        run->items[i].key = run->sample.items[i].key;
        keys[i] = run->sample.items[i].key;
    }
    nbaq_objstore_get_callbacks callbacks = {
        .on_data = on_object_data, .on_done = on_object_done, .user = run};
    int rc = nbaq_objstore_get_many(store, keys, n, run->s.max_bytes,
                                    &callbacks, err, err_size);
    free(keys);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Verdict                                                                  */

static tally count_verdicts(const validity_run *run)
{
    tally t = {0};
    const settings *s = &run->s;
    for (size_t i = 0; i < run->sample.count; i++) {
        switch (run->items[i].verdict) {
        case OBJECT_VALID:
            t.valid++;
            break;
        case OBJECT_INVALID:
            t.invalid++;
            break;
        case OBJECT_EMPTY:
            t.empty++;
            break;
        case OBJECT_OVERSIZED:
            t.oversized++;
            break;
        default:
            t.unreadable++;
            break;
        }
    }
    /* oversized: invalid counts them as invalid objects */
    if (s->oversized == 1) {
        t.invalid += t.oversized;
    }
    t.good = t.valid;
    t.judged = t.valid + t.invalid + (s->skip_empty ? 0 : t.empty);
    return t;
}

static void set_metrics(validity_run *run, const tally *t, double low,
                        double high)
{
    const nbaq_host_api *api = run->api;
    nbaq_ctx *ctx = run->ctx;
    api->metric_set(ctx, "candidates", (double)run->candidates, "objects");
    api->metric_set(ctx, "sampled", (double)run->sample.count, "objects");
    api->metric_set(ctx, "valid", (double)t->valid, "objects");
    api->metric_set(ctx, "invalid", (double)t->invalid, "objects");
    api->metric_set(ctx, "empty", (double)t->empty, "objects");
    api->metric_set(ctx, "oversized",
                    (double)(t->oversized + run->listed_oversized), "objects");
    api->metric_set(ctx, "unreadable", (double)t->unreadable, "objects");
    if (t->judged == 0)
        return;
    api->metric_set(ctx, "valid_pct",
                    100.0 * (double)t->good / (double)t->judged, "%");
    api->metric_set(ctx, "valid_pct_low", 100.0 * low, "%");
    api->metric_set(ctx, "valid_pct_high", 100.0 * high, "%");
}

/* Appends printf output to a message buffer, never past its end. */
static void append(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void append(char *buf, size_t size, const char *fmt, ...)
{
    size_t used = strlen(buf);
    if (used + 1 >= size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + used, size - used, fmt, ap);
    va_end(ap);
}

/* "; invalid: a.json:3:17: reason; b.json: empty (and 2 more)". */
static void name_failures(const validity_run *run, char *msg, size_t size)
{
    size_t named = 0, more = 0;
    for (size_t i = 0; i < run->sample.count; i++) {
        const sample_item *item = &run->items[i];
        if (item->verdict == OBJECT_VALID ||
            (item->verdict == OBJECT_EMPTY && run->s.skip_empty))
            continue;
        if (named >= run->s.report_invalid) {
            more++;
            continue;
        }
        append(msg, size, "%s %s: %s", named ? ";" : "; not valid:", item->key,
               item->reason);
        named++;
    }
    if (more)
        append(msg, size, " (and %zu more)", more);
}

static void set_verdict(validity_run *run, const char *location)
{
    const settings *s = &run->s;
    tally t = count_verdicts(run);
    double low = 0, high = 1;
    if (t.judged)
        wilson_interval(t.good, t.judged, s->confidence, &low, &high);
    set_metrics(run, &t, low, high);

    char msg[MESSAGE_SIZE] = "";
    nbaq_status status = NBAQ_PASS;
    if (t.judged == 0) {
        snprintf(msg, sizeof msg, "no object could be judged under %s",
                 location);
        status = t.unreadable ? NBAQ_ERROR : NBAQ_WARNING;
    } else {
        double pct = 100.0 * (double)t.good / (double)t.judged;
        snprintf(msg, sizeof msg,
                 "%" PRIu64 " of %" PRIu64 " sampled objects valid (%.1f%%, "
                 "%g%% interval %.1f-%.1f%%) under %s",
                 t.good, t.judged, pct, s->confidence * 100, 100 * low,
                 100 * high, location);
        double judged_value = s->judge_by == 1   ? 100 * high
                              : s->judge_by == 2 ? 100 * low
                                                 : pct;
        if (judged_value < s->min_valid_pct) {
            static const char *const what[] = {"valid_pct", "upper bound",
                                               "lower bound"};
            append(msg, sizeof msg, "; %s %.1f%% < min_valid_pct %g%%",
                   what[s->judge_by], judged_value, s->min_valid_pct);
            status = s->below_status;
        }
    }
    if (t.oversized && s->oversized == 0) {
        append(msg, sizeof msg,
               "; %" PRIu64 " over the %" PRIu64 " byte cap (oversized: error)",
               t.oversized, s->max_bytes);
        status = NBAQ_ERROR;
    }
    if (t.unreadable) {
        append(msg, sizeof msg, "; %" PRIu64 " unreadable", t.unreadable);
        if (status == NBAQ_PASS)
            status = NBAQ_WARNING;
    }
    name_failures(run, msg, sizeof msg);
    nbaq_objstore_judge_skipped(run->api, run->ctx, &run->listing, &status, msg,
                                sizeof msg);
    run->api->status_set(run->ctx, status, "%s", msg);
}

/* ------------------------------------------------------------------------ */
/* The check                                                                */

static void run_check(validity_run *run, nbaq_objstore *store)
{
    const nbaq_host_api *api = run->api;
    const char *location = nbaq_objstore_location(store);
    char err[ERR_SIZE];
    nbaq_objstore_list_info *info = &run->listing;
    api->log(run->ctx, NBAQ_LOG_INFO,
             "sampling %zu objects under %s, seed %" PRIu64, run->s.sample_size,
             location, run->s.seed);
    if (nbaq_objstore_list(store, offer_object, run, info, err, sizeof err)) {
        if (run->out_of_memory)
            snprintf(err, sizeof err, "out of memory while sampling %s",
                     location);
        api->status_set(run->ctx, NBAQ_ERROR, "%s", err);
        return;
    }
    if (run->sample.count == 0) {
        api->metric_set(run->ctx, "candidates", 0, "objects");
        api->metric_set(run->ctx, "sampled", 0, "objects");
        char msg[MESSAGE_SIZE];
        nbaq_status status = NBAQ_WARNING;
        snprintf(msg, sizeof msg, "no object with a wanted suffix under %s",
                 location);
        nbaq_objstore_judge_skipped(api, run->ctx, info, &status, msg,
                                    sizeof msg);
        api->status_set(run->ctx, status, "%s", msg);
        return;
    }
    reservoir_sort(&run->sample);
    for (size_t i = 0; i < run->sample.count; i++)
        api->log(run->ctx, NBAQ_LOG_DEBUG, "sample: %s",
                 run->sample.items[i].key);
    if (read_sample(run, store, err, sizeof err)) {
        api->status_set(run->ctx, NBAQ_ERROR, "%s", err);
        return;
    }
    set_verdict(run, location);
}

static void json_validity_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    validity_run run = {.api = api, .ctx = ctx, .options = api->options(ctx)};
    char err[ERR_SIZE];
    if (read_settings(&run, err, sizeof err)) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
        free(run.s.fields);
        return;
    }
    nbaq_objstore_config cfg;
    nbaq_objstore_config_from_options(api, ctx, &cfg);
    nbaq_objstore *store = NULL;
    if (nbaq_objstore_open(&cfg, &store, err, sizeof err)) {
        api->status_set(ctx, NBAQ_ERROR, "%s", err);
    } else if (reservoir_init(&run.sample, run.s.sample_size, run.s.seed)) {
        api->status_set(ctx, NBAQ_ERROR, "out of memory for a sample of %zu",
                        run.s.sample_size);
    } else {
        run_check(&run, store);
    }
    if (run.items)
        for (size_t i = 0; i < run.sample.count; i++)
            object_check_free(run.items[i].check);
    free(run.items);
    reservoir_free(&run.sample);
    nbaq_objstore_close(store);
    free(run.s.fields);
}

static const nbaq_metric_decl json_validity_metrics[] = {
    {"candidates", "objects", "objects listed that the sample drew from"},
    {"sampled", "objects", "objects read"},
    {"valid", "objects", "sampled objects that are valid"},
    {"invalid", "objects", "sampled objects that are not"},
    {"empty", "objects", "empty sampled objects"},
    {"oversized", "objects", "objects over max_object_bytes"},
    {"unreadable", "objects", "sampled objects that could not be read"},
    {"valid_pct", "%", "valid share of the judged sample"},
    {"valid_pct_low", "%", "lower bound of its confidence interval"},
    {"valid_pct_high", "%", "upper bound of its confidence interval"},
    NBAQ_OBJSTORE_SKIPPED_METRIC_DECL,
    NBAQ_METRIC_END};

static const nbaq_plugin_descriptor json_validity_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_CHECKER,
    .name = "json_validity",
    .version = "1.0.0",
    .description = "strict JSON validity of a random sample of objects (S3 "
                   "or local), with a confidence interval",
    .options = json_validity_options,
    .check = json_validity_check,
    .validate = json_validity_validate,
    .metrics = json_validity_metrics,
};

NBAQ_PLUGIN(json_validity_descriptor)
