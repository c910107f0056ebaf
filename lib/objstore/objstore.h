/*
 * objstore.h - the object-store client the object checkers share.
 *
 * Two backends behind one interface:
 *   s3://bucket[/prefix]   AWS S3 and S3-compatible servers (MinIO, Ceph,
 *                          s3rver): ListObjectsV2 and GET over libcurl,
 *                          signed with SigV4 (lib/http).
 *   file:///dir, /dir      a local directory tree; keys are paths relative
 *   dir                    to the directory, with '/' between parts, and
 *                          the listing prefix is "". A relative path is
 *                          taken from the working directory (the options
 *                          helper first resolves it against the config).
 *
 * The model, in one paragraph
 *   nbaq_objstore_open() copies a configuration into an opaque store.
 *   nbaq_objstore_list() streams every object under the store's prefix to
 *   a callback, one object at a time: nothing of the listing is kept in
 *   memory beyond one page (S3) or one directory (file), so memory does not
 *   grow with the bucket. nbaq_objstore_get_many() fetches a set of
 *   objects (a sample) concurrently and streams each body to a callback in
 *   chunks. Callbacks are called in the caller's thread, from inside
 *   these functions only, never later (a prefix-parallel listing makes its
 *   requests and parses part of its pages in threads of its own, which
 *   end before it returns).
 *
 * Listing cache
 *   With config.cache_dir set (a check passes api->run_cache_dir(ctx)),
 *   the first listing of a location in a run is written to a file there
 *   while it streams, and later listings of the same location (same
 *   endpoint, bucket and prefix, same access key) in the same run - in
 *   this process or in another check's process - replay that file instead
 *   of asking the server. Two processes listing at once take turns on a
 *   lock file: the second waits, then replays. A listing that failed or
 *   was stopped by its callback leaves no cache behind.
 *
 * Ownership
 *   - nbaq_objstore_config: every string is copied by open(); the caller's
 *     struct may go away right after.
 *   - nbaq_objstore *: allocated by open(), freed by close(); the caller
 *     owns it. Not thread-safe: one thread at a time.
 *   - nbaq_objstore_object and nbaq_objstore_get_result passed to
 *     callbacks, and every string in them, belong to the store and are
 *     valid only during that callback: copy what you keep (a reservoir
 *     sample copies the key).
 *   - data passed to on_data is valid only during that call.
 *   - Strings returned by nbaq_objstore_location()/prefix() live until
 *     close().
 *   - Error text goes to the caller's buffer (err, err_size), one line,
 *     naming the bucket/object or path; never a credential.
 *
 * Errors
 *   Functions return 0 on success and -1 on failure with err filled; the
 *   kind of failure is in the info/result struct (nbaq_objstore_errkind),
 *   so that a checker can word its status without parsing text.
 */
#ifndef NBAQ_OBJSTORE_H
#define NBAQ_OBJSTORE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum nbaq_objstore_errkind {
    NBAQ_OBJSTORE_OK = 0,
    NBAQ_OBJSTORE_ERR_CONFIG,    /* bad URL or option; missing credentials */
    NBAQ_OBJSTORE_ERR_NETWORK,   /* refused, DNS, TLS, timeout, reset       */
    NBAQ_OBJSTORE_ERR_DENIED,    /* HTTP 401/403, EACCES/EPERM              */
    NBAQ_OBJSTORE_ERR_NOT_FOUND, /* bucket, directory or object missing     */
    NBAQ_OBJSTORE_ERR_PROTOCOL,  /* malformed/truncated XML, odd status     */
    NBAQ_OBJSTORE_ERR_LIMIT,     /* listing exceeded config.max_pages       */
    NBAQ_OBJSTORE_ERR_TOO_LARGE, /* object larger than the byte cap         */
    NBAQ_OBJSTORE_ERR_IO,        /* local read error, cache file error      */
    NBAQ_OBJSTORE_ERR_SERVER,    /* HTTP 5xx/429 after every retry          */
    NBAQ_OBJSTORE_ERR_ABORTED    /* a callback returned non-zero            */
} nbaq_objstore_errkind;

/* A short lowercase word for the kind ("network", "denied", ...); static. */
const char *nbaq_objstore_errkind_name(nbaq_objstore_errkind kind);

