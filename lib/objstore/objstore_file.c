/*
 * The local-directory backend. Keys are paths relative to the root with
 * '/' between parts. Each directory is read whole and sorted with
 * directories compared as "name/", which yields the byte order of the
 * full keys, as S3 lists them. Memory is bounded by the largest single
 * directory, not by the tree.
 */
#include "objstore_internal.h"
#include "objstore_sort.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256
#define READ_CHUNK (64 * 1024)

int objstore_file_open(nbaq_objstore *s, const char *path, char *err,
                       size_t err_size)
{
    char cwd[4096];
    size_t len = strlen(path);

    while (len > 1 && path[len - 1] == '/')
        len--;
    if (len == 0) {
        snprintf(err, err_size, "url: no directory given");
        return -1;
    }
    if (path[0] == '/') {
        s->root = strndup(path, len);
    } else if (getcwd(cwd, sizeof cwd) != NULL) {
        /* Relative to the working directory (objstore_options resolves
         * a configured url against the config file first).              */
        size_t n = strlen(cwd) + len + 2;
        s->root = malloc(n);
        if (s->root != NULL)
            snprintf(s->root, n, "%s/%.*s", cwd, (int)len, path);
        len = s->root ? strlen(s->root) : 0;
    } else {
        snprintf(err, err_size,
                 "url %.200s: cannot resolve a relative path: %s", path,
                 strerror(errno));
        return -1;
    }
    s->prefix = strdup("");
    s->location = malloc(len + 8);
    s->identity = malloc(len + 8);
    if (s->root == NULL || s->prefix == NULL || s->location == NULL ||
        s->identity == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    sprintf(s->location, "file://%s", s->root);
    sprintf(s->identity, "file %s", s->root);
    return 0;
}

typedef struct entry {
    const char *name;
    size_t name_len;
    int is_dir;
    uint64_t size;
    int64_t mtime_ms;
} entry;

typedef struct walk {
    nbaq_objstore *store;
    objstore_listing *listing;
    char *key; /* relative path being built */
    size_t key_cap;
    char *err;
    size_t err_size;
} walk;

static int set_key(walk *w, size_t base, const char *name, size_t len)
{
    if (base + len + 2 > w->key_cap) {
        size_t cap = (base + len + 2) * 2;
        char *grown = realloc(w->key, cap);
        if (grown == NULL)
            return -1;
        w->key = grown;
        w->key_cap = cap;
    }
    memcpy(w->key + base, name, len);
    w->key[base + len] = '\0';
    return 0;
}

static void skip_entry(walk *w, size_t base, const char *name,
                       const char *reason)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%.*s%s", w->store->root, (int)base, w->key,
             name);
    objstore_skip(w->listing, path, reason);
}

/* stat()s one entry; symbolic links to files are followed, to
 * directories not (no loops). Returns 0 to keep it, -1 to skip it.     */
