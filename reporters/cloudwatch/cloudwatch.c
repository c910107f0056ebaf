/*
 * cloudwatch - every metric of the run, and each check's status, in
 * Amazon CloudWatch: PutMetricData requests signed with SigV4, or
 * Embedded Metric Format lines for the CloudWatch agent (README.md).
 */
#include "cw_config.h"
#include "cw_data.h"
#include "cw_report.h"
#include "nbaq.h"

static void log_tally(const cw_config *cfg, const cw_tally *t)
{
    if (t->not_finite + t->out_of_range > 0)
        cfg->api->log(cfg->ctx, NBAQ_LOG_WARN,
                      "left out %zu values CloudWatch does not take (NaN or "
                      "infinite: %zu; beyond +-2^360 or nearer zero than "
                      "2^-360: %zu)",
                      t->not_finite + t->out_of_range, t->not_finite,
                      t->out_of_range);
    if (t->renamed > 0)
        cfg->api->log(cfg->ctx, NBAQ_LOG_INFO,
                      "%zu metric names changed to fit CloudWatch's rules or "
                      "to stay unique within their check (see README.md)",
                      t->renamed);
}

static int cloudwatch_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                             const nbaq_run *run, char *err, size_t err_size)
{
    cw_config cfg;
    cw_tally tally = {0};

    if (cw_config_read(api, ctx, run, &cfg, err, err_size) != 0)
        return -1;
    int rc = cfg.emf ? cw_report_emf(&cfg, run, &tally, err, err_size)
                     : cw_report_api(&cfg, run, &tally, err, err_size);
    log_tally(&cfg, &tally);
    return rc;
}

/* NBAQ_FLAG_WRITES_OUTPUT is static, and only format: emf writes: the
 * host offers output/output_dir always; format: api refuses them.       */
static const nbaq_plugin_descriptor cloudwatch_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "cloudwatch",
    .version = "1.0.0",
    .description = "every metric and check status to Amazon CloudWatch: "
                   "PutMetricData (SigV4) or Embedded Metric Format lines",
    .options = cw_option_specs,
    .report = cloudwatch_report,
    .flags = NBAQ_FLAG_WRITES_OUTPUT,
};

NBAQ_PLUGIN(cloudwatch_descriptor)
