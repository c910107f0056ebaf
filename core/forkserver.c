#include "forkserver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check_wire.h"
#include "log.h"
#include "records.h"
#include "registry.h"
#include "runner.h"
#include "text.h"
#include "wire.h"

#define SERVERS_MAX 64
#define REQUEST_MAX (256u * 1024 * 1024) /* bytes: a bound, not a budget */
#define REPLY_WAIT_MS 10000 /* a live server answers in microseconds */

enum { MSG_SPAWN = 1, MSG_SERVER = 2 };

typedef struct msg_header {
    uint32_t type;
    uint32_t len; /* body bytes after the header */
} msg_header;

typedef struct msg_reply {
    int32_t pid;   /* > 0: the child's (or the new server's)            */
    int32_t error; /* errno when pid <= 0                               */
} msg_reply;

/* ------------------------------------------------------------------ */
/* Both ends: framing                                                   */

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_all(int fd, void *data, size_t len)
{
    char *p = data;
    while (len > 0) {
        ssize_t n = read(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_with_fds(int fd, const msg_header *h, const int *fds,
                         size_t nfds)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(3 * sizeof(int))];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = {.iov_base = (void *)h, .iov_len = sizeof *h};
    struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nfds > 0) {
        msg.msg_control = control.buf;
        msg.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
    }
    ssize_t n;
    while ((n = sendmsg(fd, &msg, MSG_NOSIGNAL)) < 0 && errno == EINTR)
        ;
    if (n < 0)
        return -1;
    return write_all(fd, (const char *)h + n, sizeof *h - (size_t)n);
}

/* Reads a header and the descriptors sent with it (up to 3; the others
 * are -1). Returns -1 at end of file or on error. */
static int receive_with_fds(int fd, msg_header *h, int fds[3])
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(3 * sizeof(int))];
    } control;
    struct iovec iov = {.iov_base = h, .iov_len = sizeof *h};
    struct msghdr msg = {.msg_iov = &iov,
                         .msg_iovlen = 1,
                         .msg_control = control.buf,
                         .msg_controllen = sizeof control.buf};
    fds[0] = fds[1] = fds[2] = -1;
    ssize_t n;
    while ((n = recvmsg(fd, &msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR)
        ;
    if (n <= 0)
        return -1;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        memcpy(fds, CMSG_DATA(c), (count > 3 ? 3 : count) * sizeof(int));
    }
    return read_all(fd, (char *)h + n, sizeof *h - (size_t)n);
}

static void close_fds(int fds[3])
{
    for (int i = 0; i < 3; i++) {
        if (fds[i] >= 0)
            close(fds[i]);
        fds[i] = -1;
    }
}

/* ------------------------------------------------------------------ */
/* Server                                                               */

static pid_t host_pid; /* the process that started the pool */

/* A copy of the calling process whose parent is the caller's parent (the
 * host), so that the host waits for it as for its own child. A raw
 * clone: glibc's clone() needs a new stack, and fork() has no flags. The
 * server is single-threaded and holds no lock, and glibc's raise() and
 * abort() ask the kernel for the thread id, so the copy needs nothing of
 * what fork() would reset. */
static pid_t clone_sibling(void)
{
    return (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, NULL, NULL, NULL,
                          NULL);
}

/* First thing in a server: die with the host. */
static void die_with_host(void)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != host_pid)
        _exit(0);
}

typedef struct loaded_plugin {
    char *path;
    plugin *p;
} loaded_plugin;

static loaded_plugin *loaded;
static size_t loaded_count;

