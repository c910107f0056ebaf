#include "fleet_board.h"

#include <string.h>

#include "round.h"

void fleet_board_stamp(board *b, const char *const *names, size_t count,
                       const char *member)
{
    for (size_t i = 0; i < count; i++) {
        board_check *c = board_find(b, names[i]);
        if (!c || !c->result)
            continue;
        cJSON_DeleteItemFromObjectCaseSensitive(c->result, "member");
        round_add_text(c->result, "member", member);
    }
}

static cJSON *metric_json(const history_fleet_result_row *r)
{
    cJSON *o = cJSON_CreateObject();
    round_add_text(o, "name", r->metric);
    if (r->has_value)
        cJSON_AddNumberToObject(o, "value", r->value);
    else
        cJSON_AddStringToObject(o, "value", "NaN");
    round_add_text(o, "unit", r->unit);
    round_add_text(o, "status", r->metric_status);
    round_add_text(o, "reason", r->reason);
    return o;
}

/* The check result of rows[0..n) (one check), as a round gives it. */
static cJSON *result_json(const history_fleet_result_row *rows, size_t n)
{
    const history_fleet_result_row *r = &rows[0];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    round_add_text(o, "name", r->check);
    round_add_text(o, "plugin", r->plugin);
    round_add_text(o, "status", r->status);
    round_add_text(o, "message", r->message);
    round_add_text(o, "severity", r->severity);
    cJSON_AddNumberToObject(o, "started_ms", (double)r->started_ms);
    cJSON_AddNumberToObject(o, "duration_ms", (double)r->duration_ms);
    round_add_text(o, "member", r->member);
    cJSON *metrics = cJSON_AddArrayToObject(o, "metrics");
    for (size_t i = 0; metrics && i < n; i++) {
        if (rows[i].metric)
            cJSON_AddItemToArray(metrics, metric_json(&rows[i]));
    }
    return o;
}

static int older_than(const cJSON *result, int64_t started_ms)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(result, "started_ms");
    return !result || !cJSON_IsNumber(s) || s->valuedouble < (double)started_ms;
}

size_t fleet_board_merge(board *b, const history_fleet_result_row *rows,
                         size_t count)
{
    size_t changed = 0;
    for (size_t i = 0, n; i < count; i += n) {
        n = 1;
        while (i + n < count && strcmp(rows[i + n].check, rows[i].check) == 0)
            n++;
        board_check *c = board_find(b, rows[i].check);
        if (!c || !older_than(c->result, rows[i].started_ms))
            continue;
        cJSON *result = result_json(&rows[i], n);
        if (!result)
            continue;
        cJSON_Delete(c->result);
        c->result = result;
        changed++;
    }
    return changed;
}
