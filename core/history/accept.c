/*
 * accept.c - `nbaq-host -c FILE history accept`: a person says a metric's
 * new level is right. Its open conditions close as "accepted" (who, when,
 * why), and the values since they opened become the baseline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history_calc.h"
#include "history_episodes.h"

/* Who accepts: --by, else the login name of the environment. */
static const char *accepted_by(const char *by)
{
    const char *user = getenv("USER");
    if (by && *by)
        return by;
    return user && *user ? user : "unknown";
}

static void print_accepted(FILE *out, const history_accept_request *req,
                           const char *by, const accepted_episode *episodes,
                           size_t count)
{
    char when[32];
    history_format_time(req->now_ms, when, sizeof when);
    fprintf(out, "%s / %s / %s: new level accepted by %s at %s\n", req->monitor,
            req->check, req->metric, by, when);
    for (size_t i = 0; i < count; i++) {
        history_format_time(episodes[i].opened_ms, when, sizeof when);
        fprintf(out,
                "  %s condition open since %s: closed, its values are "
                "now the baseline\n",
                episodes[i].rule, when);
    }
}

int history_accept(history_store *store, const history_accept_request *req,
                   FILE *out, char *err, size_t err_size)
{
    int64_t series = history_store_series_id(store, req->monitor, req->check,
                                             req->metric, 0, err, err_size);
    if (series < 0)
        return HISTORY_EXIT_STORE;
    if (series == 0) {
        snprintf(err, err_size,
                 "history: accept: monitor '%s' has no values of check '%s' "
                 "metric '%s'",
                 req->monitor, req->check, req->metric);
        return HISTORY_EXIT_NOTHING;
    }
    const char *by = accepted_by(req->by);
    accepted_episode episodes[4];
    size_t count = 0;
    if (history_episodes_accept(store, series, req->now_ms, by, req->note,
                                episodes, 4, &count, err, err_size) != 0)
        return HISTORY_EXIT_STORE;
    if (count == 0) {
        snprintf(err, err_size,
                 "history: accept: check '%s' metric '%s' has no open "
                 "condition to accept",
                 req->check, req->metric);
        return HISTORY_EXIT_NOTHING;
    }
    print_accepted(out, req, by, episodes, count < 4 ? count : 4);
    return HISTORY_EXIT_OK;
}
