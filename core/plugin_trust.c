#include "plugin_trust.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

int plugin_trust_disabled(void)
{
    const char *v = getenv("NBAQ_PLUGIN_INSECURE");
    return v && strcmp(v, "1") == 0;
}

static int owner_ok(const struct stat *st)
{
    return st->st_uid == 0 || st->st_uid == geteuid();
}

static int check_owner_and_mode(const char *what, const char *path,
                                const struct stat *st, int sticky_ok, char *err,
                                size_t err_size)
{
    if (!owner_ok(st))
        return err_set(err, err_size,
                       "%s %s is owned by uid %u, neither root nor the "
                       "running user",
                       what, path, (unsigned)st->st_uid);
    int shared = (st->st_mode & (S_IWGRP | S_IWOTH)) != 0;
    int sticky_root = (st->st_mode & S_ISVTX) && st->st_uid == 0;
    if (shared && !(sticky_ok && sticky_root))
        return err_set(err, err_size, "%s %s is writable by %s", what, path,
                       (st->st_mode & S_IWOTH) ? "everyone" : "its group");
    return 0;
}

static int refuse(const char *path, const char *reason, char *err,
                  size_t err_size)
{
    return err_set(err, err_size,
                   "%s: refusing the plugin: %s (fix the permissions, or set "
                   "NBAQ_PLUGIN_INSECURE=1 to load it anyway)",
                   path, reason);
}

/* The directories from path's own up to /; path is absolute. */
static int check_directories(const char *file, char *dir, char *err,
                             size_t err_size)
{
    int own_dir = 1;
    for (;;) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            return 0;
        if (slash == dir)
            slash[1] = '\0';
        else
            *slash = '\0';
        struct stat st;
        if (stat(dir, &st) != 0)
            return err_set(err, err_size, "%s: cannot check directory %s: %s",
                           file, dir, strerror(errno));
        char reason[PATH_MAX + 128];
        if (check_owner_and_mode("directory", dir, &st, !own_dir, reason,
                                 sizeof reason) != 0)
            return refuse(file, reason, err, err_size);
        if (strcmp(dir, "/") == 0)
            return 0;
        own_dir = 0;
    }
}

int plugin_trust_check(const char *path, char *err, size_t err_size)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return err_set(err, err_size, "%s: %s", path, strerror(errno));
    if (S_ISLNK(st.st_mode))
        return err_set(err, err_size,
                       "%s: refusing the plugin: it is a symbolic link; nbaq "
                       "loads only regular files (copy the file, or add its "
                       "directory with --plugin-dir)",
                       path);
    if (!S_ISREG(st.st_mode))
        return err_set(err, err_size, "%s: not a regular file", path);
    if (plugin_trust_disabled())
        return 0;
    char reason[PATH_MAX + 128];
    if (check_owner_and_mode("file", path, &st, 0, reason, sizeof reason) != 0)
        return refuse(path, reason, err, err_size);
    char dir[PATH_MAX];
    if (!realpath(path, dir))
        return err_set(err, err_size, "%s: %s", path, strerror(errno));
    return check_directories(path, dir, err, err_size);
}
