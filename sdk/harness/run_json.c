#include "run_json.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness_file.h"
#include "reportfmt.h"
#include "status.h"

/* Where a field is, for error messages: "checks[2].metrics[0].status". */
typedef struct json_ctx {
    const char *file;
    char *err;
    size_t err_size;
    int failed;
} json_ctx;

static void json_fail(json_ctx *jc, const char *where, const char *what)
{
    if (!jc->failed)
        snprintf(jc->err, jc->err_size, "%s: %s: %s", jc->file, where, what);
    jc->failed = 1;
}

static const char *get_string(json_ctx *jc, const cJSON *obj, const char *key,
                              const char *where)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item))
        return "";
    if (!cJSON_IsString(item)) {
        json_fail(jc, where, key);
        return "";
    }
    return item->valuestring;
}

/* A number, or one of the strings "NaN", "Inf", "-Inf"; fallback when
 * absent or null. */
static double get_number(json_ctx *jc, const cJSON *obj, const char *key,
                         double fallback, const char *where)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!item || cJSON_IsNull(item))
        return fallback;
    if (cJSON_IsNumber(item))
        return item->valuedouble;
    if (cJSON_IsString(item)) {
        if (strcasecmp(item->valuestring, "nan") == 0)
            return NAN;
        if (strcasecmp(item->valuestring, "inf") == 0)
            return INFINITY;
        if (strcasecmp(item->valuestring, "-inf") == 0)
            return -INFINITY;
    }
    json_fail(jc, where, key);
    return fallback;
}

static int64_t get_ms(json_ctx *jc, const cJSON *obj, const char *key,
                      const char *where)
{
    return (int64_t)get_number(jc, obj, key, 0, where);
}

/* Matches name (case-insensitive) against names(0..count-1). */
static int get_enum(json_ctx *jc, const cJSON *obj, const char *key,
                    int fallback, const char *(*names)(int), int count,
                    const char *where)
{
    const char *text = get_string(jc, obj, key, where);
    if (!*text)
        return fallback;
    for (int i = 0; i < count; i++)
        if (strcasecmp(text, names(i)) == 0)
            return i;
    json_fail(jc, where, key);
    return fallback;
}

static const char *status_name_i(int i)
{
    return status_name((nbaq_status)i);
}
static const char *severity_name_i(int i)
{
    return severity_name((nbaq_severity)i);
}
static const char *trend_name_i(int i)
{
    return trend_name((nbaq_trend)i);
}
static const char *alert_state_name_i(int i)
{
    return alert_state_label((nbaq_alert_state)i);
}

static void load_stats(json_ctx *jc, const cJSON *obj, nbaq_stats *st,
                       const char *where)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(obj, "stats");
    if (!s)
        return;
    st->count = (uint64_t)get_number(jc, s, "count", 0, where);
    st->min = get_number(jc, s, "min", 0, where);
    st->max = get_number(jc, s, "max", 0, where);
    st->mean = get_number(jc, s, "mean", 0, where);
    st->median = get_number(jc, s, "median", 0, where);
    st->stddev = get_number(jc, s, "stddev", 0, where);
}

static int load_history(json_ctx *jc, run_builder *rb, const cJSON *obj,
                        nbaq_metric *m, const char *where)
{
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(obj, "history");
    int n = cJSON_GetArraySize(h);
    if (!h || n == 0)
        return 0;
    nbaq_point *points = calloc((size_t)n, sizeof(*points));
    if (!points)
        return -1;
    int i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, h)
    {
        const cJSON *ts = cJSON_GetArrayItem(p, 0);
        const cJSON *v = cJSON_GetArrayItem(p, 1);
        if (!cJSON_IsNumber(ts) || !cJSON_IsNumber(v))
            json_fail(jc, where, "history points are [ts_ms, value]");
        else
            points[i++] =
                (nbaq_point){(int64_t)ts->valuedouble, v->valuedouble};
    }
    int rc = run_builder_set_history(rb, m, points, (size_t)i);
    free(points);
    return rc;
}

/* "band": [[lower, upper, flagged], ...], one per history point (null
 * bounds: not judged at that point). */
