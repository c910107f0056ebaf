#include "cw_query.h"

#include <stdio.h>
#include <string.h>

#include "http.h"
#include "promtext.h"
#include "reportfmt.h"

/* A dimension value of 1024 characters, each encoded as %XX.             */
#define ENCODED_MAX (3 * CW_DIM_VALUE_MAX + 1)

static void put_encoded(textbuf *b, const char *s)
{
    char encoded[ENCODED_MAX];
    long n = nbaq_http_uri_encode(s, strlen(s), 0, encoded, sizeof encoded);
    if (n < 0) {
        textbuf_fail(b); /* longer than any checked or sanitized text   */
        return;
    }
    textbuf_append(b, encoded, (size_t)n);
}

static void put_field(textbuf *b, const char *key, const char *value)
{
    textbuf_printf(b, "&%s=", key);
    put_encoded(b, value);
}

void cw_query_init(cw_query_batch *b, const cw_config *cfg)
{
    memset(b, 0, sizeof *b);
    textbuf_init(&b->body);
    textbuf_init(&b->datum);
    textbuf_init(&b->number);
    b->max_count = cfg->batch_size ? cfg->batch_size : CW_MAX_DATA_PER_REQUEST;
    b->max_bytes = CW_MAX_REQUEST_BYTES;
    reportfmt_iso8601_utc(cfg->timestamp_ms, b->timestamp, sizeof b->timestamp);
}

void cw_query_free(cw_query_batch *b)
{
    textbuf_free(&b->body);
    textbuf_free(&b->datum);
    textbuf_free(&b->number);
}

void cw_query_start(cw_query_batch *b, const cw_config *cfg)
{
    textbuf_clear(&b->body);
    b->count = 0;
    textbuf_puts(&b->body, "Action=PutMetricData&Version=2010-08-01");
    put_field(&b->body, "Namespace", cfg->namespace_name);
}

int cw_query_prepare(cw_query_batch *b, const cw_config *cfg, const char *check,
                     const cw_datum *d)
{
    textbuf *t = &b->datum;
    size_t member = b->count + 1;
    char key[96];

    textbuf_clear(t);
    snprintf(key, sizeof key, "MetricData.member.%zu.MetricName", member);
    put_field(t, key, d->name);
    for (size_t j = 0; j < cfg->dimension_count; j++) {
        const cw_dimension *dim = &cfg->dimensions[j];
        snprintf(key, sizeof key,
                 "MetricData.member.%zu.Dimensions.member.%zu.Name", member,
                 j + 1);
        put_field(t, key, dim->name);
        snprintf(key, sizeof key,
                 "MetricData.member.%zu.Dimensions.member.%zu.Value", member,
                 j + 1);
        put_field(t, key, dim->value != NULL ? dim->value : check);
    }
    textbuf_printf(t, "&MetricData.member.%zu.Value=", member);
    textbuf_clear(&b->number);
    textfmt_prom_value(&b->number, d->value);
    if (!textbuf_failed(&b->number) && b->number.len > 0)
        put_encoded(t, b->number.data);
    else
        textbuf_fail(t);
    snprintf(key, sizeof key, "MetricData.member.%zu.Unit", member);
    put_field(t, key, d->unit);
    snprintf(key, sizeof key, "MetricData.member.%zu.Timestamp", member);
    put_field(t, key, b->timestamp);
    if (cfg->high_resolution)
        textbuf_printf(t, "&MetricData.member.%zu.StorageResolution=1", member);
    return textbuf_failed(t) ? -1 : 0;
}

int cw_query_fits(const cw_query_batch *b)
{
    return b->count < b->max_count &&
           b->body.len + b->datum.len <= b->max_bytes;
}

int cw_query_append(cw_query_batch *b)
{
    textbuf_append(&b->body, b->datum.data, b->datum.len);
    if (textbuf_failed(&b->body))
        return -1;
    b->count++;
    return 0;
}