/* The plugin file, loaded once per server. */
static const plugin *plugin_for(const char *name, const char *path)
{
    for (size_t i = 0; i < loaded_count; i++) {
        if (strcmp(loaded[i].path, path) == 0)
            return loaded[i].p;
    }
    loaded_plugin *grown = realloc(loaded, (loaded_count + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    loaded = grown;
    char err[1024];
    plugin *p = registry_load_again(name, path, err, sizeof err);
    char *copy = strdup(path);
    if (!p || !copy || p->kind != NBAQ_KIND_CHECKER || !p->check) {
        free(copy);
        return NULL; /* the plugin stays loaded: a server never unloads */
    }
    loaded[loaded_count++] = (loaded_plugin){.path = copy, .p = p};
    return p;
}

static void check_child(int sock, int fds[3], wire_reader *r, const plugin *p,
                        const char *cell, int64_t deadline_ms)
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
 * (SIGKILL) when its n-th check request arrives, before it starts it. */
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

static msg_reply spawn(int sock, int fds[3], char *body, uint32_t len)
{
    wire_reader r = {.pos = body, .left = len};
    const char *name = wire_get_str(&r);
    const char *path = wire_get_str(&r);
    const char *cell = wire_get_str(&r);
    int64_t deadline_ms = (int64_t)wire_get_u64(&r);
    if (r.bad || !name || !path || fds[2] < 0)
        return (msg_reply){.error = EPROTO};
    const plugin *p = plugin_for(name, path);
    if (!p)
        return (msg_reply){.error = ENOEXEC};
    pid_t pid = clone_sibling();
    if (pid == 0)
        check_child(sock, fds, &r, p, cell, deadline_ms);
    return pid < 0 ? (msg_reply){.error = errno} : (msg_reply){.pid = pid};
}

static void serve(int sock);

static msg_reply spawn_server(int sock, int fds[3])
{
    if (fds[0] < 0)
        return (msg_reply){.error = EPROTO};
    pid_t pid = clone_sibling();
    if (pid == 0) {
        close(sock);
        int own = fds[0];
        fds[0] = -1;
        serve(own);
    }
    return pid < 0 ? (msg_reply){.error = errno} : (msg_reply){.pid = pid};
}

static void serve(int sock)
{
    die_with_host();
    for (;;) {
        msg_header h;
        int fds[3];
        if (receive_with_fds(sock, &h, fds) != 0)
            _exit(0); /* the host closed its end, or died */
        char *body = h.len <= REQUEST_MAX ? malloc(h.len ? h.len : 1) : NULL;
        if (!body || read_all(sock, body, h.len) != 0)
            _exit(1);
        msg_reply reply = {.error = EPROTO};
        if (h.type == MSG_SPAWN) {
            test_die_at();
            reply = spawn(sock, fds, body, h.len);
        } else if (h.type == MSG_SERVER) {
            reply = spawn_server(sock, fds);
        }
        free(body);
        close_fds(fds);
        if (write_all(sock, &reply, sizeof reply) != 0)
            _exit(0);
    }
}

/* The first server: forked by the host; holds neither its stdin nor its
 * stdout (each child gets the host's with its request). */
static void first_server(int sock)
{
    int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        dup2(null_fd, STDOUT_FILENO);
        close(null_fd);
    }
    /* ^C goes to the foreground process group; the host handles it. */
    signal(SIGINT, SIG_IGN);
    serve(sock);
}

/* ------------------------------------------------------------------ */
/* Host: the pool                                                       */

typedef struct server {
    pid_t pid;
    int fd; /* -1: dead */
} server;

static server servers[SERVERS_MAX];
static size_t server_count;

static void add_server(pid_t pid, int fd)
{
    servers[server_count++] = (server){.pid = pid, .fd = fd};
    log_msg(NBAQ_LOG_DEBUG, NULL, "fork server %zu started (pid %d)",
            server_count - 1, (int)pid);
}

void forkserver_pool_start(void)
{
    const char *setting = getenv("NBAQ_FORKSERVER");
    if ((setting && strcmp(setting, "0") == 0) || server_count > 0)
        return;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        log_msg(NBAQ_LOG_DEBUG, NULL, "no fork server: %s", strerror(errno));
        return;
    }
    host_pid = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        first_server(sv[1]);
    }
    close(sv[1]);
    if (pid < 0) {
        log_msg(NBAQ_LOG_DEBUG, NULL, "no fork server: %s", strerror(errno));
        close(sv[0]);
        return;
    }
    add_server(pid, sv[0]);
}

