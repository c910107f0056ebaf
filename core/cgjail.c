#include "cgjail.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "text.h"

enum { DRAIN_WAIT_MS = 1000 }; /* for SIGKILLed processes to be gone */

static int write_text(const char *dir, const char *file, const char *text)
{
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* The cgroup v2 mount point, from /proc/self/mountinfo. */
static int find_mount(char *out, size_t size)
{
    FILE *f = fopen("/proc/self/mountinfo", "re");
    if (!f)
        return -1;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        char mount[PATH_MAX];
        const char *dash = strstr(line, " - ");
        if (dash && strncmp(dash + 3, "cgroup2 ", 8) == 0 &&
            sscanf(line, "%*s %*s %*s %*s %4095s", mount) == 1) {
            text_copy(out, size, mount);
            found = 1;
        }
    }
    fclose(f);
    return found ? 0 : -1;
}

/* The host's own cgroup v2 path ("0::/path" in /proc/self/cgroup). */
static int find_own_cgroup(char *out, size_t size)
{
    FILE *f = fopen("/proc/self/cgroup", "re");
    if (!f)
        return -1;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        if (strncmp(line, "0::", 3) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        text_copy(out, size, strcmp(line + 3, "/") == 0 ? "" : line + 3);
        found = 1;
    }
    fclose(f);
    return found ? 0 : -1;
}

/* Waits (bounded) until no process is left in dir, then removes it. */
static void drain_and_remove(const char *dir)
{
    int64_t deadline = clock_mono_ms() + DRAIN_WAIT_MS;
    while (rmdir(dir) != 0 && errno == EBUSY && clock_mono_ms() < deadline) {
        char path[PATH_MAX + 32];
        snprintf(path, sizeof path, "%s/cgroup.events", dir);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return;
        /* cgroup.events signals POLLPRI when "populated" changes. */
        struct pollfd p = {.fd = fd, .events = POLLPRI};
        poll(&p, 1, 10);
        close(fd);
    }
}

static void kill_members(const char *dir);

static void kill_cell_dir(const char *dir)
{
    kill_members(dir);
    drain_and_remove(dir);
}

/* Calls fn on parent/NAME for each entry NAME that wants(NAME). */
static void each_entry(const char *parent, int (*wants)(const char *name),
                       void (*fn)(const char *path))
{
    DIR *d = opendir(parent);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[PATH_MAX];
        int n = snprintf(path, sizeof path, "%s/%s", parent, e->d_name);
        if (wants(e->d_name) && n > 0 && (size_t)n < sizeof path)
            fn(path);
    }
    if (d)
        closedir(d);
}

static int is_cell(const char *name)
{
    return strncmp(name, "job-", 4) == 0;
}

/* Kills and removes every job cell under dir, then dir itself. */
static void remove_jail(const char *dir)
{
    each_entry(dir, is_cell, kill_cell_dir);
    rmdir(dir);
}

/* A jail whose host is gone (SIGKILL leaves them behind). */
static int is_stale_jail(const char *name)
{
    char *end;
    long pid = strncmp(name, "nbaq-", 5) == 0 ? strtol(name + 5, &end, 10) : 0;
    return pid > 0 && !*end && pid != (long)getpid() &&
           kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

void cgjail_open(cgjail *j)
{
    memset(j, 0, sizeof *j);
    const char *setting = getenv("NBAQ_CGROUP");
    if (setting && strcmp(setting, "0") == 0)
        return;
    char mount[PATH_MAX], own[PATH_MAX], parent[PATH_MAX * 2];
    if (find_mount(mount, sizeof mount) != 0 ||
        find_own_cgroup(own, sizeof own) != 0)
        return;
    snprintf(parent, sizeof parent, "%s%s", mount, own);
    each_entry(parent, is_stale_jail, remove_jail);
    int n =
        snprintf(j->dir, sizeof j->dir, "%s/nbaq-%ld", parent, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof j->dir ||
        (mkdir(j->dir, 0755) != 0 && errno != EEXIST)) {
        log_msg(NBAQ_LOG_DEBUG, NULL,
                "no cgroup per check (cannot create %s): process groups only",
                j->dir);
        return;
    }
    j->enabled = 1;
}

char *cgjail_cell_take(cgjail *j)
{
    if (!j->enabled)
        return NULL;
    if (j->free_count > 0)
        return j->free_cells[--j->free_count];
    char dir[PATH_MAX];
    int len = snprintf(dir, sizeof dir, "%s/job-%zu", j->dir, j->made);
    if (len < 0 || (size_t)len >= sizeof dir ||
        (mkdir(dir, 0755) != 0 && errno != EEXIST))
        return NULL;
    j->made++;
    return strdup(dir);
}

void cgjail_cell_enter(const char *cell)
{
    if (cell)
        write_text(cell, "cgroup.procs", "0");
}

static void kill_members(const char *dir)
{
    if (write_text(dir, "cgroup.kill", "1") == 0)
        return;
    /* Kernels before 5.14: kill what cgroup.procs lists. */
    char path[PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    FILE *f = fopen(path, "re");
    long pid;
    while (f && fscanf(f, "%ld", &pid) == 1)
        kill((pid_t)pid, SIGKILL);
    if (f)
        fclose(f);
}

void cgjail_cell_release(cgjail *j, char **cell)
{
    if (!*cell)
        return;
    kill_members(*cell);
    if (j->free_count == j->free_cap) {
        size_t cap = j->free_cap ? j->free_cap * 2 : 16;
        char **grown = realloc(j->free_cells, cap * sizeof *grown);
        if (!grown) {
            free(*cell); /* removed with the jail at close */
            *cell = NULL;
            return;
        }
        j->free_cells = grown;
        j->free_cap = cap;
    }
    j->free_cells[j->free_count++] = *cell;
    *cell = NULL;
}

void cgjail_close(cgjail *j)
{
    if (j->enabled)
        remove_jail(j->dir);
    for (size_t i = 0; i < j->free_count; i++)
        free(j->free_cells[i]);
    free(j->free_cells);
    memset(j, 0, sizeof *j);
}
