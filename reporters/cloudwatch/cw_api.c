/* format: api - the run as PutMetricData requests. */
#include <stdio.h>
#include <string.h>

#include "awscreds.h"
#include "cw_publish.h"
#include "cw_query.h"
#include "cw_report.h"

typedef struct api_run {
    const cw_config *cfg;
    cw_publisher publisher;
    cw_query_batch batch;
    size_t data_published;
    char first_error[NBAQ_ERR_SIZE];
} api_run;

/* Sends the batch, if it holds anything, and starts the next one.
 * -1 when sending more is pointless.                                    */
static int send_batch(api_run *r)
{
    cw_query_batch *b = &r->batch;
    char err[NBAQ_ERR_SIZE];

    if (b->count == 0)
        return 0;
    if (cw_publisher_send(&r->publisher, b->body.data, b->body.len, b->count,
                          err, sizeof err) == 0)
        r->data_published += b->count;
    else if (r->first_error[0] == '\0')
        snprintf(r->first_error, sizeof r->first_error, "%s", err);
    cw_query_start(b, r->cfg);
    return r->publisher.give_up ? -1 : 0;
}

/* 0; 1 when sending stopped; -1 with err filled. */
static int add_datum(api_run *r, const char *check, const cw_datum *d,
                     char *err, size_t err_size)
{
    cw_query_batch *b = &r->batch;

    if (cw_query_prepare(b, r->cfg, check, d) != 0)
        goto oom;
    if (!cw_query_fits(b)) {
        if (send_batch(r) != 0)
            return 1;
        /* The member number is part of the encoding: encode again.     */
        if (cw_query_prepare(b, r->cfg, check, d) != 0)
            goto oom;
    }
    if (cw_query_append(b) != 0)
        goto oom;
    return 0;
oom:
    snprintf(err, err_size,
             "out of memory encoding metric '%s' of check "
             "'%.200s'",
             d->name, check);
    return -1;
}

/* Encodes and sends every datum; 0, 1 (stopped), or -1 with err. */
static int publish_run(api_run *r, const nbaq_run *run, cw_tally *tally,
                       char *err, size_t err_size)
{
    cw_check_data cd;
    int rc = 0;

    cw_check_data_init(&cd);
    cw_query_start(&r->batch, r->cfg);
    for (size_t i = 0; rc == 0 && i < run->check_count; i++) {
        rc = cw_check_data_fill(&cd, r->cfg, run->checks[i], tally, err,
                                err_size);
        for (size_t k = 0; rc == 0 && k < cd.count; k++)
            rc = add_datum(r, cd.check, &cd.data[k], err, err_size);
    }
    if (rc == 0 && send_batch(r) != 0)
        rc = 1;
    cw_check_data_free(&cd);
    return rc;
}

static int judge(const api_run *r, const cw_tally *tally, int stopped,
                 char *err, size_t err_size)
{
    const cw_config *cfg = r->cfg;
    const cw_publisher *p = &r->publisher;

    if (p->failed == 0) {
        cfg->api->log(cfg->ctx, NBAQ_LOG_INFO,
                      "published %zu metric data of %zu checks in %zu "
                      "PutMetricData requests to %s, namespace %s",
                      r->data_published, tally->checks, p->requests,
                      cfg->target, cfg->namespace_name);
        return 0;
    }
    if (stopped)
        snprintf(err, err_size,
                 "%s (stopped: %zu metric data published "
                 "before, the rest not sent)",
                 r->first_error, r->data_published);
    else
        snprintf(err, err_size,
                 "%s (%zu of %zu requests failed; %zu of "
                 "%zu metric data published)",
                 r->first_error, p->failed, p->requests, r->data_published,
                 tally->data);
    return -1;
}

int cw_report_api(const cw_config *cfg, const nbaq_run *run, cw_tally *tally,
                  char *err, size_t err_size)
{
    const nbaq_host_api *api = cfg->api;
    const nbaq_options *o = cfg->options;
    nbaq_aws_credential_options sources = {
        .access_key_id = api->opt_string(o, "access_key_id"),
        .secret_access_key = api->opt_string(o, "secret_access_key"),
        .session_token = api->opt_string(o, "session_token"),
        .profile = api->opt_string(o, "profile"),
        .credentials_file = api->opt_string(o, "credentials_file")};
    nbaq_aws_credentials creds;
    api_run r = {.cfg = cfg};
    int rc;

    if (nbaq_aws_credentials_resolve(&sources, &creds, 1, err, err_size) != 0)
        return -1;
    api->log(cfg->ctx, NBAQ_LOG_DEBUG, "signing with credentials from %s",
             creds.source);
    if (cw_publisher_open(&r.publisher, cfg, &creds, err, err_size) != 0) {
        nbaq_aws_credentials_wipe(&creds);
        return -1;
    }
    cw_query_init(&r.batch, cfg);
    rc = publish_run(&r, run, tally, err, err_size);
    if (rc >= 0)
        rc = judge(&r, tally, rc == 1, err, err_size);
    cw_query_free(&r.batch);
    cw_publisher_close(&r.publisher);
    nbaq_aws_credentials_wipe(&creds);
    return rc;
}
