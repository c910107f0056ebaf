#include "plugin_vet.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "runner.h"
#include "text.h"

enum {
    VET_TIMEOUT_DEFAULT_MS = 5000,
    VET_REPLY_MAX = 2048,
    PATH_MAX_TEXT = 4200
};

/* The child's end of the reply pipe, for plugin_vet_fail(). */
static int vet_reply_fd = -1;

static int64_t vet_timeout_ms(void)
{
    const char *v = getenv("NBAQ_PLUGIN_LOAD_TIMEOUT");
    char *end;
    long long ms = v ? strtoll(v, &end, 10) : 0;
    if (!v || *end || ms <= 0)
        return VET_TIMEOUT_DEFAULT_MS;
    return ms;
}

static void vet_child(const char *path, plugin_vet_fn vet, void *arg,
                      int reply_fd)
{
    setpgid(0, 0);
    runner_reset_child_signals();
    vet_reply_fd = reply_fd;
    /* Load-time prints must not reach the host's stdout (a report). */
    dup2(STDERR_FILENO, STDOUT_FILENO);
    char reply[VET_REPLY_MAX];
    if (vet(path, arg, reply + 1, sizeof reply - 1) == 0)
        strcpy(reply, "+ok");
    else
        reply[0] = '-';
    /* The NUL ends the reply, even when a process the plugin started
     * keeps the pipe open. */
    ssize_t ignored = write(reply_fd, reply, strlen(reply) + 1);
    (void)ignored;
    _exit(0);
}

/* Reads the reply until end of file or the deadline. Returns 1 when the
 * deadline passed. */
static int read_reply(int fd, char *buf, size_t size, int64_t deadline)
{
    size_t len = 0;
    for (;;) {
        int64_t left = deadline - clock_mono_ms();
        if (left <= 0)
            return 1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (memchr(buf, '\0', len) || len == size - 1)
            break;
    }
    buf[len] = '\0';
    return 0;
}

static int wait_child(pid_t pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return status;
}

/* How errors name what ran in the child. */
typedef struct vet_words {
    const char *subject; /* "PATH: loading the plugin", "validate()"       */
    const char *culprit; /* what hangs or calls exit, for the hint        */
} vet_words;

static int explain(const vet_words *w, const char *reply, int status,
                   int timed_out, int64_t timeout_ms, char *err,
                   size_t err_size)
{
    if (timed_out)
        return err_set(err, err_size,
                       "%s did not finish within %lld ms (%s hangs)",
                       w->subject, (long long)timeout_ms, w->culprit);
    if (reply[0] == '-')
        return err_set(err, err_size, "%s", reply + 1);
    if (WIFSIGNALED(status))
        return err_set(err, err_size, "%s crashed: signal %d (%s)", w->subject,
                       WTERMSIG(status), strsignal(WTERMSIG(status)));
    return err_set(err, err_size, "%s exited with code %d (%s called exit)",
                   w->subject, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                   w->culprit);
}

static int vet_isolated(const vet_words *w, const char *path, plugin_vet_fn vet,
                        void *arg, char *err, size_t err_size)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return err_set(err, err_size, "%s: cannot create a pipe: %s",
                       w->subject, strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        vet_child(path, vet, arg, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return err_set(err, err_size, "%s: cannot start a process: %s",
                       w->subject, strerror(errno));
    }
    setpgid(pid, pid);
    int64_t timeout_ms = vet_timeout_ms();
    char reply[VET_REPLY_MAX];
    int timed_out =
        read_reply(fds[0], reply, sizeof reply, clock_mono_ms() + timeout_ms);
    close(fds[0]);
    if (timed_out)
        kill(-pid, SIGKILL);
    int status = wait_child(pid);
    kill(-pid, SIGKILL); /* whatever its constructor started */
    if (!timed_out && strcmp(reply, "+ok") == 0 && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0)
        return 0;
    return explain(w, timed_out ? "" : reply, status, timed_out, timeout_ms,
                   err, err_size);
}

int plugin_vet(const char *path, plugin_vet_fn vet, void *arg, char *err,
               size_t err_size)
{
    char subject[PATH_MAX_TEXT];
    char culprit[128];
    snprintf(subject, sizeof subject, "%s: loading the plugin", path);
    snprintf(culprit, sizeof culprit, "its constructor or %s()",
             NBAQ_PLUGIN_ENTRY_SYMBOL);
    vet_words w = {subject, culprit};
    return vet_isolated(&w, path, vet, arg, err, err_size);
}

int plugin_vet_call(const char *what, plugin_vet_fn fn, void *arg, char *err,
                    size_t err_size)
{
    vet_words w = {what, what};
    return vet_isolated(&w, what, fn, arg, err, err_size);
}

void plugin_vet_fail(const char *message)
{
    char reply[VET_REPLY_MAX];
    snprintf(reply, sizeof reply, "-%s", message);
    ssize_t ignored = write(vet_reply_fd, reply, strlen(reply) + 1);
    (void)ignored;
    _exit(0);
}
