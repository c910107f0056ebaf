/*
 * harness_child.h - the child bodies of nbaq-plugin-test's one job: the
 * host's own (hostapi_run_check, hostapi_run_report), with a reporter's
 * output_write() calls counted in memory shared with the parent.
 */
#ifndef NBAQ_HARNESS_CHILD_H
#define NBAQ_HARNESS_CHILD_H

#include <stdint.h>

#include "harness.h"
#include "hostapi.h"

typedef struct harness_job {
    nbaq_ctx ctx;
    nbaq_check_fn check;
    nbaq_report_fn report;
    const nbaq_run *run;    /* reporters */
    harness_writes *writes; /* shared with the child (harness_writes_map) */
} harness_job;

/* job_child_fn bodies (runner.h); arg is a harness_job. Never return. */
void harness_check_child(void *arg, int stdout_fd, int64_t deadline_ms);
void harness_report_child(void *arg, int stdout_fd, int64_t deadline_ms);

/* harness_run_body: the check function that calls body(api, ctx, arg),
 * set before the fork. */
void harness_child_set_body(harness_body_fn body, void *arg);
void harness_body_check(const nbaq_host_api *api, nbaq_ctx *ctx);

/* report() in this process, through the same counting table. */
int harness_report_counted(harness_job *hj, const nbaq_run *run, char *err,
                           size_t err_size);

/* A zeroed harness_writes that a forked child writes and the parent
 * reads; NULL when mmap fails. Unmap with harness_writes_unmap. */
harness_writes *harness_writes_map(void);
void harness_writes_unmap(harness_writes *writes);

#endif
