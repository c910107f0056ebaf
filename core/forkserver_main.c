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
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "check_wire.h"
#include "fdio.h"
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

static void close_fds(int fds[FORKSERVER_FDS_MAX])
{
    for (int i = 0; i < FORKSERVER_FDS_MAX; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

typedef struct opened {
    char *path;
    plugin *p;
} opened;

static opened *plugins;
static size_t plugin_count;

/* The checker in path, if the server could open it (load_plugins). */
static const plugin *plugin_for(const char *path)
{
    for (size_t i = 0; i < plugin_count; i++) {
        if (strcmp(plugins[i].path, path) == 0)
            return plugins[i].p;
    }
    return NULL;
}

static void load_plugin(const char *name, const char *path)
{
    if (plugin_for(path))
        return;
    opened *grown = realloc(plugins, (plugin_count + 1) * sizeof *grown);
    if (!grown)
        return;
    plugins = grown;
    char err[1024];
    plugin *p = plugin_open(name, path, err, sizeof err);
    char *copy = strdup(path);
    if (!p || !copy || p->kind != NBAQ_KIND_CHECKER) {
        plugin_close(p);
        free(copy);
        return;
    }
    plugins[plugin_count++] = (opened){.path = copy, .p = p};
}

/* The run's plugin files, opened once, before the first spare is made:
 * every spare and every server cloned later has them already. */
static void load_plugins(int sock)
{
    forkserver_header h;
    int fds[FORKSERVER_FDS_MAX];
    if (forkserver_receive_header(sock, &h, fds) != 0)
        _exit(0);
    close_fds(fds);
    char *body =
        h.len <= FORKSERVER_REQUEST_MAX ? malloc(h.len ? h.len : 1) : NULL;
    if (h.type != FORKSERVER_LOAD || !body ||
        fdio_read_all(sock, body, h.len) != 0)
        _exit(1);
    wire_reader r = {.pos = body, .left = h.len};
    while (r.left > 0 && !r.bad) {
        const char *name = wire_get_str(&r);
        const char *path = wire_get_str(&r);
        if (!r.bad && name && path)
            load_plugin(name, path);
    }
    free(body);
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

static pid_t server_pid;
static long requests_taken; /* by this server's spares, for test_die_at */

#ifdef NBAQ_TEST_HOOKS
/* Test builds only: NBAQ_TEST_FORKSERVER_DIE_AT=<n> kills each server
 * (SIGKILL) when its n-th check request has arrived, before it starts
 * the check; the spare that read it goes with it. */
static void test_die_at(void)
{
    const char *at = getenv("NBAQ_TEST_FORKSERVER_DIE_AT");
    if (at && requests_taken + 1 == atol(at)) {
        kill(server_pid, SIGKILL);
        raise(SIGKILL);
    }
}
#else
static void test_die_at(void)
{
}
#endif

static void serve(int sock);

/* Tells the host and the server that this spare is taken (why: 'S' for a
 * check, 'C' for a new server): the host gets its pid, the server makes
 * the next spare. */
static int taken(int sock, int to_server, char why)
{
    forkserver_reply reply = {.pid = (int32_t)getpid()};
    int rc = fdio_send_all(sock, &reply, sizeof reply);
    ssize_t ignored = write(to_server, &why, 1);
    (void)ignored;
    close(to_server);
    return rc;
}

/* A request for this spare: returns only when the spare stays a spare
 * (the request was refused). */
static void take_request(int sock, int to_server, forkserver_header *h,
                         int fds[FORKSERVER_FDS_MAX], char *body)
{
    wire_reader r = {.pos = body, .left = h->len};
    forkserver_reply refused = {.error = EPROTO};
    if (h->type == FORKSERVER_SPAWN) {
        test_die_at();
        const char *name = wire_get_str(&r);
        const char *path = wire_get_str(&r);
        const char *cell = wire_get_str(&r);
        int64_t deadline_ms = (int64_t)wire_get_u64(&r);
        const plugin *p = r.bad || !name || !path ? NULL : plugin_for(path);
        if (p && fds[2] >= 0) {
            if (taken(sock, to_server, 'S') != 0)
                _exit(0);
            check_child(sock, fds, &r, p, cell, deadline_ms);
        }
        refused.error =
            r.bad || !name || !path || fds[2] < 0 ? EPROTO : ENOEXEC;
    } else if (h->type == FORKSERVER_CLONE && fds[0] >= 0) {
        /* A group of its own: the host kills a server with its spare. */
        setpgid(0, 0);
        if (taken(sock, to_server, 'C') != 0)
            _exit(0);
        close(sock);
        serve(fds[0]);
    }
    if (fdio_send_all(sock, &refused, sizeof refused) != 0)
        _exit(0);
}

/* A copy of the server made ahead of its request, so that the copy is
 * made while the host and the previous check do something else. It reads
 * the next request itself and becomes that check's process (or a new
 * server). It ends when the host closes its end, or when the server dies
 * (the pipe to it breaks: POLLERR). */
static void spare(int sock, int to_server)
{
    for (;;) {
        struct pollfd p[2] = {{.fd = sock, .events = POLLIN},
                              {.fd = to_server, .events = 0}};
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            _exit(1);
        }
        if (p[1].revents)
            _exit(0);
        forkserver_header h;
        int fds[FORKSERVER_FDS_MAX];
        if (forkserver_receive_header(sock, &h, fds) != 0)
            _exit(0); /* the host closed its end, or died */
        char *body =
            h.len <= FORKSERVER_REQUEST_MAX ? malloc(h.len ? h.len : 1) : NULL;
        if (!body || fdio_read_all(sock, body, h.len) != 0)
            _exit(1);
        take_request(sock, to_server, &h, fds, body);
        free(body);
        close_fds(fds);
    }
}

/* Keeps one spare waiting for the host's next request; makes the next
 * one as soon as it is taken. A spare that ends without being taken
 * means the host is done, or the spare was killed: the server ends too,
 * and the host, which reads end of file on the socket, reaps the group. */
static void serve(int sock)
{
    die_with_host();
    server_pid = getpid();
    for (;;) {
        int pipe_fds[2];
        if (pipe2(pipe_fds, O_CLOEXEC) != 0)
            _exit(1);
        pid_t pid = clone_sibling();
        if (pid == 0) {
            close(pipe_fds[0]);
            spare(sock, pipe_fds[1]);
        }
        close(pipe_fds[1]);
        char byte;
        ssize_t n;
        while ((n = read(pipe_fds[0], &byte, 1)) < 0 && errno == EINTR)
            ;
        close(pipe_fds[0]);
        if (pid < 0 || n != 1)
            _exit(pid < 0 ? 1 : 0);
        requests_taken += byte == 'S';
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
    /* A spare whose server died finds out on its own (spare()). */
    signal(SIGPIPE, SIG_IGN);
    load_plugins(sock);
    serve(sock);
}
