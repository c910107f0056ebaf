/*
 * command.h - find and run one external command, without a shell, with a
 * deadline and bounded capture of its output.
 */
#ifndef NBAQ_EXEC_COMMAND_H
#define NBAQ_EXEC_COMMAND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Finds the executable for name, the way execvp(3) would but with errors
 * that say what went wrong. A name with a '/' is taken as it is, or, when
 * relative and base_dir is not NULL, relative to base_dir. Any other name
 * is looked up in search_path (a PATH value; NULL means
 * "/usr/local/bin:/usr/bin:/bin"). Writes the path into resolved. Returns
 * 0, or -1 with err "command not found: ..." or "command not executable:
 * ... (reason)".
 */
int command_resolve(const char *name, const char *base_dir,
                    const char *search_path, char *resolved,
                    size_t resolved_size, char *err, size_t err_size);

/* What to run. Every pointer is the caller's and only read. */
typedef struct command_spec {
    const char *path;   /* the executable (see command_resolve)           */
    char *const *argv;  /* NULL-terminated; argv[0] as the user wrote it  */
    char *const *envp;  /* NULL-terminated environment of the command     */
    const char *cwd;    /* working directory; NULL: the current one       */
    int64_t timeout_ms; /* the command's process group is killed then     */
    size_t stdout_max;  /* bytes kept; the rest is read and dropped       */
    size_t stderr_max;
} command_spec;

/* What came of it. out and err are allocated by command_run(), always
 * NUL-terminated (never NULL after success), and freed by
 * command_result_free(). */
typedef struct command_result {
    char *out;
    size_t out_len;
    int out_truncated; /* more than stdout_max bytes were written         */
    char *err;
    size_t err_len;
    int err_truncated;
    int timed_out;   /* killed at the deadline                            */
    int exit_code;   /* 0..255 when it exited; -1 when killed by a signal */
    int term_signal; /* the signal that ended it; 0 when it exited        */
} command_result;

/*
 * Runs the command with stdin from /dev/null, stdout and stderr captured,
 * every other descriptor closed, default signal dispositions, an empty
 * signal mask, in a process group of its own. At the deadline the whole
 * group gets SIGKILL. Once the command has exited, what is already in the
 * pipes is read and the rest is not waited for (a background grandchild
 * holding a pipe open does not hold up the check). Returns 0 with *result
 * filled (whatever the command did), or -1 with err when it could not be
 * started (result is then empty and need not be freed).
 */
int command_run(const command_spec *spec, command_result *result, char *err,
                size_t err_size);

void command_result_free(command_result *result);

#endif
