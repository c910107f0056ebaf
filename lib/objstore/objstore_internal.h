/*
 * objstore_internal.h - what the backends and the listing cache share.
 * Private to lib/objstore.
 */
#ifndef NBAQ_OBJSTORE_INTERNAL_H
#define NBAQ_OBJSTORE_INTERNAL_H

#include "awscreds.h"
#include "http.h"
#include "objstore.h"

typedef enum objstore_backend {
    OBJSTORE_S3 = 1,
    OBJSTORE_FILE
} objstore_backend;

struct nbaq_objstore {
    objstore_backend backend;
    nbaq_objstore_config cfg; /* numbers; strings below are the copies */
    char *location;           /* for messages                          */
    char *prefix;             /* listing prefix, "" for all            */
    char *cache_dir;          /* NULL: no listing cache                */
    char *identity;           /* what a cached listing must match      */

    /* S3 */
    char *bucket;
    char *region;
    char *bucket_url; /* "https://b.s3.r.amazonaws.com" or "http://h/b"  */
    char *ca_file;    /* CAs to trust instead of the system's; or NULL   */
    nbaq_aws_credentials creds; /* owned, wiped on close; none: unsigned */
    nbaq_http_sigv4 sigv4;      /* points into creds; used iff found     */
    int signed_requests;
    nbaq_http_client *http;   /* created on first use                    */
    nbaq_objstore *inventory; /* the inventory's location, or NULL       */

    /* file */
    char *root; /* absolute directory, no trailing '/'                   */
};

/* One listing in progress: where objects go, what is counted, and the
 * cache file being written alongside (or NULL).                         */
typedef struct objstore_cache_writer objstore_cache_writer;
typedef struct objstore_listing {
    nbaq_objstore_object_fn on_object;
    void *user;
    nbaq_objstore_list_info *info;
    objstore_cache_writer *cache;
} objstore_listing;

/* Passes one object on (and into the cache). Non-zero: stop listing;
 * info->error and err are then set.                                     */
int objstore_emit(objstore_listing *l, const nbaq_objstore_object *o, char *err,
                  size_t err_size);
/* Records an entry that could not be listed.                            */
void objstore_skip(objstore_listing *l, const char *path, const char *reason);

/* 64-bit FNV-1a of data[0..len): cache file names, identities, tables. */
uint64_t objstore_fnv1a(const void *data, size_t len);

