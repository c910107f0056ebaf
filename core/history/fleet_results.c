/*
 * fleet_results.c - the last stored result of each check of a fleet,
 * whichever member ran it (history_fleet.h).
 *
 * The checks are those of nbaq_fleet_schedule; each one's last result is
 * found from the newest runs of the monitor (index on monitor,
 * started_ms) through the check's primary key, then its metric values
 * are joined by run (index on run).
 *
 * The walk through the runs is bounded, so that a heartbeat's cost does
 * not grow with the history: the host's own checks (nbaq:watchdog) never
 * store a result and are left out, and a check's result is looked for
 * only among the runs that started around its last start (the schedule's
 * last_started_ms, on the database's clock, so within RESULT_SLACK_MS of
 * the members' clocks) and one interval before it (a check running now
 * shows its previous result). A check removed from the config no longer
 * makes every heartbeat walk all the runs since it last ran.
 */
#include <stdlib.h>
#include <string.h>

#include "fleet_internal.h"

#define RESULT_SLACK_MS "600000" /* 10 min */

static const char results_sql[] =
    "WITH last AS (SELECT s.check_name, x.*"
    " FROM nbaq_fleet_schedule s CROSS JOIN LATERAL"
    " (SELECT c.run, c.plugin, c.status, c.message, c.severity,"
    "   c.started_ms, c.duration_ms, r.member"
    "  FROM nbaq_runs r JOIN nbaq_check_results c"
    "   ON c.run = r.id AND c.check_name = s.check_name"
    "  WHERE r.monitor = s.monitor"
    "   AND r.started_ms <= s.last_started_ms + " RESULT_SLACK_MS
    "   AND r.started_ms >= s.last_started_ms - s.interval_ms "
    "- " RESULT_SLACK_MS "  ORDER BY r.started_ms DESC LIMIT 1) x"
    " WHERE s.monitor = $1 AND s.check_name NOT LIKE 'nbaq:%')"
    " SELECT last.check_name, last.plugin, last.status, last.message,"
    " last.severity, last.member, last.started_ms, last.duration_ms,"
    " se.metric, v.value, COALESCE(v.unit, ''), COALESCE(v.status, ''),"
    " COALESCE(v.reason, ''), CASE WHEN v.value IS NULL THEN 0 ELSE 1 END"
    " FROM last LEFT JOIN (nbaq_metric_values v"
    "  JOIN nbaq_series se ON se.id = v.series)"
    " ON v.run = last.run AND se.check_name = last.check_name"
    " ORDER BY last.check_name, se.metric";

static int read_result(const store_backend *b, store_stmt *s, void *row)
{
    history_fleet_result_row *r = row;
    r->check = history_column_dup(b, s, 0);
    r->plugin = history_column_dup(b, s, 1);
    r->status = history_column_dup(b, s, 2);
    r->message = history_column_dup(b, s, 3);
    r->severity = history_column_dup(b, s, 4);
    r->member = history_column_dup(b, s, 5);
    r->started_ms = b->column_int64(s, 6);
    r->duration_ms = b->column_int64(s, 7);
    if (b->column_text(s, 8)) {
        r->metric = history_column_dup(b, s, 8);
        r->value = b->column_double(s, 9);
        r->unit = history_column_dup(b, s, 10);
        r->metric_status = history_column_dup(b, s, 11);
        r->reason = history_column_dup(b, s, 12);
        r->has_value = (int)b->column_int64(s, 13);
        if (!r->metric || !r->unit || !r->metric_status || !r->reason)
            return -1;
    }
    return r->check && r->plugin && r->status && r->message && r->severity &&
                   r->member
               ? 0
               : -1;
}

int history_fleet_results_load(history_fleet *f,
                               history_fleet_result_row **rows, size_t *count,
                               char *err, size_t err_size)
{
    *rows = NULL;
    *count = 0;
    int rc = fleet_load_rows(f, results_sql, sizeof **rows, read_result,
                             (void **)rows, count, err, err_size);
    if (rc != 0) {
        history_fleet_results_free(*rows, *count);
        *rows = NULL;
        *count = 0;
    }
    return rc;
}

void history_fleet_results_free(history_fleet_result_row *rows, size_t count)
{
    for (size_t i = 0; rows && i < count; i++) {
        history_fleet_result_row *r = &rows[i];
        free(r->check);
        free(r->plugin);
        free(r->status);
        free(r->message);
        free(r->severity);
        free(r->member);
        free(r->metric);
        free(r->unit);
        free(r->metric_status);
        free(r->reason);
    }
    free(rows);
}
