/*
 * cw_config.h - the reporter's options (README.md lists them), read and
 * checked once per report.
 *
 * Ownership: a cw_config points into the host's options and the run,
 * which live until report() returns; it owns nothing but its fixed
 * buffers, so it needs no freeing.
 */
#ifndef CW_CONFIG_H
#define CW_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "cw_names.h"
#include "nbaq.h"

/* PutMetricData limits (the API's, and the margin kept under them).      */
#define CW_MAX_DIMENSIONS 30 /* per metric datum                     */
#define CW_MAX_DATA_PER_REQUEST 1000
#define CW_MAX_REQUEST_BYTES 1000000 /* the API takes 1 MB; kept below   */
/* EMF: metric definitions per MetricDirective.                           */
#define CW_EMF_MAX_METRICS 100
/* The two dimensions every datum has: Monitor and Check.                 */
#define CW_FIXED_DIMENSIONS 2
#define CW_MAX_EXTRA_DIMENSIONS (CW_MAX_DIMENSIONS - CW_FIXED_DIMENSIONS)

typedef struct cw_dimension {
    const char *name;
    const char *value;
} cw_dimension;

typedef struct cw_config {
    const nbaq_host_api *api;
    nbaq_ctx *ctx; /* for api->log and api->output_write                */
    const nbaq_options *options;
    int emf; /* format: emf                                             */

    const char *namespace_name;
    const char *status_metric;
    int high_resolution;
    int64_t timestamp_ms; /* of every datum: the run's start             */
    char monitor[CW_DIM_VALUE_MAX + 1]; /* sanitized                      */
    /* Monitor, Check, then the option dimensions in config order; the
     * value of Check is set per check (NULL here).                       */
    cw_dimension dimensions[CW_MAX_DIMENSIONS];
    size_t dimension_count;

    /* format: api */
    char region[64];
    char url[2048];   /* where requests go                               */
    char target[512]; /* scheme://host[:port] of url, for messages         */
    int64_t timeout_ms;
    unsigned retries;
    int64_t retry_delay_ms;
    size_t batch_size;
} cw_config;

/* The schema, NULL-name terminated; the descriptor points to it.        */
extern const nbaq_option_spec cw_option_specs[];

/* Reads and checks the options. 0, or -1 with err naming the option and
 * where it was written.                                                 */
int cw_config_read(const nbaq_host_api *api, nbaq_ctx *ctx, const nbaq_run *run,
                   cw_config *cfg, char *err, size_t err_size);

/* The CloudWatch unit for a metric's nbaq unit: the `units` option
 * first, then the built-in mapping. Static or host-owned string.         */
const char *cw_config_unit(const cw_config *cfg, const char *nbaq_unit);

#endif
