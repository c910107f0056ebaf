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
 * file, so the next process lists again.
 *
 * The file lives only for one run on one machine, so it is binary in the
 * machine's byte order: nothing is escaped or formatted while a listing is
 * written (that cost 15% of a local listing as text), and a replay points
 * into its read buffer instead of parsing. Every string is stored with
 * its length and a terminating NUL. A key is stored as the length of the
 * part it shares with the previous key and the rest (keys come sorted, so
 * most of a path is shared): the file is half the size.
 *
 *   "nbaq-listing 2\n" u32 len, identity
 *   'O' object_head, etag, the key past `shared`   one per object
 *   'S' u32 len, "path: reason"                    one per skip
 *   'E' u64 objects                                the end
 */
#include "objstore_internal.h"

#include "textbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#define MAGIC "nbaq-listing 2\n"
#define MAGIC_LEN (sizeof MAGIC - 1)
/* The writer flushes and the reader refills in blocks of this size. */
#define BLOCK (256 * 1024)
/* No record is longer: a longer one means the file is damaged.       */
#define MAX_RECORD (16 * 1024 * 1024)

typedef struct object_head {
    uint64_t size;
    int64_t mtime_ms;
    uint32_t etag_len;
    uint32_t shared;     /* bytes of the previous key it starts with */
    uint32_t suffix_len; /* bytes after them                           */
} object_head;

struct objstore_cache_writer {
    int fd;
    textbuf buf;
    textbuf last_key;
    int failed;
};

/* --- writing ------------------------------------------------------------ */

