#include "board.h"

#include <stdlib.h>
#include <string.h>

#include "status.h"
#include "watchdog.h"

int board_init(board *b)
{
    memset(b, 0, sizeof *b);
    b->alerts = cJSON_CreateArray();
    return b->alerts ? 0 : -1;
}

static void check_free(board_check *c)
{
    free(c->name);
    free(c->plugin);
    free(c->description);
    cJSON_Delete(c->result);
}

void board_free(board *b)
{
    for (size_t i = 0; i < b->count; i++)
        check_free(&b->checks[i]);
    free(b->checks);
    cJSON_Delete(b->alerts);
    memset(b, 0, sizeof *b);
}

int64_t board_interval_of(const config *cfg, const check_config *c)
{
    return c->interval_ms > 0 ? c->interval_ms : cfg->daemon.interval_ms;
}

board_check *board_find(board *b, const char *name)
{
    for (size_t i = 0; i < b->count; i++) {
        if (strcmp(b->checks[i].name, name) == 0)
            return &b->checks[i];
    }
    return NULL;
}

static const char *text_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Drops the alerts of checks that are not on the board any more. */
/* Alerts of the checks on the board, monitor-level ones, and the
 * watchdog's (a check of the host's own, never on the board). */
static int keeps_alerts_of(board *b, const char *check)
{
    return !check[0] || board_find(b, check) ||
           strcmp(check, WATCHDOG_CHECK) == 0;
}

static void prune_alerts(board *b)
{
    cJSON *a = b->alerts->child;
    while (a) {
        cJSON *next = a->next;
        if (!keeps_alerts_of(b, text_of(a, "check")))
            cJSON_Delete(cJSON_DetachItemViaPointer(b->alerts, a));
        a = next;
    }
}

int board_sync(board *b, const config *cfg)
{
    size_t n = 0;
    for (size_t i = 0; i < cfg->check_count; i++)
        n += cfg->checks[i].enabled ? 1 : 0;
    board_check *checks = calloc(n ? n : 1, sizeof *checks);
    if (!checks)
        return -1;
    for (size_t i = 0, k = 0; i < cfg->check_count; i++) {
        const check_config *c = &cfg->checks[i];
        if (!c->enabled)
            continue;
        board_check *e = &checks[k++];
        e->name = strdup(c->name);
        e->plugin = strdup(c->plugin);
        e->description = strdup(c->description);
        e->severity = c->severity;
        e->interval_ms = board_interval_of(cfg, c);
        if (!e->name || !e->plugin || !e->description) {
            for (size_t j = 0; j < k; j++)
                check_free(&checks[j]);
            free(checks);
            return -1;
        }
    }
    /* Nothing can fail from here: move what stays. */
    for (size_t k = 0; k < n; k++) {
        board_check *old = board_find(b, checks[k].name);
        if (!old)
            continue;
        checks[k].running = old->running;
        checks[k].running_since_ms = old->running_since_ms;
        checks[k].next_run_ms = old->next_run_ms;
        checks[k].runs = old->runs;
        checks[k].result = old->result;
        old->result = NULL;
    }
    for (size_t i = 0; i < b->count; i++)
        check_free(&b->checks[i]);
    free(b->checks);
    b->checks = checks;
    b->count = n;
    prune_alerts(b);
    return 0;
}

static int in_names(const char *name, const char *const *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(names[i], name) == 0)
            return 1;
    }
    return 0;
}

static void take_alerts(board *b, const char *const *names, size_t count,
                        const cJSON *alerts)
{
    /* The round speaks for its checks: their old alerts go... */
    cJSON *a = b->alerts->child;
    while (a) {
        cJSON *next = a->next;
        if (in_names(text_of(a, "check"), names, count))
            cJSON_Delete(cJSON_DetachItemViaPointer(b->alerts, a));
        a = next;
    }
    /* ...and its open ones come in, replacing any with the same
     * fingerprint (a monitor-level alert of an earlier round). */
    const cJSON *item;
    cJSON_ArrayForEach(item, alerts)
    {
        if (!keeps_alerts_of(b, text_of(item, "check")))
            continue;
        const char *fingerprint = text_of(item, "fingerprint");
        cJSON *old = b->alerts->child;
        while (old && strcmp(text_of(old, "fingerprint"), fingerprint) != 0)
            old = old->next;
        if (old)
            cJSON_Delete(cJSON_DetachItemViaPointer(b->alerts, old));
        if (strcmp(text_of(item, "state"), "RESOLVED") == 0)
            continue;
        cJSON *copy = cJSON_Duplicate(item, 1);
        if (copy)
            cJSON_AddItemToArray(b->alerts, copy);
    }
}

void board_set_alerts(board *b, const cJSON *alerts)
{
    cJSON *kept = cJSON_CreateArray();
    if (!kept)
        return; /* out of memory: the board keeps what it has */
    const cJSON *item;
    cJSON_ArrayForEach(item, alerts)
    {
        if (!keeps_alerts_of(b, text_of(item, "check")) ||
            strcmp(text_of(item, "state"), "RESOLVED") == 0)
            continue;
        cJSON *copy = cJSON_Duplicate(item, 1);
        if (copy)
            cJSON_AddItemToArray(kept, copy);
    }
    cJSON_Delete(b->alerts);
    b->alerts = kept;
}

void board_apply(board *b, const char *const *names, size_t count,
                 const cJSON *round)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(round, "checks"))
    {
        board_check *c = board_find(b, text_of(item, "name"));
        cJSON *copy = c ? cJSON_Duplicate(item, 1) : NULL;
        if (!copy)
            continue;
        cJSON_Delete(c->result);
        c->result = copy;
        c->runs++;
    }
    take_alerts(b, names, count,
                cJSON_GetObjectItemCaseSensitive(round, "alerts"));
}

void board_fail(board *b, const char *const *names, size_t count,
                const char *message, int64_t started_ms, int64_t duration_ms)
{
    for (size_t i = 0; i < count; i++) {
        board_check *c = board_find(b, names[i]);
        if (!c)
            continue;
        cJSON *o = cJSON_CreateObject();
        if (!o)
            continue;
        cJSON_AddStringToObject(o, "name", c->name);
        cJSON_AddStringToObject(o, "plugin", c->plugin);
        cJSON_AddStringToObject(o, "status", status_name(NBAQ_ERROR));
        cJSON_AddStringToObject(o, "message", message);
        cJSON_AddStringToObject(o, "severity", severity_name(c->severity));
        cJSON_AddNumberToObject(o, "started_ms", (double)started_ms);
        cJSON_AddNumberToObject(o, "duration_ms", (double)duration_ms);
        cJSON_AddArrayToObject(o, "metrics");
        cJSON_Delete(c->result);
        c->result = o;
        c->runs++;
    }
}

nbaq_status board_result_status(const cJSON *result)
{
    const char *name = text_of(result, "status");
    for (int s = 0; s < NBAQ_STATUS_COUNT; s++) {
        if (strcmp(name, status_name((nbaq_status)s)) == 0)
            return (nbaq_status)s;
    }
    return NBAQ_UNKNOWN;
}
