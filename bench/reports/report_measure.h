/*
 * report_measure.h - time and peak memory of one report() call, for the
 * reporter benchmarks (bench/reports, bench/channels), built into each.
 */
#ifndef NBAQ_REPORT_MEASURE_H
#define NBAQ_REPORT_MEASURE_H

#include <stddef.h>

#include "nbaq.h"
#include "run_builder.h"
#include "harness.h"

/* Milliseconds on the monotonic clock. */
double measure_now_ms(void);

/* Peak resident memory of this process so far (ru_maxrss), in KiB. */
long measure_peak_rss_kb(void);

typedef struct report_measurement {
    int rc;             /* what report() returned                     */
    double report_ms;   /* wall time of the call                      */
    long rss_before_kb; /* peak resident memory before and after it  */
    long rss_after_kb;
} report_measurement;

/* Calls the reporter's report() once on rb's run, in this process, with
 * the host API of nbaq-host (harness_report_here), output "-" going to
 * stdout_fd; err receives its reason when it fails. */
report_measurement measure_report(harness *h, run_builder *rb, int stdout_fd,
                                  char *err, size_t err_size);

#endif /* NBAQ_REPORT_MEASURE_H */
