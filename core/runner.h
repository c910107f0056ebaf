/*
 * runner.h - runs jobs (checks, reporters) each in its own child process,
 * at most `workers` at a time, each with a timeout.
 *
 * A job that names its plugin and can encode itself (checks) is copied by
 * a fork server (forkserver.h), one per worker, instead of by the host;
 * the child's parent is the host either way, and everything below holds
 * for both.
 *
 * A child starts its own process group (so that a timeout kills whatever it
 * spawned) and, where cgroup v2 is writable, its own cgroup (so that the
 * end of the job kills what left the group too; cgjail.h), reads /dev/null as
 * stdin, and has stdout pointed at stderr so that stray prints cannot corrupt a
 * report on stdout; the original stdout is passed to child_main (reporters
 * write there). What the plugin reports comes back as records (records.h) over
 * a pipe; the parent waits with poll() on the pipes and a SIGCHLD self-pipe,
 * kills the process group of a job past its deadline, and bounds what it reads.
 *
 * SIGINT and SIGTERM received by the host while jobs run kill every running
 * job; the remaining ones end as ERROR "interrupted".
 */
#ifndef NBAQ_CORE_RUNNER_H
#define NBAQ_CORE_RUNNER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backfill.h"
#include "job_child.h"
#include "kvlist.h"
#include "nameset.h"
#include "nbaq.h"
#include "records.h"
#include "textbuf.h"

typedef struct raw_metric {
    char *name; /* malloc'd */
    char *unit; /* malloc'd */
    double value;
} raw_metric;

/* What came back from one child. Strings and arrays are malloc'd and owned
 * by the outcome; job_outcome_free() releases them. */
typedef struct job_outcome {
    int status_set;
    nbaq_status status;
    char *message;
    int done;  /* the plugin's function returned             */
    char *bug; /* "plugin bug: ..." or a protocol violation  */
    raw_metric *metrics;
    size_t metric_count;
    size_t metric_cap;
    nameset metric_index;   /* name -> index into metrics               */
    size_t metrics_dropped; /* past RECORD_METRICS_MAX                     */
    kvlist state;           /* state_set records                          */
    backfill_list backfill; /* metric_backfill records                    */
    int timed_out;
    int interrupted;
    int exited; /* exit_code valid                            */
    int exit_code;
    int signaled; /* signal_number valid                        */
    int signal_number;
    int start_failed;   /* fork or pipe failed; message says why      */
    int64_t started_ms; /* wall clock                                 */
    int64_t duration_ms;
} job_outcome;

/* Runs in the child; never returns (ends with _exit). stdout_fd is the
 * host's original stdout; deadline is on clock_mono_ms(). */
typedef void (*job_child_fn)(void *arg, int stdout_fd, int64_t deadline_ms);

typedef struct job {
    const char *label; /* "check 'x'", for messages                     */
    int64_t timeout_ms;
    job_child_fn child_main;
    void *arg;
    /* Optional, in the parent: just before the fork (state loading) and
     * just after it (release what only the child needed).              */
    void (*before_fork)(struct job *job);
    void (*after_fork)(struct job *job);
    /* Optional: a job that a fork server may start (forkserver.h) names
     * its plugin file and writes what its child needs (check_wire.h).
     * Without encode, the host forks the child itself.                  */
    const char *plugin_name;
    const char *plugin_path;
    void (*encode)(struct job *job, textbuf *out);
    /* Optional, in the parent: called once the job has ended (its outcome
     * filled), after the next jobs have started, while others may still
     * run; not for a job that never started. Its time delays noticing
     * the others' end (their duration_ms).                             */
    void (*on_done)(struct job *job);
    job_outcome out;
    /* private to the runner */
    pid_t pid;
    int fd;
    char *cgroup;    /* its cgroup v2 directory (cgjail.h); NULL: none      */
    int server;      /* the fork server that started it; -1: the host   */
    int pid_pending; /* the server's answer (the pid) not read yet       */
    int answered;    /* ... and may be there: something of the job woke  */
                     /* the runner                                       */
    int64_t deadline_ms;
    int64_t mono_start_ms;
    record_reader reader;
} job;

/* Runs every job; fills each job's outcome. Returns 0, or -1 with err when
 * the runner itself could not work (the self-pipe). Jobs that could not
 * start have start_failed set. */
int runner_run(job *jobs, size_t count, unsigned workers, char *err,
               size_t err_size);

/* The status and message of a finished job, from how its child ended:
 * timed out, crashed, exited without a status, returned without one, a
 * plugin bug, or the plugin's own status. message points into the outcome
 * or into buf. */
void job_conclude(const job *j, nbaq_status *status, const char **message,
                  char *buf, size_t size);

void job_outcome_free(job_outcome *out);

/* Non-zero once SIGINT or SIGTERM reached the host during runner_run(). */
int runner_interrupted(void);

#endif