/* Configuration. Zero/NULL fields take the default in brackets. */
typedef struct nbaq_objstore_config {
    const char *url; /* required: s3://bucket[/prefix], file:///dir, dir   */

    /* --- S3 only -------------------------------------------------------- */
    const char *region;   /* [AWS_REGION, AWS_DEFAULT_REGION, us-east-1]   */
    const char *endpoint; /* "http://127.0.0.1:4568" [AWS for the region]  */
    int path_style;       /* 1: endpoint/bucket/key; -1: bucket.endpoint/key;
                             [0]: path style iff endpoint is set            */
    /* Credentials, first found wins: these three fields; AWS_ACCESS_KEY_ID,
     * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN; the profile (profile field,
     * else AWS_PROFILE, else "default") of the shared credentials file
     * (credentials_file, else AWS_SHARED_CREDENTIALS_FILE, else
     * ~/.aws/credentials). None found: requests go unsigned.              */
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    const char *profile;
    const char *credentials_file;
    /* PEM file of the CAs to trust for an https:// endpoint with a private
     * CA, instead of the system's bundle [NULL: the system's].         */
    const char *ca_file;
    int64_t connect_timeout_ms; /* per connection [10000]                  */
    int64_t request_timeout_ms; /* per request, whole transfer [60000]     */
    unsigned max_retries;       /* retries after the first try [0]; 5xx,
                                   429 and timeouts, exponential backoff   */
    unsigned page_size;         /* ListObjectsV2 max-keys [1000]           */
    uint64_t max_pages; /* a listing with more pages fails ERR_LIMIT [100000] */
    unsigned max_parallel; /* concurrent GETs [8]                          */
    /* Listing: with more than 1, the first-level prefixes under the
     * listing prefix are found with a delimiter listing and listed this
     * many at once (objects then arrive in key order within a prefix
     * only); [1]: one page after the other, in key order.             */
    unsigned connections;
    /* Read the figures from an S3 Inventory (CSV) instead of listing:
     * "s3://bucket/path/manifest.json", or a prefix under which the
     * newest ".../manifest.json" is taken. Same endpoint and credentials
     * as url. NULL: list.                                              */
    const char *inventory;

    /* --- both ----------------------------------------------------------- */
    const char *cache_dir; /* per-run listing cache; NULL: none            */
} nbaq_objstore_config;

typedef struct nbaq_objstore nbaq_objstore;

/* Validates cfg, resolves credentials, prepares the backend. Does no
 * network I/O and touches no file besides the credentials file. Returns 0
 * and *out (close it), or -1 with err filled and *out NULL.              */
int nbaq_objstore_open(const nbaq_objstore_config *cfg, nbaq_objstore **out,
                       char *err, size_t err_size);

/* Frees the store and its connections. NULL is fine. */
void nbaq_objstore_close(nbaq_objstore *store);

/* "s3://bucket/prefix" or "file:///root/prefix", for messages; never
 * holds credentials. Lives until close().                                */
const char *nbaq_objstore_location(const nbaq_objstore *store);

/* The listing prefix ("" for the whole bucket or directory); keys of the
 * listing all start with it. Lives until close().                       */
const char *nbaq_objstore_prefix(const nbaq_objstore *store);

/* ------------------------------------------------------------------------ */
/* Listing                                                                  */

/* One object. Valid only during the callback (see Ownership).           */
typedef struct nbaq_objstore_object {
    const char *key;  /* full key, exact UTF-8 bytes; NUL-terminated     */
    const char *name; /* key past the prefix: points inside key          */
    uint64_t size;    /* bytes                                           */
    int64_t mtime_ms; /* LastModified / st_mtime, epoch milliseconds UTC */
    const char *etag; /* S3 ETag without quotes; "" for files            */
} nbaq_objstore_object;

/* Called once per object. Return 0 to go on; non-zero stops the listing,
 * which then returns -1 with kind ERR_ABORTED (and caches nothing).     */
typedef int (*nbaq_objstore_object_fn)(void *user,
                                       const nbaq_objstore_object *object);

