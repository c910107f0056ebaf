/*
 * format: emf - one Embedded Metric Format object per line:
 *
 *   {"_aws":{"Timestamp":<run start, epoch ms>,"CloudWatchMetrics":[
 *     {"Namespace":"<ns>","Dimensions":[["Monitor","Check",...]],
 *      "Metrics":[{"Name":"<metric>","Unit":"<unit>"},...]}]},
 *    "Monitor":"<monitor>","Check":"<check>",...,"<metric>":<value>,...}
 *
 * A MetricDirective holds at most 100 metrics, so a check with more gets
 * several lines, each with its dimensions.
 */
#include <inttypes.h>
#include <stdio.h>

#include "cw_report.h"
#include "promtext.h"
#include "textbuf.h"

static void json_string(textbuf *b, const char *s)
{
    textbuf_putc(b, '"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            textbuf_printf(b, "\\%c", c);
        else if (c < 0x20)
            textbuf_printf(b, "\\u%04x", c);
        else
            textbuf_putc(b, (char)c);
    }
    textbuf_putc(b, '"');
}

static void write_directive(textbuf *b, const cw_config *cfg,
                            const cw_check_data *cd, size_t from, size_t to)
{
    textbuf_printf(b,
                   "{\"_aws\":{\"Timestamp\":%" PRId64
                   ",\"CloudWatchMetrics\":[{\"Namespace\":",
                   cfg->timestamp_ms);
    json_string(b, cfg->namespace_name);
    textbuf_puts(b, ",\"Dimensions\":[[");
    for (size_t j = 0; j < cfg->dimension_count; j++) {
        textbuf_puts(b, j ? "," : "");
        json_string(b, cfg->dimensions[j].name);
    }
    textbuf_puts(b, "]],\"Metrics\":[");
    for (size_t k = from; k < to; k++) {
        textbuf_puts(b, k > from ? ",{\"Name\":" : "{\"Name\":");
        json_string(b, cd->data[k].name);
        textbuf_puts(b, ",\"Unit\":");
        json_string(b, cd->data[k].unit);
        textbuf_puts(b,
                     cfg->high_resolution ? ",\"StorageResolution\":1}" : "}");
    }
    textbuf_puts(b, "]}]}");
}

static void write_line(textbuf *b, const cw_config *cfg,
                       const cw_check_data *cd, size_t from, size_t to)
{
    write_directive(b, cfg, cd, from, to);
    for (size_t j = 0; j < cfg->dimension_count; j++) {
        const cw_dimension *dim = &cfg->dimensions[j];
        textbuf_putc(b, ',');
        json_string(b, dim->name);
        textbuf_putc(b, ':');
        json_string(b, dim->value != NULL ? dim->value : cd->check);
    }
    for (size_t k = from; k < to; k++) {
        textbuf_putc(b, ',');
        json_string(b, cd->data[k].name);
        textbuf_putc(b, ':');
        textfmt_prom_value(b, cd->data[k].value);
    }
    textbuf_puts(b, "}\n");
}

int cw_report_emf(const cw_config *cfg, const nbaq_run *run, cw_tally *tally,
                  char *err, size_t err_size)
{
    cw_check_data cd;
    textbuf out;
    size_t lines = 0;
    int rc = 0;

    cw_check_data_init(&cd);
    textbuf_init(&out);
    for (size_t i = 0; rc == 0 && i < run->check_count; i++) {
        rc = cw_check_data_fill(&cd, cfg, run->checks[i], tally, err, err_size);
        for (size_t from = 0; rc == 0 && from < cd.count;
             from += CW_EMF_MAX_METRICS, lines++) {
            size_t to = from + CW_EMF_MAX_METRICS;
            write_line(&out, cfg, &cd, from, to < cd.count ? to : cd.count);
        }
    }
    cw_check_data_free(&cd);
    if (rc == 0 && textbuf_failed(&out)) {
        snprintf(err, err_size, "out of memory writing EMF lines");
        rc = -1;
    }
    if (rc == 0)
        rc = cfg->api->output_write(cfg->ctx, "jsonl",
                                    out.data != NULL ? out.data : "", out.len,
                                    err, err_size);
    if (rc == 0)
        cfg->api->log(cfg->ctx, NBAQ_LOG_INFO,
                      "wrote %zu EMF lines: %zu metric data of %zu checks, "
                      "namespace %s",
                      lines, tally->data, tally->checks, cfg->namespace_name);
    textbuf_free(&out);
    return rc;
}
