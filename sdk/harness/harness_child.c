#include "harness_child.h"

#include <stdio.h>
#include <sys/mman.h>

/* Set in the child before the plugin runs: one job per child. */
static harness_job *current;
static const nbaq_host_api *host_table;
static nbaq_host_api counting_table;

static harness_body_fn body_fn;
static void *body_arg;

void harness_child_set_body(harness_body_fn body, void *arg)
{
    body_fn = body;
    body_arg = arg;
}

void harness_body_check(const nbaq_host_api *api, nbaq_ctx *ctx)
{
    body_fn(api, ctx, body_arg);
}

void harness_check_child(void *arg, int stdout_fd, int64_t deadline_ms)
{
    harness_job *hj = arg;
    hj->ctx.stdout_fd = stdout_fd;
    hj->ctx.deadline_ms = deadline_ms;
    hostapi_run_check(&hj->ctx, hj->check);
}

static int counting_output_write(const nbaq_ctx *ctx, const char *extension,
                                 const void *data, size_t len, char *err,
                                 size_t err_size)
{
    harness_writes *w = current->writes;
    int rc = host_table->output_write(ctx, extension, data, len, err, err_size);
    w->count++;
    snprintf(w->extension, sizeof w->extension, "%s",
             extension ? extension : "");
    if (rc == 0)
        w->bytes += len;
    return rc;
}

/* Called by hostapi_run_report with the host's table: the plugin gets the
 * same table with output_write counted. */
static int counting_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, char *err, size_t err_size)
{
    host_table = api;
    counting_table = *api;
    counting_table.output_write = counting_output_write;
    return current->report(&counting_table, ctx, run, err, err_size);
}

int harness_report_counted(harness_job *hj, const nbaq_run *run, char *err,
                           size_t err_size)
{
    current = hj;
    return counting_report(hostapi_table(), &hj->ctx, run, err, err_size);
}

void harness_report_child(void *arg, int stdout_fd, int64_t deadline_ms)
{
    current = arg;
    current->ctx.stdout_fd = stdout_fd;
    current->ctx.deadline_ms = deadline_ms;
    hostapi_run_report(&current->ctx, counting_report, current->run);
}

harness_writes *harness_writes_map(void)
{
    void *p = mmap(NULL, sizeof(harness_writes), PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void harness_writes_unmap(harness_writes *writes)
{
    if (writes)
        munmap(writes, sizeof *writes);
}
