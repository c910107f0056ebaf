#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "text.h"

int output_write_fd(int fd, const char *name, const void *data, size_t len,
                    char *err, size_t err_size)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return err_set(err, err_size, "%s: write failed: %s", name,
                           strerror(errno));
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void sync_parent_dir(const char *path)
{
    char dir[PATH_MAX];
    text_copy(dir, sizeof dir, path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd); /* best effort: some file systems refuse */
        close(fd);
    }
}

/* A device, FIFO or socket (`output: /dev/null`, a named pipe) is written
 * in place: renaming a temporary file over it would replace the device
 * node itself, and there is nothing to make atomic. */
static int write_in_place(const char *path, const void *data, size_t len,
                          char *err, size_t err_size)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return err_set(err, err_size, "%s: cannot open: %s", path,
                       strerror(errno));
    int rc = output_write_fd(fd, path, data, len, err, err_size);
    if (close(fd) != 0 && rc == 0)
        rc = err_set(err, err_size, "%s: close failed: %s", path,
                     strerror(errno));
    return rc;
}

int output_write_file(const char *path, const void *data, size_t len, char *err,
                      size_t err_size)
{
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return err_set(err, err_size, "%s: is a directory", path);
        if (!S_ISREG(st.st_mode))
            return write_in_place(path, data, len, err, err_size);
    }
    char temp[PATH_MAX];
    int n = snprintf(temp, sizeof temp, "%s.tmp-XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof temp)
        return err_set(err, err_size, "%s: path too long", path);
    int fd = mkostemp(temp, O_CLOEXEC);
    if (fd < 0)
        return err_set(err, err_size, "%s: cannot create a file there: %s",
                       path, strerror(errno));
    if (output_write_fd(fd, path, data, len, err, err_size) != 0)
        goto fail;
    if (fsync(fd) != 0) {
        err_set(err, err_size, "%s: fsync failed: %s", path, strerror(errno));
        goto fail;
    }
    if (fchmod(fd, 0644) != 0) {
        err_set(err, err_size, "%s: chmod failed: %s", path, strerror(errno));
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        err_set(err, err_size, "%s: close failed: %s", path, strerror(errno));
        goto fail;
    }
    fd = -1;
    if (rename(temp, path) != 0) {
        err_set(err, err_size, "%s: rename failed: %s", path, strerror(errno));
        goto fail;
    }
    sync_parent_dir(path);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(temp);
    return -1;
}

static void resolve(const char *base_dir, const char *path, char *out,
                    size_t size)
{
    if (path[0] == '/' || !base_dir)
        snprintf(out, size, "%s", path);
    else
        snprintf(out, size, "%s/%s", base_dir, path);
}

static int write_to_dir(const output_target *t, const char *extension,
                        const void *data, size_t len, char *err,
                        size_t err_size)
{
    char dir[PATH_MAX], stamp[64], path[PATH_MAX + 256];
    resolve(t->base_dir, t->output_dir, dir, sizeof dir);
    struct stat st;
    if (stat(dir, &st) != 0)
        return err_set(err, err_size, "%s: output directory: %s", dir,
                       strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return err_set(err, err_size, "%s: output_dir is not a directory", dir);
    clock_format_compact(t->run_started_ms, stamp, sizeof stamp);
    snprintf(path, sizeof path, "%s/%s-%s.%s", dir, t->monitor, stamp,
             extension);
    if (output_write_file(path, data, len, err, err_size) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s-latest.%s", dir, t->monitor, extension);
    return output_write_file(path, data, len, err, err_size);
}

int output_write_report(const output_target *t, const char *extension,
                        const void *data, size_t len, char *err,
                        size_t err_size)
{
    if (!extension || !*extension || strchr(extension, '/') ||
        extension[0] == '.')
        return err_set(err, err_size,
                       "bad extension '%s' (a name without dot or slash)",
                       extension ? extension : "(null)");
    if (t->output_dir && *t->output_dir) {
        if (write_to_dir(t, extension, data, len, err, err_size) != 0)
            return -1;
        if (!t->output_explicit)
            return 0;
    }
    const char *output = t->output ? t->output : "-";
    if (strcmp(output, "-") == 0)
        return output_write_fd(t->stdout_fd, "stdout", data, len, err,
                               err_size);
    char path[PATH_MAX];
    resolve(t->base_dir, output, path, sizeof path);
    return output_write_file(path, data, len, err, err_size);
}

int output_is_terminal(const output_target *t)
{
    if (t->output_dir && *t->output_dir)
        return 0;
    if (t->output && strcmp(t->output, "-") != 0)
        return 0;
    return t->stdout_fd >= 0 && isatty(t->stdout_fd);
}
