/*
 * alerts_list.c - `alerts list`, `alerts silences` and `alerts outbox`:
 * what the store holds, as a table or as JSON.
 */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alerts_cli_internal.h"
#include "clock.h"
#include "history_alerts.h"
#include "history_calc.h"
#include "notified.h"
#include "silence.h"
#include "status.h"

static void time_text(int64_t ms, char *buf, size_t size)
{
    if (ms <= 0)
        snprintf(buf, size, "-");
    else
        history_format_time(ms, buf, size);
}

static cJSON *time_json(int64_t ms)
{
    if (ms <= 0)
        return cJSON_CreateNull();
    char buf[64];
    clock_format_iso(ms, buf, sizeof buf);
    return cJSON_CreateString(buf);
}

static int print_json(cli_env *env, cJSON *root)
{
    char *text = root ? cJSON_Print(root) : NULL;
    cJSON_Delete(root);
    if (!text) {
        snprintf(env->err, env->err_size, "alerts: out of memory");
        return ALERTS_EXIT_STORE;
    }
    fprintf(env->out, "%s\n", text);
    free(text);
    return ALERTS_EXIT_OK;
}

/* ------------------------------------------------------------------------ */
/* list                                                                     */

typedef struct listing {
    history_alert *rows;
    size_t count;
    history_silence *silences;
    size_t silence_count;
} listing;

static int matches(const cli_args *a, const history_alert *row)
{
    if (a->check && strcmp(a->check, row->check) != 0)
        return 0;
    if (a->fingerprint && strcmp(a->fingerprint, row->fingerprint) != 0)
        return 0;
    return row->open || a->all;
}

static const char *state_of(const history_alert *row, int64_t silenced)
{
    if (!row->open)
        return row->failing_runs > 0 ? "pending" : "closed";
    return silenced ? "silenced" : alert_state_label(row->state);
}

static void add_notified(void *arg, const char *channel, size_t len, int64_t ms)
{
    cJSON *o = cJSON_CreateObject();
    char name[256];
    snprintf(name, sizeof name, "%.*s", (int)(len < 255 ? len : 255), channel);
    cJSON_AddStringToObject(o, "channel", name);
    cJSON_AddItemToObject(o, "at", time_json(ms));
    cJSON_AddItemToArray(arg, o);
}

static cJSON *alert_json(const history_alert *r, int64_t silenced)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "fingerprint", r->fingerprint);
    cJSON_AddStringToObject(o, "check", r->check);
    cJSON_AddItemToObject(o, "metric",
                          *r->metric ? cJSON_CreateString(r->metric)
                                     : cJSON_CreateNull());
    cJSON_AddStringToObject(o, "summary", r->summary);
    cJSON_AddStringToObject(o, "severity", severity_label(r->severity));
    cJSON_AddStringToObject(o, "state", state_of(r, silenced));
    cJSON_AddBoolToObject(o, "open", r->open);
    cJSON_AddBoolToObject(o, "flapping", r->flapping);
    cJSON_AddBoolToObject(o, "escalated", r->escalated);
    cJSON_AddItemToObject(o, "started_at",
                          time_json(r->open ? r->started_ms : 0));
    cJSON_AddNumberToObject(o, "failing_runs", r->failing_runs);
    cJSON_AddItemToObject(o, "silenced_until", time_json(silenced));
    cJSON *notified = cJSON_CreateArray();
    notified_each(r->notified, add_notified, notified);
    cJSON_AddItemToObject(o, "notified", notified);
    return o;
}

static int list_json(cli_env *env, const cli_args *a, const listing *l)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *alerts = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "monitor", env->cfg->monitor);
    for (size_t i = 0; i < l->count; i++) {
        const history_alert *r = &l->rows[i];
        if (!matches(a, r))
            continue;
        int64_t silenced = silence_until(l->silences, l->silence_count,
                                         r->fingerprint, r->check, env->now_ms);
        cJSON_AddItemToArray(alerts, alert_json(r, r->open ? silenced : 0));
    }
    cJSON_AddItemToObject(root, "alerts", alerts);
    return print_json(env, root);
}

