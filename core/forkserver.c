#include "forkserver.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "fdio.h"
#include "forkserver_proto.h"
#include "log.h"
#include "wire.h"

#ifndef NBAQ_FORKSERVER_FROM_BINDIR
#define NBAQ_FORKSERVER_FROM_BINDIR "../libexec/nbaq/nbaq-forkserver"
#endif

#define SERVERS_MAX 64
#define REPLY_WAIT_MS 10000 /* a live server answers in microseconds */

extern char **environ;

typedef struct server {
    pid_t pid;
    int fd;                /* -1: dead                                   */
    int64_t answer_due_ms; /* clock_mono_ms() by which it must answer */
} server;

static server servers[SERVERS_MAX];
static size_t server_count;
static pid_t owner; /* the process whose children the servers make */

static void add_server(pid_t pid, int fd)
{
    /* A stopped server must not hold the host either way: a request
     * larger than the socket's buffer waits for the server to read. */
    struct timeval wait = {.tv_sec = REPLY_WAIT_MS / 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &wait, sizeof wait);
    servers[server_count++] = (server){.pid = pid, .fd = fd};
    log_msg(NBAQ_LOG_DEBUG, NULL, "fork server %zu started (pid %d)",
            server_count - 1, (int)pid);
}

/* nbaq-forkserver next to this executable (the build tree), else where
 * it is installed relative to it. */
static int server_path(char *path, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    snprintf(path, size, "%s/nbaq-forkserver", exe);
    if (access(path, X_OK) == 0)
        return 0;
    snprintf(path, size, "%s/%s", exe, NBAQ_FORKSERVER_FROM_BINDIR);
    return access(path, X_OK);
}

static pid_t spawn_first(const char *path, int sock)
{
    /* A process group of its own, which its spares share: killing the
     * group ends a server and its spare at once (reap_group). */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, sock, 3);
    char fd_arg[] = "3", pid_arg[32], level_arg[16];
    snprintf(pid_arg, sizeof pid_arg, "%ld", (long)getpid());
    snprintf(level_arg, sizeof level_arg, "%d", (int)log_get_level());
    char *argv[] = {(char *)path, fd_arg, pid_arg, level_arg, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, &actions, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

int forkserver_wanted(size_t checks)
{
    const char *setting = getenv("NBAQ_FORKSERVER");
    if (setting && strcmp(setting, "0") == 0)
        return 0;
    if (setting && strcmp(setting, "1") == 0)
        return checks > 0;
    return checks >= FORKSERVER_MIN_CHECKS;
}

static void describe_end(pid_t pid, char *err, size_t err_size);
static void mark_dead(size_t index, char *err, size_t err_size);

/* The LOAD message: the plugin files. */
static int send_plugins(int fd, const forkserver_plugin_file *files,
                        size_t count)
{
    textbuf body = TEXTBUF_INIT;
    for (size_t i = 0; i < count; i++) {
        wire_put_str(&body, files[i].name);
        wire_put_str(&body, files[i].path);
    }
    struct iovec part = {body.data, body.len};
    int rc =
        body.failed || body.len > FORKSERVER_REQUEST_MAX
            ? -1
            : forkserver_send_message(fd, FORKSERVER_LOAD, &part, 1, NULL, 0);
    textbuf_free(&body);
    return rc;
}

/* Kills server index and every spare of its group, and reaps them; the
 * server's end is told in err. */
static void end_server(size_t index, char *err, size_t err_size)
{
    pid_t pid = servers[index].pid;
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL); /* it may be alive but stuck or confused */
    describe_end(pid, err, err_size);
    while (waitpid(-pid, NULL, 0) > 0 || errno == EINTR)
        ;
}

static void start_first(const forkserver_plugin_file *files, size_t count)
{
    char path[PATH_MAX + 64];
    if (server_path(path, sizeof path) != 0) {
        log_msg(NBAQ_LOG_DEBUG, NULL,
                "no fork server: nbaq-forkserver not found");
        return;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        log_msg(NBAQ_LOG_DEBUG, NULL, "no fork server: %s", strerror(errno));
        return;
    }
    pid_t pid = spawn_first(path, sv[1]);
    close(sv[1]);
    if (pid < 0) {
        log_msg(NBAQ_LOG_DEBUG, NULL, "no fork server: %s: %s", path,
                strerror(errno));
        close(sv[0]);
        return;
    }
    owner = getpid();
    add_server(pid, sv[0]);
    if (send_plugins(sv[0], files, count) != 0) {
        char err[256];
        mark_dead(0, err, sizeof err);
    }
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
    end_server(index, err, err_size);
    log_msg(NBAQ_LOG_WARN, NULL,
            "%s; its checks are forked by the host from now on", err);
}

