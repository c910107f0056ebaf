#include "fleet_alerts.h"

#include "history_alerts.h"
#include "round.h"
#include "silence.h"
#include "text.h"

/* The alert of an open row as the round that showed it last told it. */
static nbaq_alert open_alert(const history_alert *row,
                             const history_silence *silences, size_t count,
                             int64_t now_ms)
{
    int64_t until =
        silence_until(silences, count, row->fingerprint, row->check, now_ms);
    return (nbaq_alert){.fingerprint = row->fingerprint,
                        .check = row->check,
                        .metric = row->metric,
                        .summary = row->summary,
                        .severity = row->severity,
                        .state =
                            until > now_ms ? NBAQ_ALERT_SILENCED : row->state,
                        .started_ms = row->started_ms,
                        .silenced_until_ms = until,
                        .failing_runs = row->failing_runs};
}

static cJSON *alerts_json(const history_alert *rows, size_t count,
                          const history_silence *silences, size_t silence_count,
                          int64_t now_ms)
{
    cJSON *list = cJSON_CreateArray();
    for (size_t i = 0; list && i < count; i++) {
        if (!rows[i].open)
            continue;
        nbaq_alert a = open_alert(&rows[i], silences, silence_count, now_ms);
        cJSON *item = round_encode_alert(&a);
        if (!item) {
            cJSON_Delete(list);
            return NULL;
        }
        cJSON_AddItemToArray(list, item);
    }
    return list;
}

cJSON *fleet_alerts_load(history_store *store, const char *monitor,
                         int64_t now_ms, char *err, size_t err_size)
{
    history_alert *rows = NULL;
    size_t count = 0;
    history_silence *silences = NULL;
    size_t silence_count = 0;
    cJSON *list = NULL;
    if (history_alerts_load(store, monitor, &rows, &count, err, err_size) ==
            0 &&
        history_silences_load(store, monitor, now_ms, &silences, &silence_count,
                              err, err_size) == 0) {
        list = alerts_json(rows, count, silences, silence_count, now_ms);
        if (!list)
            err_set(err, err_size, "out of memory");
    }
    history_alerts_free(rows, count);
    history_silences_free(silences, silence_count);
    return list;
}