static void list_row(text_table *t, const history_alert *r, int64_t silenced)
{
    char since[64], until[64], failing[32];
    time_text(r->open ? r->started_ms : r->fail_since_ms, since, sizeof since);
    time_text(silenced, until, sizeof until);
    snprintf(failing, sizeof failing, "%" PRIu32, r->failing_runs);
    const char *cells[] = {r->fingerprint,
                           severity_label(r->severity),
                           state_of(r, silenced),
                           r->check,
                           *r->metric ? r->metric : "-",
                           since,
                           failing,
                           until,
                           r->summary};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
        table_add(t, cells[i]);
}

static int list_text(cli_env *env, const cli_args *a, const listing *l)
{
    text_table *t = table_new(9);
    static const char *const head[] = {
        "FINGERPRINT", "SEVERITY", "STATE",          "CHECK",  "METRIC",
        "SINCE",       "FAILING",  "SILENCED UNTIL", "SUMMARY"};
    for (size_t i = 0; i < 9; i++)
        table_add(t, head[i]);
    size_t shown = 0;
    for (size_t i = 0; i < l->count; i++) {
        const history_alert *r = &l->rows[i];
        if (!matches(a, r))
            continue;
        int64_t silenced = silence_until(l->silences, l->silence_count,
                                         r->fingerprint, r->check, env->now_ms);
        list_row(t, r, r->open ? silenced : 0);
        shown++;
    }
    fprintf(env->out, "%s: %zu %salert%s\n", env->cfg->monitor, shown,
            a->all ? "tracked " : "open ", shown == 1 ? "" : "s");
    if (shown)
        table_print(t, env->out);
    table_free(t);
    return ALERTS_EXIT_OK;
}

int cli_list(cli_env *env, const cli_args *args)
{
    listing l = {0};
    const char *monitor = env->cfg->monitor;
    int rc = ALERTS_EXIT_STORE;
    if (history_alerts_load(env->store, monitor, &l.rows, &l.count, env->err,
                            env->err_size) == 0 &&
        history_silences_load(env->store, monitor, env->now_ms, &l.silences,
                              &l.silence_count, env->err, env->err_size) == 0)
        rc = args->json ? list_json(env, args, &l) : list_text(env, args, &l);
    history_alerts_free(l.rows, l.count);
    history_silences_free(l.silences, l.silence_count);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* silences                                                                 */

static int silences_json(cli_env *env, const history_silence *s, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "monitor", env->cfg->monitor);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)s[i].id);
        cJSON_AddItemToObject(o, "fingerprint",
                              *s[i].fingerprint
                                  ? cJSON_CreateString(s[i].fingerprint)
                                  : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "check",
                              *s[i].check ? cJSON_CreateString(s[i].check)
                                          : cJSON_CreateNull());
        cJSON_AddItemToObject(o, "until", time_json(s[i].until_ms));
        cJSON_AddItemToObject(o, "created_at", time_json(s[i].created_ms));
        cJSON_AddBoolToObject(o, "active", s[i].until_ms > env->now_ms);
        cJSON_AddStringToObject(o, "comment", s[i].comment);
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddItemToObject(root, "silences", list);
    return print_json(env, root);
}

static int silences_text(cli_env *env, const history_silence *s, size_t n,
                         int all)
{
    text_table *t = table_new(6);
    static const char *const head[] = {"ID",      "SILENCES", "UNTIL",
                                       "CREATED", "ACTIVE",   "COMMENT"};
    for (size_t i = 0; i < 6; i++)
        table_add(t, head[i]);
    for (size_t i = 0; i < n; i++) {
        char id[32], what[320], until[64], created[64];
        snprintf(id, sizeof id, "%" PRId64, s[i].id);
        if (*s[i].fingerprint)
            snprintf(what, sizeof what, "alert %s", s[i].fingerprint);
        else
            snprintf(what, sizeof what, "check %.300s", s[i].check);
        time_text(s[i].until_ms, until, sizeof until);
        time_text(s[i].created_ms, created, sizeof created);
        const char *cells[] = {id,
                               what,
                               until,
                               created,
                               s[i].until_ms > env->now_ms ? "yes" : "no",
                               s[i].comment};
        for (size_t c = 0; c < 6; c++)
            table_add(t, cells[c]);
    }
    fprintf(env->out, "%s: %zu %ssilence%s\n", env->cfg->monitor, n,
            all ? "" : "active ", n == 1 ? "" : "s");
    if (n)
        table_print(t, env->out);
    table_free(t);
    return ALERTS_EXIT_OK;
}

