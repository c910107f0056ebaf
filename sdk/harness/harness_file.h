/*
 * harness_file.h - a whole file read into memory (run files, expected
 * results).
 */
#ifndef NBAQ_HARNESS_FILE_H
#define NBAQ_HARNESS_FILE_H

#include <stddef.h>

/* The file's bytes and a NUL (malloc'd; the caller frees), or NULL with
 * err naming the file. */
char *harness_read_file(const char *path, char *err, size_t err_size);

#endif
