#include "channel_report.h"

#include <stdio.h>
#include <stdlib.h>

#include "alert_format.h"

int channel_post_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, const channel_poster *poster,
                        char *err, size_t err_size)
{
    alertset set;
    int rc = poster->keep_open ? alertset_init_open(&set, run, err, err_size)
                               : alertset_init(&set, run, err, err_size);
    if (rc != 0)
        return -1;
    size_t alerts = set.count;
    int64_t now_ms = alert_now_ms();
    char *body = alerts > 0 ? poster->build(api, ctx, run, &set, now_ms) : NULL;
    alertset_free(&set);
    if (alerts == 0)
        return 0;
    if (body == NULL) {
        snprintf(err, err_size, "out of memory building the %s",
                 poster->payload);
        return -1;
    }
    rc = poster->send(api, ctx, body, alerts, now_ms, err, err_size);
    free(body);
    return rc;
}
