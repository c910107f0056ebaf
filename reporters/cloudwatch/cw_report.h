/*
 * cw_report.h - the two ways a run reaches CloudWatch:
 *   api: PutMetricData requests, batched to the API's limits (1000 data
 *        and 1 MB per request, cw_config.h), sent one after the other;
 *   emf: Embedded Metric Format lines, one JSON object per check (more
 *        when a check has over 100 metrics), written through the host's
 *        output_write() as one "jsonl" report, for the CloudWatch agent.
 * Both send the same data (cw_data.h), under the same names.
 */
#ifndef CW_REPORT_H
#define CW_REPORT_H

#include <stddef.h>

#include "cw_config.h"
#include "cw_data.h"
#include "nbaq.h"

/* 0, or -1 with err filled; *tally counts what was produced. */
int cw_report_api(const cw_config *cfg, const nbaq_run *run, cw_tally *tally,
                  char *err, size_t err_size);
int cw_report_emf(const cw_config *cfg, const nbaq_run *run, cw_tally *tally,
                  char *err, size_t err_size);

#endif