static void flush_block(objstore_cache_writer *w)
{
    size_t done = 0;
    if (textbuf_failed(&w->buf))
        w->failed = 1;
    while (!w->failed && done < w->buf.len) {
        ssize_t n = write(w->fd, w->buf.data + done, w->buf.len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            w->failed = 1;
        else
            done += (size_t)n;
    }
    textbuf_clear(&w->buf);
}

static void put_string(objstore_cache_writer *w, const char *s, size_t len)
{
    textbuf_append(&w->buf, s, len);
    textbuf_append(&w->buf, "", 1);
}

static int end_record(objstore_cache_writer *w)
{
    if (w->buf.len >= BLOCK)
        flush_block(w);
    return w->failed || textbuf_failed(&w->buf) ? -1 : 0;
}

int objstore_cache_write_object(objstore_cache_writer *w,
                                const nbaq_objstore_object *o)
{
    size_t etag_len = strlen(o->etag), key_len = strlen(o->key);
    size_t shared = 0;
    while (shared < w->last_key.len && shared < key_len &&
           w->last_key.data[shared] == o->key[shared])
        shared++;
    object_head head = {.size = o->size,
                        .mtime_ms = o->mtime_ms,
                        .etag_len = (uint32_t)etag_len,
                        .shared = (uint32_t)shared,
                        .suffix_len = (uint32_t)(key_len - shared)};
    textbuf_append(&w->buf, "O", 1);
    textbuf_append(&w->buf, (const char *)&head, sizeof head);
    put_string(w, o->etag, etag_len);
    put_string(w, o->key + shared, key_len - shared);
    w->last_key.len = shared;
    textbuf_append(&w->last_key, o->key + shared, key_len - shared);
    if (textbuf_failed(&w->last_key))
        w->failed = 1;
    return end_record(w);
}

static void put_counted(objstore_cache_writer *w, const char *kind,
                        const char *s)
{
    uint32_t len = (uint32_t)strlen(s);
    textbuf_append(&w->buf, kind, 1);
    textbuf_append(&w->buf, (const char *)&len, sizeof len);
    put_string(w, s, len);
}

int objstore_cache_write_skip(objstore_cache_writer *w, const char *text)
{
    put_counted(w, "S", text);
    return end_record(w);
}

/* --- replaying ---------------------------------------------------------- */

typedef struct reader {
    int fd;
    char *buf;
    size_t cap, start, end;
    textbuf key; /* the last key replayed */
} reader;

/* Makes n bytes available at r->buf + r->start. 0, or -1 at the end of
 * the file (or on a read error) before n bytes.                          */
static int need(reader *r, size_t n)
{
    if (r->end - r->start >= n)
        return 0;
    if (n > MAX_RECORD)
        return -1;
    memmove(r->buf, r->buf + r->start, r->end - r->start);
    r->end -= r->start;
    r->start = 0;
    if (n > r->cap) {
        size_t cap = n > 2 * r->cap ? n : 2 * r->cap;
        char *grown = realloc(r->buf, cap);
        if (grown == NULL)
            return -1;
        r->buf = grown;
        r->cap = cap;
    }
    while (r->end < n) {
        ssize_t got = read(r->fd, r->buf + r->end, r->cap - r->end);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        r->end += (size_t)got;
    }
    return 0;
}

/* A string of len bytes at p, NUL-terminated as written? */
static int string_at(const char *p, uint32_t len)
{
    return p[len] == '\0' && memchr(p, '\0', len) == NULL;
}

/* Reads a 'S' record's text (at r->start, after the kind byte). */
static const char *read_counted(reader *r)
{
    uint32_t len;
    if (need(r, 1 + sizeof len))
        return NULL;
    memcpy(&len, r->buf + r->start + 1, sizeof len);
    if (need(r, 1 + sizeof len + len + 1))
        return NULL;
    const char *s = r->buf + r->start + 1 + sizeof len;
    if (!string_at(s, len))
        return NULL;
    r->start += 1 + sizeof len + len + 1;
    return s;
}

static int replay_object(reader *r, objstore_listing *l, nbaq_objstore *s,
                         char *err, size_t err_size)
{
    object_head head;
    if (need(r, 1 + sizeof head))
        return -2;
    memcpy(&head, r->buf + r->start + 1, sizeof head);
    size_t total = 1 + sizeof head + (size_t)head.etag_len + 1 +
                   (size_t)head.suffix_len + 1;
    if (head.shared > r->key.len || need(r, total))
        return -2;
    char *etag = r->buf + r->start + 1 + sizeof head;
    const char *suffix = etag + head.etag_len + 1;
    if (!string_at(etag, head.etag_len) || !string_at(suffix, head.suffix_len))
        return -2;
    r->start += total;
    r->key.len = head.shared;
    textbuf_append(&r->key, suffix, head.suffix_len);
    if (textbuf_failed(&r->key))
        return -2;
    if (r->key.data == NULL)
        return -2;                  /* an empty key: never written */
    r->key.data[r->key.len] = '\0'; /* also when nothing was appended */
    const char *key = r->key.data;
    size_t plen = strlen(s->prefix);
    nbaq_objstore_object o = {
        .size = head.size, .mtime_ms = head.mtime_ms, .etag = etag, .key = key};
    o.name = strncmp(key, s->prefix, plen) == 0 ? key + plen : key;
    return objstore_emit(l, &o, err, err_size);
}

static int replay_skip(reader *r, objstore_listing *l)
{
    const char *text = read_counted(r);
    if (text == NULL)
        return -2;
    const char *colon = strstr(text, ": ");
    if (colon == NULL) {
        objstore_skip(l, text, "not listed");
        return 0;
    }
    char path[sizeof l->info->first_skipped];
    snprintf(path, sizeof path, "%.*s", (int)(colon - text), text);
    objstore_skip(l, path, colon + 2);
    return 0;
}

/* One record at r->start: 0 to go on, 1 at the end record, -2 when the
 * file is damaged, or the listing's own failure.                          */
static int replay_record(reader *r, objstore_listing *l, nbaq_objstore *s,
                         char *err, size_t err_size)
{
    if (need(r, 1))
        return -2;
    switch (r->buf[r->start]) {
    case 'O':
        return replay_object(r, l, s, err, err_size);
    case 'S':
        return replay_skip(r, l);
    case 'E':
        if (need(r, 1 + sizeof(uint64_t)))
            return -2;
        r->start += 1 + sizeof(uint64_t);
        return 1;
    default:
        return -2;
    }
}

/* Does the file at r start with this store's header? */
static int header_matches(reader *r, const nbaq_objstore *s)
{
    if (need(r, MAGIC_LEN) || memcmp(r->buf, MAGIC, MAGIC_LEN) != 0)
        return 0;
    /* the magic's final '\n' stands as the identity record's kind byte */
    r->start = MAGIC_LEN - 1;
    const char *identity = read_counted(r);
    return identity != NULL && strcmp(identity, s->identity) == 0;
}

/* Replays path if it holds this store's listing. Returns 1 when it did
 * (the listing's outcome in *rc), 0 when there is nothing to replay.    */
static int replay(nbaq_objstore *s, objstore_listing *l, const char *path,
                  int *rc, char *err, size_t err_size)
{
    reader r = {.fd = open(path, O_RDONLY | O_CLOEXEC), .cap = BLOCK};
    int result = 0;

    if (r.fd < 0)
        return 0;
    textbuf_init(&r.key);
    r.buf = malloc(r.cap);
    if (r.buf == NULL || !header_matches(&r, s)) {
        free(r.buf);
        close(r.fd);
        return 0; /* another location with the same hash: list anew */
    }
    l->info->from_cache = 1;
    while (result == 0)
        result = replay_record(&r, l, s, err, err_size);
    if (result == -2)
        result = objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                               "listing cache %s is damaged", path);
    else if (result == 1)
        result = 0;
    free(r.buf);
    textbuf_free(&r.key);
    close(r.fd);
    *rc = result;
    return 1;
}

/* --- listing through the cache ------------------------------------------ */

static int list_and_write(nbaq_objstore *s, objstore_listing *l,
                          objstore_list_fn list, const char *path, char *err,
                          size_t err_size)
{
    char tmp[4200];
    objstore_cache_writer w = {0};
    int rc;

    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (w.fd < 0) /* the cache only saves work: list without it       */
        return list(s, l, err, err_size);
    textbuf_init(&w.buf);
    textbuf_init(&w.last_key);
    /* the magic's final '\n' stands as the identity record's kind byte */
    textbuf_append(&w.buf, MAGIC, MAGIC_LEN - 1);
    put_counted(&w, "\n", s->identity);
    l->cache = &w;
    rc = list(s, l, err, err_size);
    l->cache = NULL;
    if (rc == 0) {
        uint64_t objects = l->info->objects;
        textbuf_append(&w.buf, "E", 1);
        textbuf_append(&w.buf, (const char *)&objects, sizeof objects);
    }
    flush_block(&w);
    textbuf_free(&w.buf);
    textbuf_free(&w.last_key);
    if (close(w.fd) != 0)
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