static int load_band(json_ctx *jc, run_builder *rb, const cJSON *obj,
                     nbaq_metric *m, const char *where)
{
    const cJSON *band = cJSON_GetObjectItemCaseSensitive(obj, "band");
    if (!band)
        return 0;
    if ((size_t)cJSON_GetArraySize(band) != m->history_count) {
        json_fail(jc, where,
                  "band has one [lower, upper, flagged] per "
                  "history point");
        return 0;
    }
    nbaq_point_band *bands = calloc(m->history_count, sizeof(*bands));
    if (!bands)
        return -1;
    size_t i = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, band)
    {
        const cJSON *lo = cJSON_GetArrayItem(p, 0),
                    *hi = cJSON_GetArrayItem(p, 1);
        bands[i].lower = cJSON_IsNumber(lo) ? lo->valuedouble : NAN;
        bands[i].upper = cJSON_IsNumber(hi) ? hi->valuedouble : NAN;
        bands[i].anomalous = cJSON_IsTrue(cJSON_GetArrayItem(p, 2));
        i++;
    }
    int rc = run_builder_set_band(rb, m, bands);
    free(bands);
    return rc;
}

/* "evidence": {"state", "expected", "lower", "upper", "score", ...}. */
static void load_evidence(json_ctx *jc, const cJSON *obj, nbaq_metric *m,
                          const char *where)
{
    static const char *const states[] = {"NONE", "LEARNING", "JUDGED", "OPEN"};
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(obj, "evidence");
    if (!e)
        return;
    const char *state = get_string(jc, e, "state", where);
    for (int i = 0; i < 4; i++)
        if (strcasecmp(state, states[i]) == 0)
            m->evidence.state = (nbaq_judgement)i;
    m->evidence.points_used =
        (uint32_t)get_number(jc, e, "points_used", 0, where);
    m->evidence.points_needed =
        (uint32_t)get_number(jc, e, "points_needed", 0, where);
    m->evidence.expected = get_number(jc, e, "expected", NAN, where);
    m->evidence.scale = get_number(jc, e, "scale", NAN, where);
    m->evidence.score = get_number(jc, e, "score", NAN, where);
    m->evidence.lower = get_number(jc, e, "lower", NAN, where);
    m->evidence.upper = get_number(jc, e, "upper", NAN, where);
}

static int load_metric(json_ctx *jc, run_builder *rb, const cJSON *obj,
                       const char *where)
{
    nbaq_metric *m =
        run_builder_add_metric(rb, get_string(jc, obj, "name", where),
                               get_number(jc, obj, "value", NAN, where),
                               get_string(jc, obj, "unit", where));
    if (!m)
        return -1;
    m->status = get_enum(jc, obj, "status", NBAQ_PASS, status_name_i,
                         NBAQ_STATUS_COUNT, where);
    m->reason = run_builder_strdup(rb, get_string(jc, obj, "reason", where));
    m->anomalous = cJSON_IsTrue(cJSON_GetObjectItem(obj, "anomalous"));
    if (cJSON_GetObjectItemCaseSensitive(obj, "previous")) {
        m->has_previous = 1;
        m->previous = get_number(jc, obj, "previous", NAN, where);
    }
    m->change_pct = get_number(jc, obj, "change_pct", NAN, where);
    m->trend =
        get_enum(jc, obj, "trend", NBAQ_TREND_UNKNOWN, trend_name_i, 6, where);
    m->window_ms = get_ms(jc, obj, "window_ms", where);
    m->previous_window_mean =
        get_number(jc, obj, "previous_window_mean", NAN, where);
    load_stats(jc, obj, &m->stats, where);
    load_evidence(jc, obj, m, where);
    if (!m->reason || load_history(jc, rb, obj, m, where) != 0)
        return -1;
    return load_band(jc, rb, obj, m, where);
}

