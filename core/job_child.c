#include "job_child.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cgjail.h"

void runner_reset_child_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    /* Crash signals too: a sanitizer build of the host installs its own
     * handlers, which would turn a plugin's crash into "exited with code
     * 1"; a crash must read the same in every build. */
    const int defaults[] = {SIGCHLD, SIGINT, SIGTERM, SIGPIPE, SIGHUP,
                            SIGSEGV, SIGBUS, SIGFPE,  SIGILL};
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
        sigaction(defaults[i], &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

int runner_child_prepare(const char *cell)
{
    setpgid(0, 0);
    cgjail_cell_enter(cell);
    runner_reset_child_signals();
    int stdout_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null_fd >= 0) {
        dup2(null_fd, STDIN_FILENO);
        close(null_fd);
    }
    dup2(STDERR_FILENO, STDOUT_FILENO);
    return stdout_fd;
}
