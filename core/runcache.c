#include "runcache.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

static const char *temp_root(void)
{
    const char *tmp = getenv("TMPDIR");
    return tmp && *tmp ? tmp : "/tmp";
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void runcache_remove(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The owner's pid when name is "<prefix><pid>-XXXXXX", else 0. */
static long owner_pid(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return 0;
    char *end;
    long pid = strtol(name + n, &end, 10);
    if (pid <= 0 || end == name + n || *end != '-' || strlen(end + 1) != 6)
        return 0;
    return pid;
}

static int process_gone(long pid)
{
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static void sweep(const char *root, const char *monitor)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "nbaq-%s-", monitor);
    DIR *d = opendir(root);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = owner_pid(e->d_name, prefix);
        if (pid == 0 || pid == (long)getpid() || !process_gone(pid))
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", root, e->d_name);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) ||
            st.st_uid != geteuid())
            continue;
        log_msg(NBAQ_LOG_INFO, NULL,
                "removing the run cache %s of process %ld, which is gone", path,
                pid);
        runcache_remove(path);
    }
    closedir(d);
}

int runcache_make(const char *monitor, char *dir, size_t size, char *err,
                  size_t err_size)
{
    const char *root = temp_root();
    sweep(root, monitor);
    snprintf(dir, size, "%s/nbaq-%s-%ld-XXXXXX", root, monitor, (long)getpid());
    if (!mkdtemp(dir))
        return err_set(err, err_size,
                       "cannot create the run cache directory in %s: %s", root,
                       strerror(errno));
    return 0;
}
