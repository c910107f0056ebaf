/*
 * The per-run listing cache. Checks of one run run in separate processes,
 * so a listing is shared through a file in the run's cache directory:
 *
 *   objstore-<hash>.lock   flock()ed while one process lists
 *   objstore-<hash>.list   the complete listing, renamed into place
 *
 * The first process to take the lock lists and writes the file beside
 * the stream to its own callback; a process that takes the lock later
 * finds the file and replays it. A failed or stopped listing leaves no
 * file, so the next process lists again. The file is line-based text:
 *
 *   nbaq-listing 1 <TAB> identity
 *   O <TAB> size <TAB> mtime_ms <TAB> etag <TAB> key      one per object
 *   S <TAB> "path: reason"                                one per skip
 *   E <TAB> objects                                       the end
 *
 * with backslash, tab, CR and LF in strings escaped as \\ \t \r \n.
 */
#include "objstore_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define MAGIC "nbaq-listing 1"

struct objstore_cache_writer {
    FILE *f;
    int failed;
};

static void put_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\':
            fputs("\\\\", f);
            break;
        case '\t':
            fputs("\\t", f);
            break;
        case '\n':
            fputs("\\n", f);
            break;
        case '\r':
            fputs("\\r", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

/* Undoes put_escaped in place; returns -1 on a stray backslash.        */
static int unescape(char *s)
{
    char *out = s;
    for (; *s; s++) {
        if (*s != '\\') {
            *out++ = *s;
            continue;
        }
        s++;
        switch (*s) {
        case '\\':
            *out++ = '\\';
            break;
        case 't':
            *out++ = '\t';
            break;
        case 'n':
            *out++ = '\n';
            break;
        case 'r':
            *out++ = '\r';
            break;
        default:
            return -1;
        }
    }
    *out = '\0';
    return 0;
}

int objstore_cache_write_object(objstore_cache_writer *w,
                                const nbaq_objstore_object *o)
{
    fprintf(w->f, "O\t%" PRIu64 "\t%" PRId64 "\t", o->size, o->mtime_ms);
    put_escaped(w->f, o->etag);
    fputc('\t', w->f);
    put_escaped(w->f, o->key);
    if (fputc('\n', w->f) == EOF)
        w->failed = 1;
    return w->failed ? -1 : 0;
}

int objstore_cache_write_skip(objstore_cache_writer *w, const char *text)
{
    fputs("S\t", w->f);
    put_escaped(w->f, text);
    if (fputc('\n', w->f) == EOF)
        w->failed = 1;
    return w->failed ? -1 : 0;
}

/* Splits line at tabs into at most max fields; returns the count.       */
static size_t split_tabs(char *line, char **fields, size_t max)
{
    size_t n = 0;
    fields[n++] = line;
    for (char *p = line; *p && n < max; p++)
        if (*p == '\t') {
            *p = '\0';
            fields[n++] = p + 1;
        }
    return n;
}

static int replay_record(objstore_listing *l, nbaq_objstore *s, char *line,
                         int *ended, char *err, size_t err_size)
{
    char *f[5];
    size_t n = split_tabs(line, f, 5);
    size_t plen = strlen(s->prefix);

    if (strcmp(f[0], "O") == 0 && n == 5) {
        nbaq_objstore_object o = {0};
        char *end1, *end2;
        o.size = strtoull(f[1], &end1, 10);
        o.mtime_ms = strtoll(f[2], &end2, 10);
        if (*end1 || *end2 || unescape(f[3]) || unescape(f[4]))
            return -2;
        o.etag = f[3];
        o.key = f[4];
        o.name = strncmp(o.key, s->prefix, plen) == 0 ? o.key + plen : o.key;
        return objstore_emit(l, &o, err, err_size);
    }
    if (strcmp(f[0], "S") == 0 && n == 2 && unescape(f[1]) == 0) {
        char *colon = strstr(f[1], ": ");
        if (colon != NULL) {
            *colon = '\0';
            objstore_skip(l, f[1], colon + 2);
        } else {
            objstore_skip(l, f[1], "not listed");
        }
        return 0;
    }
    if (strcmp(f[0], "E") == 0 && n == 2) {
        *ended = 1;
        return 0;
    }
    return -2;
}

/* Replays path if it holds this store's listing. Returns 1 when it did
 * (the listing's outcome in *rc), 0 when there is nothing to replay.    */
static int replay(nbaq_objstore *s, objstore_listing *l, const char *path,
                  int *rc, char *err, size_t err_size)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int ended = 0, result = 0;

    if (f == NULL)
        return 0;
    len = getline(&line, &cap, f);
    if (len <= 0 || line[len - 1] != '\n' ||
        strncmp(line, MAGIC "\t", sizeof MAGIC) != 0) {
        free(line);
        fclose(f);
        return 0;
    }
    line[len - 1] = '\0';
    if (unescape(line + sizeof MAGIC) != 0 ||
        strcmp(line + sizeof MAGIC, s->identity) != 0) {
        free(line);
        fclose(f);
        return 0; /* another location with the same hash: list anew */
    }
    l->info->from_cache = 1;
    while (!ended && result == 0 && (len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') {
            result = -2;
            break;
        }
        line[len - 1] = '\0';
        result = replay_record(l, s, line, &ended, err, err_size);
    }
    if (result == -2 || (result == 0 && !ended))
        result = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                               "listing cache %s is damaged", path);
    free(line);
    fclose(f);
    *rc = result;
    return 1;
}

static int list_and_write(nbaq_objstore *s, objstore_listing *l,
                          objstore_list_fn list, const char *path, char *err,
                          size_t err_size)
{
    char tmp[4200];
    objstore_cache_writer w = {0};
    int rc;

    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    w.f = fopen(tmp, "w");
    if (w.f == NULL) /* the cache only saves work: list without it    */
        return list(s, l, err, err_size);
    fputs(MAGIC "\t", w.f);
    put_escaped(w.f, s->identity);
    fputc('\n', w.f);
    l->cache = &w;
    rc = list(s, l, err, err_size);
    l->cache = NULL;
    if (rc == 0)
        fprintf(w.f, "E\t%" PRIu64 "\n", l->info->objects);
    if (fclose(w.f) != 0)
        w.failed = 1;
    if (rc != 0 || w.failed || rename(tmp, path) != 0)
        unlink(tmp);
    return rc;
}

int objstore_cache_list(nbaq_objstore *s, objstore_listing *l,
                        objstore_list_fn list, char *err, size_t err_size)
{
    char base[4096], path[4150], lock_path[4150];
    int lock_fd, rc = 0;

    snprintf(
        base, sizeof base, "%s/objstore-%016llx", s->cache_dir,
        (unsigned long long)objstore_fnv1a(s->identity, strlen(s->identity)));
    snprintf(path, sizeof path, "%s.list", base);
    snprintf(lock_path, sizeof lock_path, "%s.lock", base);
    lock_fd = open(lock_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (lock_fd < 0)
        return list(s, l, err, err_size);
    while (flock(lock_fd, LOCK_EX) != 0 && errno == EINTR)
        ;
    if (access(path, F_OK) == 0) {
        /* Complete by construction (renamed into place): no lock needed. */
        flock(lock_fd, LOCK_UN);
        close(lock_fd);
        if (replay(s, l, path, &rc, err, err_size))
            return rc;
        memset(l->info, 0, sizeof *l->info);
        return list(s, l, err, err_size);
    }
    rc = list_and_write(s, l, list, path, err, err_size);
    flock(lock_fd, LOCK_UN);
    close(lock_fd);
    return rc;
}
