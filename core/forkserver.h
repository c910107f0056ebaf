/*
 * forkserver.h - check processes forked by small servers instead of the
 * host (issue 17, item 2).
 *
 * A fork copies the memory map of the process that forks: the host grows
 * with its config, and its ~40 shared libraries alone are ~200 mappings,
 * each copied at fork and torn down at exit; every fork also makes the
 * host's next writes copy-on-write faults. So for a run of many checks
 * (forkserver_wanted), the runner starts
 * nbaq-forkserver (forkserver_main.c, installed next to nbaq-host or in
 * <libexec>/nbaq): a small executable that links libc, libdl and the code
 * a check's child runs, and nothing else. The pool has one server per
 * worker (the first clones itself), so that two workers fork at the same
 * time on two cores.
 *
 * A check's child is started with clone(CLONE_PARENT): its parent is the
 * host, not the server. The host waits for it, gets its SIGCHLD, sets and
 * kills its process group and times it out exactly as a child it forked
 * itself (runner.h); the server only makes the copy, ahead of the request
 * (a spare, which reads the request itself and becomes the check's
 * process; then the server makes the next one). The host sends each
 * request with the check's record pipe and its own stdout and stderr
 * (SCM_RIGHTS) and what the child needs to know (check_wire.h); the
 * server opens the run's plugin files once, before its first copy
 * (plugin_open.h), and the child decodes its context and options in its
 * own memory.
 *
 * Every server dies with the host: PR_SET_PDEATHSIG (SIGKILL) and end of
 * file on its socket; its spare ends with it, or at end of file. A server
 * and its spare share a process group, which the host kills and reaps to
 * end them. A server that dies (or whose spare dies), or does not answer
 * within 10 s, is killed and marked dead (a warning); the check it was
 * starting ends as
 * ERROR "could not start: the fork server (pid N) was killed by ...", the
 * later ones are forked by the host itself, as before. Without the
 * executable, in a small run, or with NBAQ_FORKSERVER=0, the host forks
 * every check.
 */
#ifndef NBAQ_CORE_FORKSERVER_H
#define NBAQ_CORE_FORKSERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Whether a run of `checks` checks that servers could start should have
 * them: NBAQ_FORKSERVER=0 never, =1 always; otherwise from
 * FORKSERVER_MIN_CHECKS on. A run of one check (a daemon's round often is)
 * has nothing to spread the servers' start over: a spawn, and its plugin
 * file loaded again, 5-9 ms with object_count's libcurl. Runs of a few
 * checks win or lose a few milliseconds either way, large ones win
 * (docs/performance.md, "Issue 17, item 2"). */
#define FORKSERVER_MIN_CHECKS 2
int forkserver_wanted(size_t checks);

/* A plugin file the run's checks use (each path once). */
typedef struct forkserver_plugin_file {
    const char *name;
    const char *path;
} forkserver_plugin_file;

/* Starts up to `workers` servers (once; later calls add what is
 * missing), which open `files` before they copy themselves. Returns how
 * many there are (0: the host forks). */
size_t forkserver_pool_start(unsigned workers,
                             const forkserver_plugin_file *files, size_t count);

/* Closes every server's socket, kills the servers (with their spares)
 * and reaps them; the checks they started are the caller's and are not
 * touched. */
void forkserver_pool_stop(void);

/* One check to start. The descriptors are only lent: the caller closes
 * them. */
typedef struct forkserver_request {
    const char *plugin_name;
    const char *plugin_path; /* the file the host loaded               */
    const char *cell;        /* cgroup directory (cgjail.h); NULL: none */
    int64_t deadline_ms;     /* clock_mono_ms()                         */
    int record_fd;           /* the write end of the record pipe        */
    const char *payload;     /* check_wire_encode()                     */
    size_t payload_len;
} forkserver_request;

/* Sends a request to server `index` (< forkserver_pool_start()); the
 * answer is read by forkserver_receive(), so that the caller can send to
 * other servers first. Returns 0, or -1 with why in err (when the server
 * is dead: nothing was started). */
int forkserver_send(size_t index, const forkserver_request *req, char *err,
                    size_t err_size);

/* The clock_mono_ms() by which server `index` must have answered the
 * request sent last: forkserver_receive() then counts it as dead without
 * waiting. */
int64_t forkserver_answer_due(size_t index);

/* The pid of the child started by the last request sent to server
 * `index`, or -1 with why in err (the server is then dead, or could not
 * start it). With `wait` 0, 0 when the answer is not there yet; else it
 * waits for it until forkserver_answer_due(). */
pid_t forkserver_receive(size_t index, int wait, char *err, size_t err_size);

#endif