static int describe_entry(walk *w, int dirfd, size_t base, entry *e)
{
    struct stat st;

    if (fstatat(dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        skip_entry(w, base, e->name, strerror(errno));
        return -1;
    }
    if (S_ISLNK(st.st_mode)) {
        if (fstatat(dirfd, e->name, &st, 0) != 0) {
            skip_entry(w, base, e->name, strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            skip_entry(w, base, e->name,
                       "symbolic link to a directory, not followed");
            return -1;
        }
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
        skip_entry(w, base, e->name,
                   S_ISFIFO(st.st_mode)   ? "a fifo, not a regular file"
                   : S_ISSOCK(st.st_mode) ? "a socket, not a regular file"
                                          : "a device, not a regular file");
        return -1;
    }
    e->is_dir = S_ISDIR(st.st_mode);
    e->size = (uint64_t)st.st_size;
    e->mtime_ms =
        (int64_t)st.st_mtim.tv_sec * 1000 + st.st_mtim.tv_nsec / 1000000;
    return 0;
}

/* The entries of one directory, their names in one block (no allocation
 * per entry): while reading, entry.name holds an offset into names.     */
typedef struct dir_entries {
    entry *items;
    size_t count, cap;
    char *names;
    size_t names_len, names_cap;
} dir_entries;

static void dir_entries_free(dir_entries *d)
{
    free(d->items);
    free(d->names);
}

/* Appends e (its name not yet stored) with the name `name`. */
static int dir_entries_add(dir_entries *d, entry e, const char *name)
{
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 64;
        entry *grown = realloc(d->items, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        d->items = grown;
        d->cap = cap;
    }
    size_t stored = e.name_len + 2; /* room for a directory's '/' */
    if (d->names_len + stored > d->names_cap) {
        size_t cap = (d->names_len + stored) * 2;
        char *grown = realloc(d->names, cap);
        if (grown == NULL)
            return -1;
        d->names = grown;
        d->names_cap = cap;
    }
    char *copy = d->names + d->names_len;
    memcpy(copy, name, e.name_len);
    copy[e.name_len] = e.is_dir ? '/' : '\0';
    copy[e.name_len + 1] = '\0';
    e.name = (char *)(uintptr_t)d->names_len;
    d->names_len += stored;
    d->items[d->count++] = e;
    return 0;
}

/* Points the entries' names into the name block and puts the entries in
 * key order. While they are sorted, a subdirectory's name ends in '/', so
 * that the byte order of the names is that of the full keys ("a" <
 * "a/..." < "a0"). 0, or -1 when memory is out.                        */
static int sort_entries(dir_entries *d)
{
    const char **names = malloc(d->count * sizeof *names + 1);
    uint32_t *order = malloc(d->count * sizeof *order + 1);
    entry *sorted = malloc(d->count * sizeof *sorted + 1);
    int rc = names && order && sorted ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < d->count; i++)
        names[i] = d->items[i].name = d->names + (uintptr_t)d->items[i].name;
    if (rc == 0)
        rc = objstore_sort_names(names, d->count, order);
    for (size_t i = 0; rc == 0 && i < d->count; i++)
        sorted[i] = d->items[order[i]];
    if (rc == 0) {
        free(d->items);
        d->items = sorted;
        d->cap = d->count;
        sorted = NULL;
    }
    free(names);
    free(order);
    free(sorted);
    return rc;
}

/* Reads and describes the entries of an open directory (takes fd), and
 * sorts them into key order.                                          */
static int read_entries(walk *w, int fd, size_t base, dir_entries *out)
{
    DIR *dir = fdopendir(fd);
    struct dirent *d;

    memset(out, 0, sizeof *out);
    if (dir == NULL) {
        close(fd);
        return -1;
    }
    errno = 0;
    while ((d = readdir(dir)) != NULL) {
        const char *name = d->d_name;
        if (name[0] == '.' &&
            (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
            continue;
        entry e = {.name = d->d_name, .name_len = strlen(name)};
        /* a directory needs no stat(): only files have a size and time */
        if (d->d_type == DT_DIR)
            e.is_dir = 1;
        else if (describe_entry(w, dirfd(dir), base, &e) != 0)
            continue;
        if (dir_entries_add(out, e, name) != 0) {
            closedir(dir);
            dir_entries_free(out);
            return -1;
        }
    }
    closedir(dir);
    if (sort_entries(out) != 0) {
        dir_entries_free(out);
        return -1;
    }
    for (size_t i = 0; i < out->count; i++) /* drop the sorting '/' */
        out->names[out->items[i].name - out->names + out->items[i].name_len] =
            '\0';
    return 0;
}

static int walk_dir(walk *w, int fd, size_t base, int depth);

static int visit(walk *w, int dirfd, size_t base, const entry *e, int depth)
{
    if (set_key(w, base, e->name, e->name_len) != 0)
        return objstore_fail(w->listing->info, NBAQ_OBJSTORE_ERR_IO, w->err,
                             w->err_size, "out of memory");
    if (!e->is_dir) {
        nbaq_objstore_object o = {.key = w->key,
                                  .name = w->key,
                                  .size = e->size,
                                  .mtime_ms = e->mtime_ms,
                                  .etag = ""};
        return objstore_emit(w->listing, &o, w->err, w->err_size);
    }
    if (depth >= MAX_DEPTH) {
        skip_entry(w, base, e->name, "directories nested too deep");
        return 0;
    }
    int fd = openat(dirfd, e->name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        skip_entry(w, base, e->name, strerror(errno));
        return 0;
    }
    w->key[base + e->name_len] = '/';
    return walk_dir(w, fd, base + e->name_len + 1, depth + 1);
}

/* Lists the directory open as fd (taken) whose key prefix is
 * w->key[0..base).                                                     */
static int walk_dir(walk *w, int fd, size_t base, int depth)
{
    dir_entries entries;
    int rc = 0;
    int keep = dup(fd);

    if (keep < 0 || read_entries(w, fd, base, &entries) != 0) {
        if (keep >= 0)
            close(keep);
        else
            close(fd);
        if (set_key(w, base, "", 0) == 0) {
            char path[1024];
            snprintf(path, sizeof path, "%s/%s", w->store->root, w->key);
            objstore_skip(w->listing, path, strerror(errno));
        }
        return 0;
    }
    w->listing->info->pages++;
    for (size_t i = 0; i < entries.count && rc == 0; i++)
        rc = visit(w, keep, base, &entries.items[i], depth);
    close(keep);
    dir_entries_free(&entries);
    return rc;
}

int objstore_file_list(nbaq_objstore *s, objstore_listing *l, char *err,
                       size_t err_size)
{
    walk w = {.store = s, .listing = l, .err = err, .err_size = err_size};
    int fd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc;

    if (fd < 0) {
        int e = errno;
        nbaq_objstore_errkind kind = e == ENOENT ? NBAQ_OBJSTORE_ERR_NOT_FOUND
                                     : e == EACCES || e == EPERM
                                         ? NBAQ_OBJSTORE_ERR_DENIED
                                     : e == ENOTDIR ? NBAQ_OBJSTORE_ERR_CONFIG
                                                    : NBAQ_OBJSTORE_ERR_IO;
        return objstore_fail(
            l->info, kind, err, err_size, "listing %s: %s", s->location,
            e == ENOENT ? "directory does not exist" : strerror(e));
    }
    if (set_key(&w, 0, "", 0) != 0) {
        close(fd);
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "out of memory");
    }
    rc = walk_dir(&w, fd, 0, 0);
    free(w.key);
    return rc;
}

/* --- reading files ------------------------------------------------------ */

static int key_is_safe(const char *key)
{
    const char *p = key;
    if (key[0] == '\0' || key[0] == '/')
        return 0;
    while (*p) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        if ((len == 2 && p[0] == '.' && p[1] == '.') ||
            (len == 1 && p[0] == '.'))
            return 0;
        p += len + (slash ? 1 : 0);
    }
    return 1;
}

static nbaq_objstore_errkind kind_of_errno(int e)
{
    if (e == ENOENT || e == ENOTDIR)
        return NBAQ_OBJSTORE_ERR_NOT_FOUND;
    if (e == EACCES || e == EPERM)
        return NBAQ_OBJSTORE_ERR_DENIED;
    return NBAQ_OBJSTORE_ERR_IO;
}

static void read_one(nbaq_objstore *s, const char *key, size_t index,
                     uint64_t max_bytes, const nbaq_objstore_get_callbacks *cb,
                     char *buf)
{
    char message[1200] = "";
    nbaq_objstore_get_result r = {.key = key, .message = message, .size = -1};
    struct stat st;
    int fd = -1;

    if (!key_is_safe(key)) {
        r.error = NBAQ_OBJSTORE_ERR_CONFIG;
        snprintf(message, sizeof message, "%s/%s: not a key of this directory",
                 s->location, key);
        goto done;
    }
    snprintf(message, sizeof message, "%s/%s", s->root, key);
    fd = open(message, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        int e = errno;
        r.error = kind_of_errno(e);
        snprintf(message, sizeof message, "%s/%s: %s", s->location, key,
                 strerror(e));
        goto done;
    }
    message[0] = '\0';
    r.size = (int64_t)st.st_size;
    if (max_bytes > 0 && (uint64_t)st.st_size > max_bytes) {
        r.error = NBAQ_OBJSTORE_ERR_TOO_LARGE;
        snprintf(message, sizeof message,
                 "%s/%s: %lld bytes, over the cap of "
                 "%llu",
                 s->location, key, (long long)st.st_size,
                 (unsigned long long)max_bytes);
        goto done;
    }
    for (;;) {
        ssize_t got = read(fd, buf, READ_CHUNK);
        if (got < 0) {
            r.error = kind_of_errno(errno);
            snprintf(message, sizeof message, "%s/%s: %s", s->location, key,
                     strerror(errno));
            break;
        }
        if (got == 0)
            break;
        size_t take = (size_t)got;
        if (max_bytes > 0 && r.bytes + take > max_bytes) {
            take = (size_t)(max_bytes - r.bytes);
            r.error = NBAQ_OBJSTORE_ERR_TOO_LARGE; /* grew while read */
            snprintf(message, sizeof message,
                     "%s/%s: larger than the cap of %llu bytes", s->location,
                     key, (unsigned long long)max_bytes);
        }
        if (take > 0 && cb->on_data != NULL &&
            cb->on_data(cb->user, index, buf, take) != 0) {
            r.error = NBAQ_OBJSTORE_ERR_ABORTED;
            snprintf(message, sizeof message,
                     "%s/%s: reading stopped by the checker", s->location, key);
            break;
        }
        r.bytes += take;
        if (r.error != NBAQ_OBJSTORE_OK)
            break;
    }
done:
    if (fd >= 0)
        close(fd);
    if (cb->on_done != NULL)
        cb->on_done(cb->user, index, &r);
}

int objstore_file_get_many(nbaq_objstore *s, const char *const *keys,
                           size_t count, uint64_t max_bytes,
                           const nbaq_objstore_get_callbacks *cb, char *err,
                           size_t err_size)
{
    char *buf = malloc(READ_CHUNK);

    if (buf == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        read_one(s, keys[i], i, max_bytes, cb, buf);
    free(buf);
    return 0;
}
