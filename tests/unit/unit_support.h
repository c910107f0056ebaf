/* Helpers shared by the host's unit tests. */
#ifndef NBAQ_UNIT_SUPPORT_H
#define NBAQ_UNIT_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fresh temporary directory (removed by remove_temp_dir). */
static inline char *make_temp_dir(void)
{
    char *dir = strdup("/tmp/nbaq-unit-XXXXXX");
    if (!dir || !mkdtemp(dir))
        abort();
    return dir;
}

static inline void remove_temp_dir(char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    free(dir);
}

/* Writes text to dir/name; returns the path (caller frees). */
static inline char *write_temp_file(const char *dir, const char *name,
                                    const char *text)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    if (!path)
        abort();
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return path;
}

#endif
