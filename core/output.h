/*
 * output.h - writing files so that a reader never sees half of one:
 * a temporary file in the same directory, write, fsync, rename over the
 * target, fsync of the directory. Used by the host API's output_write()
 * for reporters. Every error names the path.
 */
#ifndef NBAQ_CORE_OUTPUT_H
#define NBAQ_CORE_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

/* Replaces path with data atomically. The directory must exist. */
int output_write_file(const char *path, const void *data, size_t len, char *err,
                      size_t err_size);

/* Writes all of data to fd (retrying short writes); name is for errors. */
int output_write_fd(int fd, const char *name, const void *data, size_t len,
                    char *err, size_t err_size);

/*
 * A reporter's output as its options decide (nbaq.h, output_write):
 *   output_dir set: <dir>/<monitor>-<timestamp>.<ext> (run start, UTC,
 *     "20250131T120000.123Z") and <dir>/<monitor>-latest.<ext>;
 *   output: "-" writes to stdout_fd, anything else is a file path.
 * When output_dir is set, output is written too only if it was given
 * explicitly (output_explicit). Relative paths are taken relative to
 * base_dir (the config file's directory).
 */
typedef struct output_target {
    const char *output; /* NULL: "-"                                   */
    int output_explicit;
    const char *output_dir; /* NULL: none                                  */
    const char *base_dir;
    const char *monitor;
    int64_t run_started_ms;
    int stdout_fd;
} output_target;

/* Non-zero when output_write_report() would write only to a terminal. */
int output_is_terminal(const output_target *t);

int output_write_report(const output_target *target, const char *extension,
                        const void *data, size_t len, char *err,
                        size_t err_size);

#endif
