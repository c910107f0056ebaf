/*
 * forkserver.h - check processes forked by small servers instead of the
 * host (issue 17, item 2).
 *
 * A fork copies the page tables of the process that forks, and the host
 * grows with its config: with 5,000 checks, a fork of the host costs
 * several times a fork of a small process, and every fork also makes the
 * host's next writes copy-on-write faults. So the host starts a fork
 * server before it reads the config (forkserver_pool_start(), from main):
 * a copy of the host while it is still small. For a run, the pool gets
 * one server per worker (the first server clones the others), so that the
 * forks of two workers happen at the same time on two cores.
 *
 * A check's child is started with clone(CLONE_PARENT): its parent is the
 * host, not the server. The host waits for it, gets its SIGCHLD, sets and
 * kills its process group, and times it out exactly as a child it forked
 * itself (runner.h); the server only makes the copy. The host sends each
 * request with the check's record pipe and its stdout and stderr
 * (SCM_RIGHTS) and what the child needs to know (check_wire.h); the
 * server loads the plugin file again (once) and the child decodes its
 * context and options in its own memory.
 *
 * Every server dies with the host: PR_SET_PDEATHSIG (SIGKILL), and end
 * of file on its socket. A server that dies or answers nonsense is marked
 * dead; the check it was starting ends as ERROR, the others are forked by
 * the host itself, as before (logged as a warning). The daemon's rounds
 * fork from the daemon, not from the process that started the pool, and
 * always fork themselves.
 */
#ifndef NBAQ_CORE_FORKSERVER_H
#define NBAQ_CORE_FORKSERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Starts the pool's first server. Does nothing when NBAQ_FORKSERVER=0;
 * a failure is logged at debug level and leaves the host forking. */
void forkserver_pool_start(void);

/* Closes every server's socket and waits for them (they exit at end of
 * file). */
void forkserver_pool_stop(void);

/* Makes sure that up to `workers` servers run; returns how many are
 * usable by this process (0: fork in the host). */
size_t forkserver_pool_ensure(unsigned workers);

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

/* Sends a request to server `index` (< forkserver_pool_ensure()); the
 * answer is read by forkserver_receive(), so that the caller can send to
 * another server first. Returns 0, or -1 with why in err (the server is
 * then dead). */
int forkserver_send(size_t index, const forkserver_request *req, char *err,
                    size_t err_size);

/* The pid of the child started by the last request sent to server
 * `index`, or -1 with why in err (the server is then dead and reaped). */
pid_t forkserver_receive(size_t index, char *err, size_t err_size);

#endif
