/*
 * Unit tests of command.c: resolution errors, exit codes, capture limits,
 * the deadline, process groups, and what the child inherits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "command.h"

extern char **environ;

static command_result result;
static char err[512];

/* Runs /bin/sh -c script with the given limits; asserts it started. */
static void run_sh(const char *script, int64_t timeout_ms, size_t out_max,
                   char *const *envp, const char *cwd)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    command_spec spec = {.path = "/bin/sh",
                         .argv = argv,
                         .envp = envp ? envp : environ,
                         .cwd = cwd,
                         .timeout_ms = timeout_ms,
                         .stdout_max = out_max,
                         .stderr_max = 4096};
    if (command_run(&spec, &result, err, sizeof err) != 0) {
        fail_msg("command_run failed: %s", err);
    }
}

static void test_exit_code_and_streams(void **state)
{
    (void)state;
    run_sh("echo hello; echo oops >&2; exit 2", 10000, 65536, NULL, NULL);
    assert_int_equal(result.exit_code, 2);
    assert_int_equal(result.term_signal, 0);
    assert_false(result.timed_out);
    assert_string_equal(result.out, "hello\n");
    assert_int_equal(result.out_len, 6);
    assert_string_equal(result.err, "oops\n");
    command_result_free(&result);

    run_sh("exit 0", 10000, 65536, NULL, NULL);
    assert_int_equal(result.exit_code, 0);
    assert_string_equal(result.out, "");
    assert_string_equal(result.err, "");
    command_result_free(&result);

    run_sh("exit 200", 10000, 65536, NULL, NULL);
    assert_int_equal(result.exit_code, 200);
    command_result_free(&result);
}

static void test_killed_by_signal(void **state)
{
    (void)state;
    run_sh("kill -SEGV $$", 10000, 65536, NULL, NULL);
    assert_int_equal(result.exit_code, -1);
    assert_int_equal(result.term_signal, SIGSEGV);
    assert_false(result.timed_out);
    command_result_free(&result);
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when pid is gone or a zombie (killed, waiting for its reaper). */
static int process_dead(pid_t pid)
{
    char path[64], stat[256] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 1;
    }
    size_t n = fread(stat, 1, sizeof stat - 1, f);
    fclose(f);
    stat[n] = '\0';
    const char *paren = strrchr(stat, ')');
    return paren != NULL && (paren[2] == 'Z' || paren[2] == 'X');
}

