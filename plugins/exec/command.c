/* command.c - see command.h. */
#include "command.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SEARCH_PATH "/usr/local/bin:/usr/bin:/bin"

enum {
    READ_CHUNK = 16384,
    READS_PER_WAKEUP = 16, /* then back to poll(), to watch the deadline */
    NO_PIDFD_TICK_MS = 50  /* wait step when the kernel has no pidfd     */
};

/* 1 executable regular file, 0 missing, -1 present but not runnable
 * (errno_out says why). */
static int probe_executable(const char *path, int *errno_out)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *errno_out = errno;
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    }
    if (S_ISDIR(st.st_mode)) {
        *errno_out = EISDIR;
        return -1;
    }
    if (access(path, X_OK) != 0) {
        *errno_out = errno;
        return -1;
    }
    return 1;
}

static int resolve_with_slash(const char *name, const char *base_dir,
                              char *resolved, size_t resolved_size, char *err,
                              size_t err_size)
{
    int n = name[0] != '/' && base_dir != NULL && base_dir[0] != '\0'
                ? snprintf(resolved, resolved_size, "%s/%s", base_dir, name)
                : snprintf(resolved, resolved_size, "%s", name);
    if (n < 0 || (size_t)n >= resolved_size) {
        snprintf(err, err_size, "command path too long: %s", name);
        return -1;
    }
    int why = 0;
    int found = probe_executable(resolved, &why);
    if (found == 0) {
        snprintf(err, err_size, "command not found: %s", resolved);
        return -1;
    }
    if (found < 0) {
        snprintf(err, err_size, "command not executable: %s (%s)", resolved,
                 strerror(why));
        return -1;
    }
    return 0;
}

int command_resolve(const char *name, const char *base_dir,
                    const char *search_path, char *resolved,
                    size_t resolved_size, char *err, size_t err_size)
{
    if (name == NULL || name[0] == '\0') {
        snprintf(err, err_size, "command is empty");
        return -1;
    }
    if (strchr(name, '/') != NULL) {
        return resolve_with_slash(name, base_dir, resolved, resolved_size, err,
                                  err_size);
    }
    const char *dir = search_path ? search_path : DEFAULT_SEARCH_PATH;
    int not_runnable_errno = 0;
    char first_not_runnable[4096] = "";
    for (;;) {
        const char *colon = strchr(dir, ':');
        size_t dir_len = colon ? (size_t)(colon - dir) : strlen(dir);
        /* An empty PATH entry is the current directory. */
        int n = dir_len == 0 ? snprintf(resolved, resolved_size, "%s", name)
                             : snprintf(resolved, resolved_size, "%.*s/%s",
                                        (int)dir_len, dir, name);
        int why = 0;
        int found = n > 0 && (size_t)n < resolved_size
                        ? probe_executable(resolved, &why)
                        : 0;
        if (found > 0) {
            return 0;
        }
        if (found < 0 && first_not_runnable[0] == '\0') {
            snprintf(first_not_runnable, sizeof first_not_runnable, "%s",
                     resolved);
            not_runnable_errno = why;
        }
        if (colon == NULL) {
            break;
        }
        dir = colon + 1;
    }
    if (first_not_runnable[0] != '\0') {
        snprintf(err, err_size, "command not executable: %s (%s)",
                 first_not_runnable, strerror(not_runnable_errno));
    } else {
        snprintf(err, err_size, "command not found: %s (searched PATH %s)",
                 name, search_path ? search_path : DEFAULT_SEARCH_PATH);
    }
    resolved[0] = '\0';
    return -1;
}

/* ------------------------------------------------------------------------ */

/* Captured bytes of one stream; grows by doubling up to max. */
typedef struct capture {
    int fd; /* read end; -1 once closed */
    char *data;
    size_t len, size, max;
    int truncated;
} capture;

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int capture_append(capture *c, const char *bytes, size_t n)
{
    size_t room = c->max - c->len;
    if (n > room) {
        c->truncated = 1;
        n = room;
    }
    if (c->len + n + 1 > c->size) {
        size_t size = c->size ? c->size : 4096;
        while (size < c->len + n + 1) {
            size *= 2;
        }
        char *data = realloc(c->data, size);
        if (data == NULL) {
            return -1;
        }
        c->data = data;
        c->size = size;
    }
    memcpy(c->data + c->len, bytes, n);
    c->len += n;
    c->data[c->len] = '\0';
    return 0;
}

