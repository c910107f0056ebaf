/* Atomic file output and the output/output_dir decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "output.h"
#include "unit_support.h"

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static void test_atomic_file(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/r.json", dir);
    assert_int_equal(output_write_file(path, "one", 3, err, sizeof err), 0);
    assert_string_equal(read_all(path), "one");
    assert_int_equal(output_write_file(path, "two!", 4, err, sizeof err), 0);
    assert_string_equal(read_all(path), "two!");
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    snprintf(path, sizeof path, "%s/missing/r.json", dir);
    assert_int_equal(output_write_file(path, "x", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, path));
    remove_temp_dir(dir);
}

/* A FIFO (like /dev/null, a node that is not a regular file) is written
 * in place and stays a FIFO: a rename would replace the node. */
static void test_fifo_written_in_place(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char path[512], err[512];
    snprintf(path, sizeof path, "%s/pipe", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    int rd = open(path, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    assert_int_equal(output_write_file(path, "report", 6, err, sizeof err), 0);
    char got[16] = {0};
    assert_int_equal(read(rd, got, sizeof got - 1), 6);
    assert_string_equal(got, "report");
    close(rd);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
    assert_int_equal(output_write_file(dir, "x", 1, err, sizeof err), -1);
    assert_non_null(strstr(err, "is a directory"));
    remove_temp_dir(dir);
}

static void test_output_dir(void **state)
{
    (void)state;
    char *dir = make_temp_dir();
    char err[512], path[600];
    output_target t = {.output = "-",
                       .output_dir = "reports",
                       .base_dir = dir,
                       .monitor = "mon",
                       .run_started_ms =
                           1738324800123LL, /* 2025-01-31 12:00:00.123 */
                       .stdout_fd = -1};
    /* A missing directory is an error naming it. */
    assert_int_equal(output_write_report(&t, "json", "{}", 2, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "/reports"));
    snprintf(path, sizeof path, "%s/reports", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(output_write_report(&t, "json", "{}", 2, err, sizeof err),
                     0);
    snprintf(path, sizeof path, "%s/reports/mon-20250131T120000.123Z.json",
             dir);
    assert_string_equal(read_all(path), "{}");
    snprintf(path, sizeof path, "%s/reports/mon-latest.json", dir);
    assert_string_equal(read_all(path), "{}");
    /* An explicit output is written as well, relative to base_dir. */
    t.output = "also.json";
    t.output_explicit = 1;
    assert_int_equal(output_write_report(&t, "json", "[]", 2, err, sizeof err),
                     0);
    snprintf(path, sizeof path, "%s/also.json", dir);
    assert_string_equal(read_all(path), "[]");
    assert_int_equal(output_write_report(&t, "../x", "", 0, err, sizeof err),
                     -1);
    remove_temp_dir(dir);
}

static void test_stdout(void **state)
{
    (void)state;
    int fds[2];
    char err[256], buf[64];
    assert_int_equal(pipe(fds), 0);
    output_target t = {.output = "-", .stdout_fd = fds[1]};
    assert_int_equal(
        output_write_report(&t, "txt", "hello", 5, err, sizeof err), 0);
    close(fds[1]);
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "hello", 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_file),
        cmocka_unit_test(test_fifo_written_in_place),
        cmocka_unit_test(test_output_dir), cmocka_unit_test(test_stdout)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