static void test_timeout_kills_the_group(void **state)
{
    (void)state;
    /* The background sleep is a grandchild in the same process group. */
    int64_t start = now_ms();
    run_sh("sleep 60 & echo $!; exec sleep 60", 300, 65536, NULL, NULL);
    int64_t elapsed = now_ms() - start;
    assert_true(result.timed_out);
    assert_int_equal(result.term_signal, SIGKILL);
    assert_true(elapsed >= 300);
    assert_true(elapsed < 10000);
    pid_t grandchild = (pid_t)atoi(result.out);
    assert_true(grandchild > 0);
    command_result_free(&result);
    /* SIGKILL was sent to the group before command_run returned. */
    int64_t deadline = now_ms() + 10000;
    while (!process_dead(grandchild) && now_ms() < deadline) {
        struct timespec tick = {0, 10 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    assert_true(process_dead(grandchild));
}

static void test_background_holder_does_not_block(void **state)
{
    (void)state;
    /* A grandchild keeps stdout open; the command itself is done. */
    int64_t start = now_ms();
    run_sh("sleep 60 & echo done", 20000, 65536, NULL, NULL);
    assert_true(now_ms() - start < 10000);
    assert_false(result.timed_out);
    assert_int_equal(result.exit_code, 0);
    assert_string_equal(result.out, "done\n");
    command_result_free(&result);
}

static void test_huge_output_is_capped(void **state)
{
    (void)state;
    run_sh("head -c 10000000 /dev/zero | tr '\\0' x; echo tail >&2", 60000,
           65536, NULL, NULL);
    assert_int_equal(result.exit_code, 0);
    assert_int_equal(result.out_len, 65536);
    assert_true(result.out_truncated);
    assert_int_equal(strlen(result.out), 65536);
    assert_string_equal(result.err, "tail\n");
    assert_false(result.err_truncated);
    command_result_free(&result);

    run_sh("head -c 65536 /dev/zero | tr '\\0' y", 60000, 65536, NULL, NULL);
    assert_int_equal(result.out_len, 65536);
    assert_false(result.out_truncated);
    command_result_free(&result);
}

static void test_environment_cwd_stdin(void **state)
{
    (void)state;
    char *envp[] = {"FOO=bar baz", "PATH=/usr/bin:/bin", NULL};
    run_sh("pwd; echo \"$FOO\"; cat; echo \"[$HOME]\"", 10000, 65536, envp,
           "/");
    assert_int_equal(result.exit_code, 0);
    assert_string_equal(result.out, "/\nbar baz\n[]\n");
    command_result_free(&result);
}

static void test_descriptors_are_closed(void **state)
{
    (void)state;
    int fd = open("/dev/null", O_RDONLY); /* no O_CLOEXEC: would leak */
    assert_true(fd > 2);
    char script[128];
    snprintf(script, sizeof script,
             "if [ -e /proc/self/fd/%d ]; then echo open; else echo closed; "
             "fi",
             fd);
    run_sh(script, 10000, 65536, NULL, NULL);
    assert_string_equal(result.out, "closed\n");
    command_result_free(&result);
    close(fd);
}

static void test_ignored_sigchld_and_sigpipe(void **state)
{
    (void)state;
    signal(SIGCHLD, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    /* yes dies of SIGPIPE only when SIGPIPE has its default action. */
    run_sh("yes | head -n 1; kill -0 $$ && echo alive", 10000, 65536, NULL,
           NULL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    assert_int_equal(result.exit_code, 0);
    assert_string_equal(result.out, "y\nalive\n");
    command_result_free(&result);
}

static void test_resolve(void **state)
{
    char path[4096];
    (void)state;
    assert_int_equal(command_resolve("sh", NULL, "/nonexistent:/bin", path,
                                     sizeof path, err, sizeof err),
                     0);
    assert_string_equal(path, "/bin/sh");
    assert_int_equal(command_resolve("no-such-command-xyz", NULL, "/bin", path,
                                     sizeof path, err, sizeof err),
                     -1);
    assert_string_equal(
        err, "command not found: no-such-command-xyz (searched PATH /bin)");
    assert_int_equal(command_resolve("/no/such/file", NULL, NULL, path,
                                     sizeof path, err, sizeof err),
                     -1);
    assert_string_equal(err, "command not found: /no/such/file");
    assert_int_equal(
        command_resolve("/tmp", NULL, NULL, path, sizeof path, err, sizeof err),
        -1);
    assert_string_equal(err, "command not executable: /tmp (Is a directory)");
    assert_int_equal(
        command_resolve("", NULL, NULL, path, sizeof path, err, sizeof err),
        -1);
    assert_string_equal(err, "command is empty");
    assert_int_equal(command_resolve("bin/sh", "/", NULL, path, sizeof path,
                                     err, sizeof err),
                     0);
    assert_string_equal(path, "//bin/sh");
}

static void test_resolve_not_executable(void **state)
{
    char dir[] = "/tmp/nbaq-exec-test-XXXXXX";
    char file[128], path[4096], search[160];
    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/nbaq-test-script", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("#!/bin/sh\necho hi\n", f);
    fclose(f);
    chmod(file, 0644);
    int as_root = geteuid() == 0; /* root may execute nothing without x */
    assert_int_equal(command_resolve("nbaq-test-script", NULL, NULL, path,
                                     sizeof path, err, sizeof err),
                     -1);
    snprintf(search, sizeof search, "/nonexistent:%s", dir);
    assert_int_equal(command_resolve("nbaq-test-script", NULL, search, path,
                                     sizeof path, err, sizeof err),
                     -1);
    if (!as_root) {
        char expected[256];
        snprintf(expected, sizeof expected,
                 "command not executable: %s (Permission denied)", file);
        assert_string_equal(err, expected);
    } else {
        assert_non_null(strstr(err, "command not executable: "));
    }
    chmod(file, 0755);
    assert_int_equal(command_resolve("./nbaq-test-script", dir, NULL, path,
                                     sizeof path, err, sizeof err),
                     0);
    unlink(file);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exit_code_and_streams),
        cmocka_unit_test(test_killed_by_signal),
        cmocka_unit_test(test_timeout_kills_the_group),
        cmocka_unit_test(test_background_holder_does_not_block),
        cmocka_unit_test(test_huge_output_is_capped),
        cmocka_unit_test(test_environment_cwd_stdin),
        cmocka_unit_test(test_descriptors_are_closed),
        cmocka_unit_test(test_ignored_sigchld_and_sigpipe),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_resolve_not_executable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