static void capture_close(capture *c)
{
    if (c->fd >= 0) {
        close(c->fd);
        c->fd = -1;
    }
}

/* Reads what the pipe holds now (a bounded number of chunks). Closes the
 * descriptor at end of file or on an error. */
static void capture_read(capture *c)
{
    char chunk[READ_CHUNK];
    for (int i = 0; i < READS_PER_WAKEUP && c->fd >= 0; i++) {
        ssize_t n = read(c->fd, chunk, sizeof chunk);
        if (n > 0) {
            if (capture_append(c, chunk, (size_t)n) != 0) {
                c->truncated = 1; /* out of memory: keep what we have */
            }
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            capture_close(c);
        }
    }
}

/* ------------------------------------------------------------------------ */

typedef struct child {
    pid_t pid;
    pid_t group; /* led by the guard                 */
    int pidfd;   /* -1 when the kernel offers none */
    int exited;
    int status;
} child;

/*
 * The command's process group is led by a guard process that only waits
 * for its pipe to close: when the plugin process ends for any reason
 * (even SIGKILL from the host at its timeout or on SIGTERM), the pipe
 * closes and the guard kills the whole group, so nothing the command left
 * behind outlives the check. The guard leading the group also keeps the
 * group's id from being reused while we may still signal it.
 */
typedef struct guard {
    pid_t pid; /* also the process group of the command              */
    int fd;    /* write end; closing it makes the guard kill the group */
} guard;

static void guard_main(int read_fd)
{
    close_range(0, (unsigned)read_fd - 1, 0);
    close_range((unsigned)read_fd + 1, ~0U, 0);
    char byte;
    while (read(read_fd, &byte, 1) != 0 && errno == EINTR)
        ;
    kill(0, SIGKILL);
    _exit(0);
}

static int guard_start(guard *g, char *err, size_t err_size)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        guard_main(fds[0]);
    }
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        snprintf(err, err_size, "cannot start a process: %s", strerror(errno));
        return -1;
    }
    setpgid(pid, pid); /* also in the guard: whichever runs first */
    g->pid = pid;
    g->fd = fds[1];
    return 0;
}

