/*
 * cgjail.h - one cgroup v2 per running job, where cgroup v2 is mounted
 * and writable, so that the end of a job kills everything it started:
 * also processes that left its process group or session (setsid()).
 *
 * The runner's jail is <cgroup2 mount><the host's own cgroup>/nbaq-<pid>,
 * and each job gets job-<n> in it. The child moves itself in before any
 * plugin code runs. Where cgroup v2 is missing or not writable (or
 * NBAQ_CGROUP=0), every function does nothing and the process group alone
 * bounds a job (docs/architecture.md, "Isolation"). The jails of hosts
 * that died are removed by the next host that opens one.
 */
#ifndef NBAQ_CORE_CGJAIL_H
#define NBAQ_CORE_CGJAIL_H

#include <limits.h>
#include <stddef.h>

typedef struct cgjail {
    int enabled;
    char dir[PATH_MAX]; /* the runner's jail                              */
    char **free_cells;  /* cells of finished jobs, emptied, to reuse      */
    size_t free_count, free_cap;
    size_t made; /* cells created: job-0 .. job-(made-1)                  */
} cgjail;

/* Sets up the runner's jail; j->enabled says whether it worked. */
void cgjail_open(cgjail *j);
/* A cgroup for a job: its directory, or NULL when there is none. The job
 * holds it until cgjail_cell_release(). Cells are reused (as many as jobs
 * run at once), so that a job costs no mkdir or rmdir. */
char *cgjail_cell_take(cgjail *j);
/* In the job's child, first thing: moves the calling process into cell
 * (NULL: nothing). */
void cgjail_cell_enter(const char *cell);
/* Kills every process in *cell, gives the cell back for reuse and sets
 * *cell to NULL. */
void cgjail_cell_release(cgjail *j, char **cell);
/* Kills what is left, removes every cell and the jail. */
void cgjail_close(cgjail *j);

#endif