static void expect_answer(size_t index)
{
    servers[index].answer_due_ms = clock_mono_ms() + REPLY_WAIT_MS;
}

/* The answer of server index: 0, or -1 when the server is dead (one that
 * does not answer within REPLY_WAIT_MS of the request counts as dead;
 * then SO_RCVTIMEO, set by add_server, for the rest of a reply), or 1
 * when it has not answered yet and `wait` is 0. */
static int receive_reply(size_t index, forkserver_reply *reply, int wait)
{
    struct pollfd p = {.fd = servers[index].fd, .events = POLLIN};
    int64_t left = wait ? servers[index].answer_due_ms - clock_mono_ms() : 0;
    int ready;
    while ((ready = poll(&p, 1, left > 0 ? (int)left : 0)) < 0 &&
           errno == EINTR)
        left = wait ? servers[index].answer_due_ms - clock_mono_ms() : 0;
    if (ready == 0)
        return wait ? -1 : 1;
    return fdio_read_all(servers[index].fd, reply, sizeof *reply);
}

static int live_server(void)
{
    for (size_t i = 0; i < server_count; i++) {
        if (servers[i].fd >= 0)
            return (int)i;
    }
    return -1;
}

/* One more server: a live one clones itself. */
static int clone_server(void)
{
    int from = live_server();
    int sv[2];
    if (from < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return -1;
    forkserver_reply reply;
    int sent = forkserver_send_message(servers[from].fd, FORKSERVER_CLONE, NULL,
                                       0, &sv[1], 1);
    close(sv[1]);
    expect_answer((size_t)from);
    if (sent != 0 || receive_reply((size_t)from, &reply, 1) != 0) {
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

size_t forkserver_pool_start(unsigned workers,
                             const forkserver_plugin_file *files, size_t count)
{
    if (server_count > 0 && owner != getpid())
        server_count = 0; /* a forked copy of a host's pool: not ours */
    if (server_count == 0)
        start_first(files, count);
    while (server_count > 0 && server_count < workers &&
           server_count < SERVERS_MAX)
        if (clone_server() != 0)
            break;
    return server_count;
}

int forkserver_send(size_t index, const forkserver_request *req, char *err,
                    size_t err_size)
{
    server *s = &servers[index];
    if (index >= server_count || s->fd < 0) {
        snprintf(err, err_size, "no fork server");
        return -1;
    }
    textbuf head = TEXTBUF_INIT;
    wire_put_str(&head, req->plugin_name);
    wire_put_str(&head, req->plugin_path);
    wire_put_str(&head, req->cell);
    wire_put_u64(&head, (uint64_t)req->deadline_ms);
    if (head.failed || head.len + req->payload_len > FORKSERVER_REQUEST_MAX) {
        textbuf_free(&head);
        snprintf(err, err_size, "request too large for the fork server");
        return -1;
    }
    struct iovec body[2] = {{head.data, head.len},
                            {(void *)req->payload, req->payload_len}};
    int fds[3] = {req->record_fd, STDOUT_FILENO, STDERR_FILENO};
    int rc = forkserver_send_message(s->fd, FORKSERVER_SPAWN, body, 2, fds, 3);
    textbuf_free(&head);
    if (rc != 0)
        mark_dead(index, err, err_size);
    else
        expect_answer(index);
    return rc;
}

int64_t forkserver_answer_due(size_t index)
{
    return servers[index].answer_due_ms;
}

pid_t forkserver_receive(size_t index, int wait, char *err, size_t err_size)
{
    forkserver_reply reply;
    int rc = receive_reply(index, &reply, wait);
    if (rc == 1)
        return 0;
    if (rc != 0) {
        mark_dead(index, err, err_size);
        return -1;
    }
    if (reply.pid > 0)
        return reply.pid;
    if (reply.error == ENOEXEC)
        snprintf(err, err_size,
                 "the fork server could not load the plugin "
                 "file again");
    else
        snprintf(err, err_size, "the fork server could not start it: %s",
                 strerror(reply.error));
    return -1;
}

void forkserver_pool_stop(void)
{
    if (owner != getpid()) {
        server_count = 0;
        return;
    }
    for (size_t i = 0; i < server_count; i++) {
        if (servers[i].fd < 0)
            continue;
        close(servers[i].fd);
        servers[i].fd = -1;
        /* Idle, it would exit at end of file; killed, it cannot keep the
         * host waiting (stopped, say). */
        char err[256];
        end_server(i, err, sizeof err);
    }
    server_count = 0;
}