/* Kills everything in the command's group, then reaps the guard. */
static void guard_finish(guard *g)
{
    kill(-g->pid, SIGKILL);
    close(g->fd);
    while (waitpid(g->pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

static int spawn_child(const command_spec *spec, pid_t group, int out_w,
                       int err_w, pid_t *pid)
{
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attr;
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
    if (spec->cwd != NULL) {
        posix_spawn_file_actions_addchdir_np(&actions, spec->cwd);
    }
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null",
                                     O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out_w, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err_w, STDERR_FILENO);
    posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
                                        POSIX_SPAWN_SETSIGMASK |
                                        POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setpgroup(&attr, group);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    int rc =
        posix_spawn(pid, spec->path, &actions, &attr, spec->argv, spec->envp);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return rc;
}

static void child_poll_exit(child *ch)
{
    int status = 0;
    pid_t r;
    do {
        r = waitpid(ch->pid, &status, WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == ch->pid) {
        ch->exited = 1;
        ch->status = status;
    }
}

static void child_kill_and_reap(child *ch)
{
    if (kill(-ch->group, SIGKILL) != 0) {
        kill(ch->pid, SIGKILL);
    }
    pid_t r;
    do {
        r = waitpid(ch->pid, &ch->status, 0);
    } while (r < 0 && errno == EINTR);
    ch->exited = 1;
}

/* Reads both pipes until the child exits or the deadline passes.
 * Returns 1 when it timed out. */
static int supervise(child *ch, capture *out, capture *err, int64_t timeout_ms)
{
    int64_t deadline = monotonic_ms() + timeout_ms;
    while (!ch->exited) {
        int64_t left = deadline - monotonic_ms();
        if (left <= 0) {
            child_kill_and_reap(ch);
            return 1;
        }
        struct pollfd fds[3] = {{.fd = out->fd, .events = POLLIN},
                                {.fd = err->fd, .events = POLLIN},
                                {.fd = ch->pidfd, .events = POLLIN}};
        int wait_ms = left > INT32_MAX ? INT32_MAX : (int)left;
        if (ch->pidfd < 0 && wait_ms > NO_PIDFD_TICK_MS) {
            wait_ms = NO_PIDFD_TICK_MS;
        }
        if (poll(fds, 3, wait_ms) < 0 && errno != EINTR) {
            child_kill_and_reap(ch);
            return 0;
        }
        if (fds[0].revents != 0) {
            capture_read(out);
        }
        if (fds[1].revents != 0) {
            capture_read(err);
        }
        if (ch->pidfd < 0 || fds[2].revents != 0) {
            child_poll_exit(ch);
        }
    }
    /* What the child wrote before it exited is in the pipes now. */
    while (out->fd >= 0 && !out->truncated) {
        size_t before = out->len;
        capture_read(out);
        if (out->fd >= 0 && out->len == before) {
            break;
        }
    }
    capture_read(err);
    return 0;
}

static void fill_result(command_result *result, const child *ch, capture *out,
                        capture *err, int timed_out)
{
    result->out = out->data;
    result->out_len = out->len;
    result->out_truncated = out->truncated;
    result->err = err->data;
    result->err_len = err->len;
    result->err_truncated = err->truncated;
    result->timed_out = timed_out;
    if (WIFEXITED(ch->status)) {
        result->exit_code = WEXITSTATUS(ch->status);
        result->term_signal = 0;
    } else {
        result->exit_code = -1;
        result->term_signal =
            WIFSIGNALED(ch->status) ? WTERMSIG(ch->status) : SIGKILL;
    }
}

static int make_pipe(int fds[2], char *err, size_t err_size)
{
    if (pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, err_size, "cannot create a pipe: %s", strerror(errno));
        return -1;
    }
    fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
    return 0;
}

int command_run(const command_spec *spec, command_result *result, char *err,
                size_t err_size)
{
    int out_pipe[2], err_pipe[2];
    memset(result, 0, sizeof *result);
    if (make_pipe(out_pipe, err, err_size) != 0) {
        return -1;
    }
    if (make_pipe(err_pipe, err, err_size) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        return -1;
    }
    /* waitpid() needs SIGCHLD not ignored, whatever the process set. */
    struct sigaction default_chld = {.sa_handler = SIG_DFL}, saved_chld;
    sigaction(SIGCHLD, &default_chld, &saved_chld);
    guard g;
    if (guard_start(&g, err, err_size) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        sigaction(SIGCHLD, &saved_chld, NULL);
        return -1;
    }
    child ch = {.pidfd = -1, .group = g.pid};
    int rc = spawn_child(spec, g.pid, out_pipe[1], err_pipe[1], &ch.pid);
    close(out_pipe[1]);
    close(err_pipe[1]);
    capture out = {.fd = out_pipe[0], .max = spec->stdout_max};
    capture errs = {.fd = err_pipe[0], .max = spec->stderr_max};
    if (rc != 0) {
        snprintf(err, err_size, "cannot run %s: %s", spec->path, strerror(rc));
        capture_close(&out);
        capture_close(&errs);
        guard_finish(&g);
        sigaction(SIGCHLD, &saved_chld, NULL);
        return -1;
    }
    ch.pidfd = pidfd_open(ch.pid, 0);
    int timed_out = supervise(&ch, &out, &errs, spec->timeout_ms);
    guard_finish(&g); /* what the command left running in the background */
    capture_close(&out);
    capture_close(&errs);
    if (ch.pidfd >= 0) {
        close(ch.pidfd);
    }
    sigaction(SIGCHLD, &saved_chld, NULL);
    /* Never NULL, so that callers can treat both as strings. */
    if (capture_append(&out, "", 0) != 0 || capture_append(&errs, "", 0) != 0) {
        free(out.data);
        free(errs.data);
        snprintf(err, err_size, "out of memory reading %s", spec->path);
        return -1;
    }
    fill_result(result, &ch, &out, &errs, timed_out);
    return 0;
}

void command_result_free(command_result *result)
{
    free(result->out);
    free(result->err);
    result->out = NULL;
    result->err = NULL;
}
