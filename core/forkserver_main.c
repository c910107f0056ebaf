/*
 * nbaq-forkserver - the fork server (forkserver.h): a small executable
 * that the host starts once per run, which loads the plugin files it is
 * asked for and copies itself for each check. It links only libc, libdl
 * and the code a check's child runs (job_child, check_wire, hostapi,
 * records, the options accessors), so that a copy of it costs a fraction
 * of a copy of the host, whose libraries alone are ~200 mappings.
 *
 * usage (by the host only): nbaq-forkserver <socket fd> <host pid>
 *                           <log level>
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check_wire.h"
#include "forkserver_proto.h"
#include "job_child.h"
#include "log.h"
#include "plugin_open.h"
#include "records.h"
#include "wire.h"

static pid_t host_pid;

/* A copy of this process whose parent is the host (CLONE_PARENT), so
 * that the host waits for it, gets its SIGCHLD and kills its group as for
 * a child it forked itself. A raw clone: glibc's clone() needs a stack of
 * its own and fork() takes no flags. The server is single-threaded and
 * holds no lock when it clones, and glibc's raise() and abort() ask the
 * kernel for the thread id, so the copy needs nothing of what fork()
 * resets (tests: test_host_isolation.py, abort and threads). */
static pid_t clone_sibling(void)
{
    return (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL,
                          NULL);
}

/* First thing in every server: die with the host, even by SIGKILL. */
static void die_with_host(void)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != host_pid)
        _exit(0);
}

typedef struct opened {
    char *path;
    plugin *p;
} opened;

static opened *plugins;
static size_t plugin_count;

/* The checker in path, opened once per server and never closed. */
static const plugin *plugin_for(const char *name, const char *path)
{
    for (size_t i = 0; i < plugin_count; i++) {
        if (strcmp(plugins[i].path, path) == 0)
            return plugins[i].p;
    }
    opened *grown = realloc(plugins, (plugin_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    plugins = grown;
    char err[1024];
    plugin *p = plugin_open(name, path, err, sizeof err);
    char *copy = strdup(path);
    if (!p || !copy || p->kind != NBAQ_KIND_CHECKER) {
        plugin_close(p);
        free(copy);
        return NULL;
    }
    plugins[plugin_count++] = (opened){.path = copy, .p = p};
    return p;
}

static void check_child(int sock, int fds[FORKSERVER_FDS_MAX], wire_reader *r,
                        const plugin *p, const char *cell, int64_t deadline_ms)
{
    close(sock);
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[2], STDERR_FILENO);
    close(fds[1]);
    close(fds[2]);
    int stdout_fd = runner_child_prepare(cell);
    record_writer_init(fds[0]);
    check_wire_run(r, p, stdout_fd, deadline_ms);
}

#ifdef NBAQ_TEST_HOOKS
/* Test builds only: NBAQ_TEST_FORKSERVER_DIE_AT=<n> kills each server
 * (SIGKILL) when its n-th check request has arrived, before it starts
 * the check. */
static void test_die_at(void)
{
    static long requests;
    const char *at = getenv("NBAQ_TEST_FORKSERVER_DIE_AT");
    if (at && ++requests == atol(at))
        raise(SIGKILL);
}
#else
static void test_die_at(void)
{
}
#endif

static forkserver_reply spawn(int sock, int fds[FORKSERVER_FDS_MAX], char *body,
                              uint32_t len)
{
    wire_reader r = {.pos = body, .left = len};
    const char *name = wire_get_str(&r);
    const char *path = wire_get_str(&r);
    const char *cell = wire_get_str(&r);
    int64_t deadline_ms = (int64_t)wire_get_u64(&r);
    if (r.bad || !name || !path || fds[2] < 0)
        return (forkserver_reply){.error = EPROTO};
    const plugin *p = plugin_for(name, path);
    if (!p)
        return (forkserver_reply){.error = ENOEXEC};
    /* The child moves itself into its cgroup cell (job_child.h). Not born
     * there with clone3's CLONE_INTO_CGROUP: clone3 takes no exit signal
     * with CLONE_PARENT, and Linux 6.18 then kills at birth a child born
     * into a cell that a cgroup.kill has cleared (seen here; the cells are
     * reused). */
    pid_t pid = clone_sibling();
    if (pid == 0)
        check_child(sock, fds, &r, p, cell, deadline_ms);
    return pid < 0 ? (forkserver_reply){.error = errno}
                   : (forkserver_reply){.pid = pid};
}

static void serve(int sock);

static forkserver_reply clone_server(int sock, int fds[FORKSERVER_FDS_MAX])
{
    if (fds[0] < 0)
        return (forkserver_reply){.error = EPROTO};
    pid_t pid = clone_sibling();
    if (pid == 0) {
        close(sock);
        serve(fds[0]);
    }
    return pid < 0 ? (forkserver_reply){.error = errno}
                   : (forkserver_reply){.pid = pid};
}

static void close_fds(int fds[FORKSERVER_FDS_MAX])
{
    for (int i = 0; i < FORKSERVER_FDS_MAX; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

static void serve(int sock)
{
    die_with_host();
    for (;;) {
        forkserver_header h;
        int fds[FORKSERVER_FDS_MAX];
        if (forkserver_receive_header(sock, &h, fds) != 0)
            _exit(0); /* the host closed its end, or died */
        char *body =
            h.len <= FORKSERVER_REQUEST_MAX ? malloc(h.len ? h.len : 1) : NULL;
        if (!body || forkserver_read_all(sock, body, h.len) != 0)
            _exit(1);
        forkserver_reply reply = {.error = EPROTO};
        if (h.type == FORKSERVER_SPAWN) {
            test_die_at();
            reply = spawn(sock, fds, body, h.len);
        } else if (h.type == FORKSERVER_CLONE) {
            reply = clone_server(sock, fds);
        }
        free(body);
        close_fds(fds);
        if (forkserver_write_all(sock, &reply, sizeof reply) != 0)
            _exit(0);
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "nbaq-forkserver: started by nbaq-host only\n");
        return 64;
    }
    int sock = atoi(argv[1]);
    /* Nothing of the host's but stdio and the socket (fd 3, forkserver.c):
     * its other descriptors would live on in every check. */
    if (sock == 3)
        close_range(4, ~0U, 0);
    host_pid = (pid_t)atol(argv[2]);
    log_set_level((nbaq_log_level)atoi(argv[3]));
    /* ^C goes to the foreground process group; the host handles it. */
    signal(SIGINT, SIG_IGN);
    serve(sock);
}