static int load_check(json_ctx *jc, run_builder *rb, const cJSON *obj,
                      size_t index)
{
    char where[64];
    snprintf(where, sizeof(where), "checks[%zu]", index);
    nbaq_check_result *c =
        run_builder_add_check(rb, get_string(jc, obj, "name", where),
                              get_string(jc, obj, "plugin", where));
    if (!c)
        return -1;
    c->status = get_enum(jc, obj, "status", NBAQ_PASS, status_name_i,
                         NBAQ_STATUS_COUNT, where);
    c->message = run_builder_strdup(rb, get_string(jc, obj, "message", where));
    c->severity = get_enum(jc, obj, "severity", NBAQ_SEV_MEDIUM,
                           severity_name_i, NBAQ_SEVERITY_COUNT, where);
    c->started_ms = get_ms(jc, obj, "started_ms", where);
    c->duration_ms = get_ms(jc, obj, "duration_ms", where);
    if (!c->message)
        return -1;
    size_t i = 0;
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(obj, "metrics"))
    {
        char mwhere[96];
        snprintf(mwhere, sizeof(mwhere), "%s.metrics[%zu]", where, i++);
        if (load_metric(jc, rb, m, mwhere) != 0)
            return -1;
    }
    return 0;
}

static int load_alert(json_ctx *jc, run_builder *rb, const cJSON *obj,
                      size_t index)
{
    char where[64];
    snprintf(where, sizeof(where), "alerts[%zu]", index);
    nbaq_alert *a =
        run_builder_add_alert(rb, get_string(jc, obj, "check", where),
                              get_string(jc, obj, "metric", where),
                              get_string(jc, obj, "summary", where));
    if (!a)
        return -1;
    a->fingerprint =
        run_builder_strdup(rb, get_string(jc, obj, "fingerprint", where));
    a->severity = get_enum(jc, obj, "severity", NBAQ_SEV_MEDIUM,
                           severity_name_i, NBAQ_SEVERITY_COUNT, where);
    a->state = get_enum(jc, obj, "state", NBAQ_ALERT_NEW, alert_state_name_i, 6,
                        where);
    a->started_ms = get_ms(jc, obj, "started_ms", where);
    a->ended_ms = get_ms(jc, obj, "ended_ms", where);
    a->silenced_until_ms = get_ms(jc, obj, "silenced_until_ms", where);
    a->notify = cJSON_IsTrue(cJSON_GetObjectItem(obj, "notify"));
    a->failing_runs = (uint32_t)get_number(jc, obj, "failing_runs", 0, where);
    return a->fingerprint ? 0 : -1;
}

static int load_run(json_ctx *jc, run_builder *rb, const cJSON *root)
{
    nbaq_run *run = run_builder_run(rb);
    run->started_ms = get_ms(jc, root, "started_ms", "run");
    run->finished_ms = get_ms(jc, root, "finished_ms", "run");
    run->history_saved = (int)get_number(jc, root, "history_saved", 0, "run");
    size_t i = 0;
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root, "checks"))
    {
        if (load_check(jc, rb, item, i++) != 0)
            return -1;
    }
    i = 0;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(root, "alerts"))
    {
        if (load_alert(jc, rb, item, i++) != 0)
            return -1;
    }
    const cJSON *status = cJSON_GetObjectItemCaseSensitive(root, "status");
    run->status = get_enum(jc, root, "status", NBAQ_PASS, status_name_i,
                           NBAQ_STATUS_COUNT, "run");
    run_builder_finish(rb, status != NULL);
    return 0;
}

run_builder *run_json_load(const char *path, char *err, size_t err_size)
{
    char *text = harness_read_file(path, err, err_size);
    if (!text)
        return NULL;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!cJSON_IsObject(root)) {
        snprintf(err, err_size, "%s: not a JSON object", path);
        cJSON_Delete(root);
        return NULL;
    }
    json_ctx jc = {path, err, err_size, 0};
    run_builder *rb = run_builder_new(get_string(&jc, root, "monitor", "run"),
                                      get_string(&jc, root, "run_id", "run"));
    if (!rb || load_run(&jc, rb, root) != 0 || jc.failed) {
        if (!jc.failed)
            snprintf(err, err_size, "%s: out of memory", path);
        run_builder_free(rb);
        rb = NULL;
    }
    cJSON_Delete(root);
    return rb;
}