/* Fills info->error and err (printf-style), returns -1.                  */
int objstore_fail(nbaq_objstore_list_info *info, nbaq_objstore_errkind kind,
                  char *err, size_t err_size, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Backends. */
int objstore_s3_open(nbaq_objstore *s, char *err, size_t err_size);
int objstore_s3_list(nbaq_objstore *s, objstore_listing *l, char *err,
                     size_t err_size);
int objstore_s3_get_many(nbaq_objstore *s, const char *const *keys,
                         size_t count, uint64_t max_bytes,
                         const nbaq_objstore_get_callbacks *cb, char *err,
                         size_t err_size);
int objstore_file_open(nbaq_objstore *s, const char *path, char *err,
                       size_t err_size);
int objstore_file_list(nbaq_objstore *s, objstore_listing *l, char *err,
                       size_t err_size);
int objstore_file_get_many(nbaq_objstore *s, const char *const *keys,
                           size_t count, uint64_t max_bytes,
                           const nbaq_objstore_get_callbacks *cb, char *err,
                           size_t err_size);

typedef struct s3_page s3_page;
/* Shared by the S3 listers (objstore_s3.c, objstore_s3_parallel.c).    */
int s3_ensure_client(nbaq_objstore *s, char *err, size_t err_size);
void s3_base_request(const nbaq_objstore *s, nbaq_http_request *req);
nbaq_objstore_errkind s3_failure_kind(nbaq_http_failure f);
/* Judges a non-2xx status; fills err about `what`.                      */
nbaq_objstore_errkind s3_judge_status(const nbaq_objstore *s,
                                      const nbaq_http_response *resp,
                                      const char *what, char *err,
                                      size_t err_size);
/* ListObjectsV2 URL of prefix; delimiter NULL or "/"; token NULL: first */
char *s3_list_url(const nbaq_objstore *s, const char *prefix,
                  const char *delimiter, const char *token);
/* One page of the store's prefix, retried from its start when it broke
 * off mid-body; counts the request in l->info->pages.                   */
int s3_fetch_page(nbaq_objstore *s, objstore_listing *l, s3_page *page,
                  const char *delimiter, const char *token, char *err,
                  size_t err_size);
/* Lists the store's prefix page after page (delimiter NULL or "/"),
 * passing each page's objects on, then the page to on_page (may be
 * NULL; non-zero stops, with err filled). Bounded by max_pages.        */
typedef int (*s3_page_fn)(void *user, const s3_page *page, char *err,
                          size_t err_size);
int s3_list_pages(nbaq_objstore *s, objstore_listing *l, const char *delimiter,
                  s3_page_fn on_page, void *user, char *err, size_t err_size);
/* Passes a parsed page's objects on, named past the store's prefix.     */
int s3_emit_page(nbaq_objstore *s, objstore_listing *l, const s3_page *page,
                 char *err, size_t err_size);
/* An nbaq_http sink that feeds a page parser.                           */
typedef struct s3_page_feed_state {
    s3_page *page;
    int bad_xml;
} s3_page_feed_state;
int s3_feed_page(void *user, const void *data, size_t len);
/* Prefix-parallel listing (objstore_s3_parallel.c), config.connections
 * at once; and listing from an S3 Inventory (objstore_s3_inventory.c).  */
int objstore_s3_list_parallel(nbaq_objstore *s, objstore_listing *l, char *err,
                              size_t err_size);
int objstore_inventory_open(nbaq_objstore *s, const char *inventory_url,
                            char *err, size_t err_size);
int objstore_inventory_list(nbaq_objstore *s, objstore_listing *l, char *err,
                            size_t err_size);

/* The listing cache: runs the listing through `list` unless a complete
 * cached copy exists, in which case it replays that.                    */
typedef int (*objstore_list_fn)(nbaq_objstore *s, objstore_listing *l,
                                char *err, size_t err_size);
int objstore_cache_list(nbaq_objstore *s, objstore_listing *l,
                        objstore_list_fn list, char *err, size_t err_size);
int objstore_cache_write_object(objstore_cache_writer *w,
                                const nbaq_objstore_object *o);
int objstore_cache_write_skip(objstore_cache_writer *w, const char *text);

/* ListObjectsV2 page parser (expat). Objects of a page are kept until
 * the page has parsed completely, so that a failed page passes nothing. */
typedef struct s3_page s3_page;
s3_page *s3_page_new(void);
void s3_page_free(s3_page *p);
/* Starts a page; prefix_len is where each object's name begins.          */
int s3_page_begin(s3_page *p);
int s3_page_feed(s3_page *p, const void *data, size_t len);
/* Ends the page: 0, or -1 with err (malformed or truncated XML).          */
int s3_page_end(s3_page *p, char *err, size_t err_size);
size_t s3_page_count(const s3_page *p);
/* Object i of the page; key/etag valid until the next begin or free.    */
void s3_page_object(const s3_page *p, size_t i, nbaq_objstore_object *o);
/* CommonPrefixes of a delimiter listing; valid like objects' keys.   */
size_t s3_page_prefix_count(const s3_page *p);
const char *s3_page_prefix(const s3_page *p, size_t i);
int s3_page_is_truncated(const s3_page *p);
const char *s3_page_next_token(const s3_page *p); /* NULL: none           */
/* Code and Message of an S3 <Error> document; "" when absent.           */
void s3_error_parse(const char *xml, size_t len, char *code, size_t code_size,
                    char *message, size_t message_size);
/* "2024-01-02T03:04:05.678Z" (or +00:00) -> epoch ms; -1 when not that
 * form or not a day of the calendar (isotime.h).                        */
int64_t s3_parse_time(const char *text);

#endif /* NBAQ_OBJSTORE_INTERNAL_H */
