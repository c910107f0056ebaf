#include "plugin_validate.h"

#include <sys/mman.h>

#include "hostapi.h"
#include "options.h"
#include "plugin_vet.h"
#include "text.h"

typedef struct validate_batch {
    const validate_job *jobs;
    size_t count;
    volatile size_t *current; /* shared with the child: the job it is on */
} validate_batch;

/* Runs in the child. */
static int call_all(const char *what, void *arg, char *err, size_t err_size)
{
    const validate_batch *batch = arg;
    options_set_bug_handler(plugin_vet_fail);
    for (size_t i = 0; i < batch->count; i++) {
        const validate_job *job = &batch->jobs[i];
        char reason[NBAQ_ERR_SIZE] = "";
        if (!job->plugin->validate)
            continue;
        *batch->current = i;
        if (job->plugin->validate(hostapi_table(), job->options, reason,
                                  sizeof reason) == 0)
            continue;
        reason[sizeof reason - 1] = '\0';
        if (!reason[0])
            return err_set(err, err_size,
                           "%s refused the options without a reason", what);
        return err_set(err, err_size, "%s", reason);
    }
    *batch->current = batch->count;
    return 0;
}

static int any_validate(const validate_job *jobs, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (jobs[i].plugin->validate)
            return 1;
    return 0;
}

int plugin_validate_all(const validate_job *jobs, size_t count, size_t *failed,
                        char *err, size_t err_size)
{
    *failed = count;
    if (!any_validate(jobs, count))
        return 0;
    size_t *current = mmap(NULL, sizeof *current, PROT_READ | PROT_WRITE,
                           MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (current == MAP_FAILED)
        return err_set(err, err_size, "validate(): no shared memory");
    *current = count;
    validate_batch batch = {jobs, count, current};
    int rc = plugin_vet_call("validate()", call_all, &batch, err, err_size);
    *failed = *current;
    munmap(current, sizeof *current);
    return rc;
}