static void describe_end(pid_t pid, char *err, size_t err_size)
{
    int status = 0;
    pid_t r;
    while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
        ;
    if (r != pid)
        snprintf(err, err_size, "the fork server (pid %d) ended", (int)pid);
    else if (WIFSIGNALED(status))
        snprintf(err, err_size,
                 "the fork server (pid %d) was killed by signal %d (%s)",
                 (int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
    else
        snprintf(err, err_size, "the fork server (pid %d) exited with code %d",
                 (int)pid, WEXITSTATUS(status));
}

/* Ends server index for good; err says why. */
static void mark_dead(size_t index, char *err, size_t err_size)
{
    server *s = &servers[index];
    close(s->fd);
    s->fd = -1;
    kill(s->pid, SIGKILL); /* it may be alive but confused */
    describe_end(s->pid, err, err_size);
    log_msg(NBAQ_LOG_WARN, NULL,
            "%s; its checks are forked by the host from now on", err);
}

static int usable(void)
{
    return server_count > 0 && getpid() == host_pid;
}

/* Waits for the answer of server index; a server that does not answer
 * within REPLY_WAIT_MS is treated as dead. */
static int receive_reply(size_t index, msg_reply *reply)
{
    struct pollfd pfd = {.fd = servers[index].fd, .events = POLLIN};
    int rc;
    while ((rc = poll(&pfd, 1, REPLY_WAIT_MS)) < 0 && errno == EINTR)
        ;
    if (rc <= 0)
        return -1;
    return read_all(servers[index].fd, reply, sizeof *reply);
}

static int live_server(void)
{
    for (size_t i = 0; i < server_count; i++) {
        if (servers[i].fd >= 0)
            return (int)i;
    }
    return -1;
}

static int clone_server(void)
{
    int from = live_server();
    int sv[2];
    if (from < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    msg_header h = {.type = MSG_SERVER, .len = 0};
    msg_reply reply;
    int sent = send_with_fds(servers[from].fd, &h, &sv[1], 1);
    close(sv[1]);
    if (sent != 0 || receive_reply((size_t)from, &reply) != 0) {
        char err[256];
        close(sv[0]);
        mark_dead((size_t)from, err, sizeof err);
        return -1;
    }
    if (reply.pid <= 0) {
        close(sv[0]);
        return -1;
    }
    add_server(reply.pid, sv[0]);
    return 0;
}

size_t forkserver_pool_ensure(unsigned workers)
{
    if (!usable())
        return 0;
    while (server_count < workers && server_count < SERVERS_MAX)
        if (clone_server() != 0)
            break;
    return server_count;
}

int forkserver_send(size_t index, const forkserver_request *req, char *err,
                    size_t err_size)
{
    server *s = &servers[index];
    if (!usable() || index >= server_count || s->fd < 0) {
        snprintf(err, err_size, "no fork server");
        return -1;
    }
    strbuf head = STRBUF_INIT;
    wire_put_str(&head, req->plugin_name);
    wire_put_str(&head, req->plugin_path);
    wire_put_str(&head, req->cell);
    wire_put_u64(&head, (uint64_t)req->deadline_ms);
    if (head.failed || head.len + req->payload_len > REQUEST_MAX) {
        strbuf_free(&head);
        snprintf(err, err_size, "request too large for the fork server");
        return -1;
    }
    msg_header h = {.type = MSG_SPAWN,
                    .len = (uint32_t)(head.len + req->payload_len)};
    int fds[3] = {req->record_fd, STDOUT_FILENO, STDERR_FILENO};
    int rc = send_with_fds(s->fd, &h, fds, 3) != 0 ||
                     write_all(s->fd, head.data, head.len) != 0 ||
                     write_all(s->fd, req->payload, req->payload_len) != 0
                 ? -1
                 : 0;
    strbuf_free(&head);
    if (rc != 0)
        mark_dead(index, err, err_size);
    return rc;
}

pid_t forkserver_receive(size_t index, char *err, size_t err_size)
{
    msg_reply reply;
    if (receive_reply(index, &reply) != 0) {
        mark_dead(index, err, err_size);
        return -1;
    }
    if (reply.pid > 0)
        return reply.pid;
    snprintf(err, err_size, "the fork server could not start it: %s",
             strerror(reply.error));
    return -1;
}

void forkserver_pool_stop(void)
{
    if (!usable())
        return;
    for (size_t i = 0; i < server_count; i++) {
        if (servers[i].fd < 0)
            continue;
        close(servers[i].fd);
        servers[i].fd = -1;
        while (waitpid(servers[i].pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    server_count = 0;
}
