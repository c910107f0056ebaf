/*
 * fleet_lock.c - one daemon per SQLite history store (history_fleet.h).
 *
 * SQLite allows one writer: two daemons on one database would both run
 * every check and both page. The lock is flock(2) on a file beside the
 * database, so that it ends with the process that holds it, however it
 * dies; the file holds that process's pid for the message.
 */
#include "history_fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "history_store.h"
#include "text.h"

static int lock_path(const store_location *loc, char *err, size_t err_size,
                     char **path)
{
    size_t len = strlen(loc->target) + sizeof ".daemon.lock";
    *path = malloc(len);
    if (!*path)
        return err_set(err, err_size, "out of memory");
    snprintf(*path, len, "%s.daemon.lock", loc->target);
    return 0;
}

/* The pid written in the lock file, or 0. */
static long holder_pid(int fd)
{
    char text[32] = "";
    ssize_t n = pread(fd, text, sizeof text - 1, 0);
    return n > 0 ? strtol(text, NULL, 10) : 0;
}

static int take_lock(const store_location *loc, const char *path, char *err,
                     size_t err_size)
{
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return err_set(err, err_size, "history store %s: cannot open %s: %s",
                       loc->name, path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int e = errno;
        long pid = holder_pid(fd);
        close(fd);
        if (e != EWOULDBLOCK)
            return err_set(err, err_size,
                           "history store %s: cannot lock %s: %s", loc->name,
                           path, strerror(e));
        return err_set(err, err_size,
                       "history store %s is used by another nbaq daemon "
                       "(pid %ld, lock %s): SQLite allows one writer, so one "
                       "daemon per store; use a postgresql:// history for a "
                       "fleet of daemons",
                       loc->name, pid, path);
    }
    char text[32];
    int len = snprintf(text, sizeof text, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len) {
        int e = errno;
        close(fd);
        return err_set(err, err_size, "history store %s: cannot write %s: %s",
                       loc->name, path, strerror(e));
    }
    return fd;
}

int history_daemon_lock(const char *url, const char *base_dir, char *err,
                        size_t err_size)
{
    store_location loc;
    if (history_store_location_parse(url, base_dir, &loc, err, err_size) != 0)
        return -1;
    int rc = -2;
    char *path = NULL;
    if (loc.kind == STORE_SQLITE) {
        rc = lock_path(&loc, err, err_size, &path);
        if (rc == 0)
            rc = take_lock(&loc, path, err, err_size);
    }
    free(path);
    history_store_location_free(&loc);
    return rc;
}