int cli_silences(cli_env *env, const cli_args *args)
{
    history_silence *s;
    size_t n;
    if (history_silences_load(env->store, env->cfg->monitor,
                              args->all ? -1 : env->now_ms, &s, &n, env->err,
                              env->err_size) != 0)
        return ALERTS_EXIT_STORE;
    int rc = args->json ? silences_json(env, s, n)
                        : silences_text(env, s, n, args->all);
    history_silences_free(s, n);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* outbox                                                                   */

static int outbox_json(cli_env *env, const history_outbox_row *r, size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_CreateArray();
    cJSON_AddStringToObject(root, "monitor", env->cfg->monitor);
    for (size_t i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)r[i].id);
        cJSON_AddStringToObject(o, "channel", r[i].channel);
        cJSON_AddStringToObject(o, "fingerprint", r[i].fingerprint);
        cJSON_AddStringToObject(o, "check", r[i].check);
        cJSON_AddItemToObject(o, "metric",
                              *r[i].metric ? cJSON_CreateString(r[i].metric)
                                           : cJSON_CreateNull());
        cJSON_AddStringToObject(o, "state", alert_state_label(r[i].state));
        cJSON_AddStringToObject(o, "severity", severity_label(r[i].severity));
        cJSON_AddItemToObject(o, "queued_at", time_json(r[i].created_ms));
        cJSON_AddStringToObject(o, "run_id", r[i].run_id);
        cJSON_AddNumberToObject(o, "attempts", (double)r[i].attempts);
        cJSON_AddStringToObject(o, "last_error", r[i].last_error);
        cJSON_AddItemToArray(list, o);
    }
    cJSON_AddItemToObject(root, "outbox", list);
    return print_json(env, root);
}

static int outbox_text(cli_env *env, const history_outbox_row *r, size_t n)
{
    text_table *t = table_new(8);
    static const char *const head[] = {"ID",     "CHANNEL",   "STATE",
                                       "CHECK",  "METRIC",    "QUEUED",
                                       "FAILED", "LAST ERROR"};
    for (size_t i = 0; i < 8; i++)
        table_add(t, head[i]);
    for (size_t i = 0; i < n; i++) {
        char id[32], queued[64], attempts[32];
        snprintf(id, sizeof id, "%" PRId64, r[i].id);
        time_text(r[i].created_ms, queued, sizeof queued);
        snprintf(attempts, sizeof attempts, "%" PRId64, r[i].attempts);
        const char *cells[] = {id,
                               r[i].channel,
                               alert_state_label(r[i].state),
                               r[i].check,
                               *r[i].metric ? r[i].metric : "-",
                               queued,
                               attempts,
                               *r[i].last_error ? r[i].last_error : "-"};
        for (size_t c = 0; c < 8; c++)
            table_add(t, cells[c]);
    }
    fprintf(env->out, "%s: %zu notification%s waiting\n", env->cfg->monitor, n,
            n == 1 ? "" : "s");
    if (n)
        table_print(t, env->out);
    table_free(t);
    return ALERTS_EXIT_OK;
}

int cli_outbox(cli_env *env, const cli_args *args)
{
    history_outbox_row *rows;
    size_t n;
    if (history_outbox_pending(env->store, env->cfg->monitor, &rows, &n,
                               env->err, env->err_size) != 0)
        return ALERTS_EXIT_STORE;
    int rc = args->json ? outbox_json(env, rows, n) : outbox_text(env, rows, n);
    history_outbox_free(rows, n);
    return rc;
}