/* What a listing did. Filled by nbaq_objstore_list() in every case.     */
typedef struct nbaq_objstore_list_info {
    nbaq_objstore_errkind error; /* OK, or why the listing failed        */
    uint64_t objects; /* objects passed to the callback                 */
    uint64_t bytes;   /* sum of their sizes                             */
    uint64_t pages;   /* requests made (S3) / directories read (file);
                         0 when replayed from the cache                 */
    int from_cache;   /* 1: replayed from the run's listing cache       */
    /* Entries that could not be listed (a local file or directory that
     * cannot be read or vanished): counted here, not passed on; the
     * listing itself still succeeds.                                    */
    uint64_t skipped;
    char first_skipped[512]; /* "path: reason" of the first one, or ""   */
    /* With config.inventory: the inventory's creationTimestamp (epoch
     * ms), the date of the figures; 0 when the bucket was listed.      */
    int64_t inventory_ms;
    char inventory_manifest[1100]; /* s3://... of the manifest read; "" */
} nbaq_objstore_list_info;

/* Streams every object under the prefix to on_object, in key byte order
 * for AWS and for files (s3rver uses its own order: do not rely on it);
 * with config.connections > 1, in key order within each first-level
 * prefix only. With config.inventory, the inventory's rows instead.
 * Returns 0, or -1 with err filled and info->error set; objects delivered
 * before a failure stay delivered. info may not be NULL.                */
int nbaq_objstore_list(nbaq_objstore *store, nbaq_objstore_object_fn on_object,
                       void *user, nbaq_objstore_list_info *info, char *err,
                       size_t err_size);

/* ------------------------------------------------------------------------ */
/* Fetching objects (a sample)                                              */

/* Outcome of one object. Valid only during on_done.                     */
typedef struct nbaq_objstore_get_result {
    const char *key;
    nbaq_objstore_errkind error; /* OK, or why this object failed         */
    const char *message; /* one line naming the object; "" when OK         */
    uint64_t bytes;      /* bytes passed to on_data                        */
    int64_t size;        /* size announced by the server or stat; -1: none */
    long http_status;    /* S3: last HTTP status; 0 for files or no reply  */
} nbaq_objstore_get_result;

/* A chunk of object number index (its position in keys[]). Chunks of one
 * object arrive in order; chunks of different objects interleave. Return
 * 0 to go on, non-zero to stop reading that object (its on_done then
 * says ERR_ABORTED).                                                    */
typedef int (*nbaq_objstore_data_fn)(void *user, size_t index, const void *data,
                                     size_t len);

/* Called exactly once per index, after its last on_data.                */
typedef void (*nbaq_objstore_done_fn)(void *user, size_t index,
                                      const nbaq_objstore_get_result *result);

typedef struct nbaq_objstore_get_callbacks {
    nbaq_objstore_data_fn on_data;
    nbaq_objstore_done_fn on_done;
    void *user;
} nbaq_objstore_get_callbacks;

/* Fetches keys[0..count) (full keys, as the listing gave them), up to
 * config.max_parallel at once over reused connections, each retried like
 * any request as long as none of its data was passed on. An object larger
 * than max_bytes (0: no cap) is not read past the cap and ends with
 * ERR_TOO_LARGE; when its size is announced up front, on_data is not
 * called at all, otherwise it may have received up to max_bytes, which
 * the caller discards. Bodies are passed as stored (a .gz stays gzip).
 * Per-object failures go to on_done; the call itself returns -1 only when
 * it could not run at all (err filled), and then calls no callback.      */
int nbaq_objstore_get_many(nbaq_objstore *store, const char *const *keys,
                           size_t count, uint64_t max_bytes,
                           const nbaq_objstore_get_callbacks *callbacks,
                           char *err, size_t err_size);

/* ------------------------------------------------------------------------ */
/* Metric names                                                             */

/*
 * Writes a key part (a first-level prefix under the listing prefix, a
 * partition) as one segment of a metric name, so that a threshold glob
 * such as "objects.by_prefix.*" matches it: bytes [A-Za-z0-9_=-] stay as
 * they are, every other byte - '.', space, '%', '/', each byte of a
 * non-ASCII character - becomes %XX (uppercase hex), so "v1.2" becomes
 * "v1%2E2" and "été" "%C3%A9t%C3%A9"; the empty part becomes "%EMPTY".
 * The mapping is one-to-one. Returns 0, or -1 when out is too small
 * (then out holds "" when out_size > 0).                                 */
int nbaq_objstore_metric_segment(const char *part, size_t part_len, char *out,
                                 size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_OBJSTORE_H */
