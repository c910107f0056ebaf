/*
 * Figures from an Amazon S3 Inventory report instead of a listing.
 *
 * An inventory is published as destination-prefix/source-bucket/config-ID/
 * YYYY-MM-DDTHH-MMZ/manifest.json, which names the gzip'd CSV data files
 * (files[].key, in the same destination bucket) and their columns
 * (fileSchema, "Bucket, Key, Size, LastModifiedDate, ..."). Each data file
 * is fetched, inflated with zlib and split into rows as it arrives; a row
 * of the current version of an object under the store's prefix is passed
 * on like a listed object. Memory is one line and zlib's window per file.
 * Only CSV is read: Parquet and ORC are refused by name.
 */
#include "objstore_internal.h"
#include "percent.h"
#include "textbuf.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MANIFEST_MAX (64u << 20)
#define LINE_MAX_BYTES (1u << 20)
#define INFLATE_CHUNK (64 * 1024)

enum column {
    COL_KEY,
    COL_SIZE,
    COL_MTIME,
    COL_ETAG,
    COL_LATEST,
    COL_DELETED,
    COL_COUNT
};
static const char *const column_names[COL_COUNT] = {
    "Key", "Size", "LastModifiedDate", "ETag", "IsLatest", "IsDeleteMarker"};

typedef struct manifest {
    char location[1100];   /* s3://bucket/key of manifest.json          */
    int column[COL_COUNT]; /* index in a row, -1: not in the schema   */
    int columns;
    char **files;
    size_t file_count;
    int64_t created_ms;
} manifest;

/* --- fetching whole small objects (the manifest) ----------------------- */

typedef struct fetched {
    textbuf text;
    char message[1024];
    nbaq_objstore_errkind error;
} fetched;

static int fetched_data(void *user, size_t index, const void *data, size_t len)
{
    fetched *f = user;
    (void)index;
    textbuf_append(&f->text, data, len);
    return textbuf_failed(&f->text);
}

static void fetched_done(void *user, size_t index,
                         const nbaq_objstore_get_result *r)
{
    fetched *f = user;
    (void)index;
    f->error = r->error;
    snprintf(f->message, sizeof f->message, "%s", r->message);
}

/* --- finding and reading the manifest ---------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

typedef struct newest {
    char key[1024];
} newest;

static int keep_newest_manifest(void *user, const nbaq_objstore_object *o)
{
    newest *n = user;
    /* The folders are dated YYYY-MM-DDTHH-MMZ: the greatest is newest.  */
    if ((ends_with(o->key, "/manifest.json") ||
         strcmp(o->key, "manifest.json") == 0) &&
        strcmp(o->key, n->key) > 0 && strlen(o->key) < sizeof n->key)
        snprintf(n->key, sizeof n->key, "%s", o->key);
    return 0;
}

static int manifest_key(nbaq_objstore *inv, newest *found, char *err,
                        size_t err_size)
{
    nbaq_objstore_list_info info;

    found->key[0] = '\0';
    if (ends_with(inv->prefix, "manifest.json")) {
        snprintf(found->key, sizeof found->key, "%s", inv->prefix);
        return 0;
    }
    if (nbaq_objstore_list(inv, keep_newest_manifest, found, &info, err,
                           err_size) != 0)
        return -1;
    if (found->key[0] == '\0') {
        snprintf(err, err_size, "inventory %s: no manifest.json under it",
                 inv->location);
        return -1;
    }
    return 0;
}

static int parse_schema(manifest *m, const char *schema, char *err,
                        size_t err_size)
{
    int index = 0;

    for (int c = 0; c < COL_COUNT; c++)
        m->column[c] = -1;
    for (const char *p = schema; *p != '\0'; index++) {
        while (*p == ' ')
            p++;
        size_t len = strcspn(p, ",");
        size_t name_len = len;
        while (name_len > 0 && p[name_len - 1] == ' ')
            name_len--;
        for (int c = 0; c < COL_COUNT; c++)
            if (strlen(column_names[c]) == name_len &&
                strncmp(p, column_names[c], name_len) == 0)
                m->column[c] = index;
        p += len;
        if (*p == ',')
            p++;
    }
    m->columns = index;
    for (int c = COL_KEY; c <= COL_MTIME; c++)
        if (m->column[c] < 0) {
            snprintf(err, err_size,
                     "inventory %s: fileSchema has no %s field (the "
                     "inventory must include Size and LastModifiedDate)",
                     m->location, column_names[c]);
            return -1;
        }
    return 0;
}

static int parse_files(manifest *m, const cJSON *files, char *err,
                       size_t err_size)
{
    size_t n = (size_t)cJSON_GetArraySize(files);

    m->files = calloc(n ? n : 1, sizeof *m->files);
    if (m->files == NULL) {
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(files, (int)i), "key");
        if (!cJSON_IsString(key)) {
            snprintf(err, err_size, "inventory %s: files[%zu] has no key",
                     m->location, i);
            return -1;
        }
        if ((m->files[m->file_count++] = strdup(key->valuestring)) == NULL) {
            snprintf(err, err_size, "out of memory");
            return -1;
        }
    }
    return 0;
}

static int parse_manifest(manifest *m, const nbaq_objstore *s, const char *text,
                          char *err, size_t err_size)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(root, "fileFormat");
    const cJSON *schema = cJSON_GetObjectItemCaseSensitive(root, "fileSchema");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(root, "files");
    const cJSON *source =
        cJSON_GetObjectItemCaseSensitive(root, "sourceBucket");
    const cJSON *created =
        cJSON_GetObjectItemCaseSensitive(root, "creationTimestamp");
    int rc = -1;

    if (root == NULL)
        snprintf(err, err_size, "inventory %s: not valid JSON", m->location);
    else if (!cJSON_IsString(format))
        snprintf(err, err_size, "inventory %s: no fileFormat", m->location);
    else if (strcmp(format->valuestring, "CSV") != 0)
        snprintf(err, err_size,
                 "inventory %s: fileFormat %.40s is not supported, only CSV "
                 "(set the inventory's output format to CSV)",
                 m->location, format->valuestring);
    else if (cJSON_IsString(source) &&
             strcmp(source->valuestring, s->bucket) != 0)
        snprintf(err, err_size,
                 "inventory %s is of bucket %.200s, not of %.200s", m->location,
                 source->valuestring, s->bucket);
    else if (!cJSON_IsString(schema) || !cJSON_IsArray(files))
        snprintf(err, err_size, "inventory %s: no fileSchema or files",
                 m->location);
    else if (!cJSON_IsString(created) ||
             (m->created_ms = strtoll(created->valuestring, NULL, 10)) <= 0)
        snprintf(err, err_size,
                 "inventory %s: no creationTimestamp (epoch milliseconds)",
                 m->location);
    else if (parse_schema(m, schema->valuestring, err, err_size) == 0)
        rc = parse_files(m, files, err, err_size);
    cJSON_Delete(root);
    return rc;
}

static int read_manifest(nbaq_objstore *s, manifest *m,
                         nbaq_objstore_list_info *info, char *err,
                         size_t err_size)
{
    nbaq_objstore *inv = s->inventory;
    newest found;
    fetched f = {.error = NBAQ_OBJSTORE_OK};
    const char *key = found.key;
    nbaq_objstore_get_callbacks cb = {
        .on_data = fetched_data, .on_done = fetched_done, .user = &f};
    int rc = -1;

    if (manifest_key(inv, &found, err, err_size) != 0)
        return -1;
    snprintf(m->location, sizeof m->location, "s3://%s/%s", inv->bucket,
             found.key);
    textbuf_init(&f.text);
    if (nbaq_objstore_get_many(inv, &key, 1, MANIFEST_MAX, &cb, err,
                               err_size) != 0)
        return -1;
    if (f.error != NBAQ_OBJSTORE_OK)
        objstore_fail(info, f.error, err, err_size, "inventory manifest %s",
                      f.message);
    else
        rc = parse_manifest(m, s, f.text.len > 0 ? f.text.data : "", err,
                            err_size);
    textbuf_free(&f.text);
    return rc;
}

static void manifest_free(manifest *m)
{
    for (size_t i = 0; i < m->file_count; i++)
        free(m->files[i]);
    free(m->files);
}

/* --- one data file: gzip -> lines -> rows -> objects -------------------- */

typedef struct data_file {
    nbaq_objstore *s;
    objstore_listing *l;
    const manifest *m;
    char location[1100];
    z_stream z;
    int stream_ended; /* the last gzip member ended cleanly          */
    char *line;
    size_t line_len;
    uint64_t line_no;
    int failed;
    char *err;
    size_t err_size;
} data_file;

/* Splits a CSV row in place into at most max fields ("a","b""c",d).   */
static int split_row(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;

    for (;;) {
        if (n == max)
            return -1;
        char *out = p;
        fields[n++] = out;
        if (*p == '"') {
            for (p++;; p++) {
                if (*p == '\0')
                    return -1;
                if (*p == '"' && p[1] == '"')
                    p++;
                else if (*p == '"')
                    break;
                *out++ = *p;
            }
            p++;
        } else {
            while (*p != ',' && *p != '\0')
                *out++ = *p++;
        }
        char end = *p;
        *out = '\0';
        if (end == '\0')
            return n;
        if (end != ',')
            return -1;
        p++;
    }
}

static int row_fail(data_file *d, nbaq_objstore_errkind kind, const char *why)
{
    d->failed = 1;
    return objstore_fail(d->l->info, kind, d->err, d->err_size,
                         "inventory data file %s, line %llu: %s", d->location,
                         (unsigned long long)d->line_no, why);
}

static const char *field(char **fields, int n, int column)
{
    return column >= 0 && column < n ? fields[column] : NULL;
}

static int take_row(data_file *d, char *line)
{
    const manifest *m = d->m;
    char *fields[64];
    int n = split_row(line, fields, 64);
    const char *latest, *deleted, *size;
    nbaq_objstore_object o = {.etag = ""};
    char *end = NULL;

    if (n < m->columns)
        return row_fail(d, NBAQ_OBJSTORE_ERR_PROTOCOL,
                        "not a CSV row of the manifest's fileSchema");
    latest = field(fields, n, m->column[COL_LATEST]);
    deleted = field(fields, n, m->column[COL_DELETED]);
    if ((latest != NULL && strcmp(latest, "false") == 0) ||
        (deleted != NULL && strcmp(deleted, "true") == 0))
        return 0; /* a listing shows current versions only */
    char *key = fields[m->column[COL_KEY]];
    if (percent_decode_form(key) != 0)
        return row_fail(d, NBAQ_OBJSTORE_ERR_PROTOCOL, "bad URL-encoded Key");
    size_t plen = strlen(d->s->prefix);
    if (strncmp(key, d->s->prefix, plen) != 0)
        return 0;
    size = fields[m->column[COL_SIZE]];
    o.size = strtoull(size, &end, 10);
    if (size[0] < '0' || size[0] > '9' || *end != '\0')
        return row_fail(d, NBAQ_OBJSTORE_ERR_PROTOCOL, "bad Size");
    o.mtime_ms = s3_parse_time(fields[m->column[COL_MTIME]]);
    if (o.mtime_ms < 0)
        return row_fail(d, NBAQ_OBJSTORE_ERR_PROTOCOL, "bad LastModifiedDate");
    if (m->column[COL_ETAG] >= 0)
        o.etag = fields[m->column[COL_ETAG]];
    o.key = key;
    o.name = key + plen;
    if (objstore_emit(d->l, &o, d->err, d->err_size) != 0) {
        d->failed = 1;
        return -1;
    }
    return 0;
}

/* Appends inflated bytes to the line and takes every complete row.    */
static int take_text(data_file *d, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            d->line_no++;
            if (d->line_len > 0 && d->line[d->line_len - 1] == '\r')
                d->line_len--;
            d->line[d->line_len] = '\0';
            if (d->line_len > 0 && take_row(d, d->line) != 0)
                return -1;
            d->line_len = 0;
        } else if (d->line_len + 1 < LINE_MAX_BYTES) {
            d->line[d->line_len++] = text[i];
        } else {
            d->line_no++;
            return row_fail(d, NBAQ_OBJSTORE_ERR_PROTOCOL,
                            "a line longer than 1 MiB");
        }
    }
    return 0;
}

static int gzip_fail(data_file *d, const char *why)
{
    d->failed = 1;
    return objstore_fail(d->l->info, NBAQ_OBJSTORE_ERR_PROTOCOL, d->err,
                         d->err_size, "inventory data file %s: %s", d->location,
                         why);
}

static int inflate_chunk(void *user, size_t index, const void *data, size_t len)
{
    data_file *d = user;
    unsigned char out[INFLATE_CHUNK];
    (void)index;

    d->z.next_in = (unsigned char *)data;
    d->z.avail_in = (uInt)len;
    while (d->z.avail_in > 0 && !d->failed) {
        if (d->stream_ended) { /* another gzip member follows */
            inflateReset(&d->z);
            d->stream_ended = 0;
        }
        d->z.next_out = out;
        d->z.avail_out = sizeof out;
        int zrc = inflate(&d->z, Z_NO_FLUSH);
        if (zrc != Z_OK && zrc != Z_STREAM_END && zrc != Z_BUF_ERROR) {
            char why[300];
            snprintf(why, sizeof why, "corrupt gzip (zlib: %s)",
                     d->z.msg != NULL ? d->z.msg : zError(zrc));
            return gzip_fail(d, why);
        }
        if (take_text(d, (const char *)out, sizeof out - d->z.avail_out) != 0)
            return 1;
        if (zrc == Z_STREAM_END)
            d->stream_ended = 1;
    }
    return d->failed;
}

static void data_done(void *user, size_t index,
                      const nbaq_objstore_get_result *r)
{
    data_file *d = user;
    (void)index;

    if (d->failed)
        return;
    if (r->error != NBAQ_OBJSTORE_OK) {
        d->failed = 1;
        objstore_fail(d->l->info, r->error, d->err, d->err_size,
                      "inventory data file %s", r->message);
    } else if (!d->stream_ended) {
        gzip_fail(d, "truncated gzip (the file ends mid-stream)");
    } else if (d->line_len > 0) {
        d->line_no++;
        d->line[d->line_len] = '\0';
        take_row(d, d->line);
    }
}

static int read_data_file(nbaq_objstore *s, objstore_listing *l,
                          const manifest *m, const char *key, char *err,
                          size_t err_size)
{
    data_file d = {.s = s, .l = l, .m = m, .err = err, .err_size = err_size};
    nbaq_objstore_get_callbacks cb = {
        .on_data = inflate_chunk, .on_done = data_done, .user = &d};

    snprintf(d.location, sizeof d.location, "s3://%s/%s", s->inventory->bucket,
             key);
    d.line = malloc(LINE_MAX_BYTES);
    if (d.line == NULL || inflateInit2(&d.z, 15 + 16) != Z_OK) {
        free(d.line);
        return objstore_fail(l->info, NBAQ_OBJSTORE_ERR_IO, err, err_size,
                             "out of memory");
    }
    if (nbaq_objstore_get_many(s->inventory, &key, 1, 0, &cb, err, err_size) !=
        0)
        d.failed = 1;
    inflateEnd(&d.z);
    free(d.line);
    return d.failed ? -1 : 0;
}

/* --- entry points -------------------------------------------------------- */

int objstore_inventory_open(nbaq_objstore *s, const char *inventory_url,
                            char *err, size_t err_size)
{
    nbaq_objstore_config c = s->cfg;
    char why[1024];

    if (strncmp(inventory_url, "s3://", 5) != 0) {
        snprintf(err, err_size,
                 "inventory '%.200s': not s3://bucket/prefix or "
                 "s3://bucket/.../manifest.json",
                 inventory_url);
        return -1;
    }
    c.url = inventory_url;
    c.inventory = NULL;
    c.cache_dir = NULL;
    c.connections = 1;
    if (nbaq_objstore_open(&c, &s->inventory, why, sizeof why) != 0) {
        snprintf(err, err_size, "inventory: %s", why);
        return -1;
    }
    return 0;
}

int objstore_inventory_list(nbaq_objstore *s, objstore_listing *l, char *err,
                            size_t err_size)
{
    manifest m = {0};
    int rc;

    rc = read_manifest(s, &m, l->info, err, err_size);
    if (rc != 0 && l->info->error == NBAQ_OBJSTORE_OK)
        l->info->error = NBAQ_OBJSTORE_ERR_PROTOCOL;
    if (rc == 0) {
        l->info->inventory_ms = m.created_ms;
        snprintf(l->info->inventory_manifest,
                 sizeof l->info->inventory_manifest, "%s", m.location);
    }
    for (size_t i = 0; rc == 0 && i < m.file_count; i++)
        rc = read_data_file(s, l, &m, m.files[i], err, err_size);
    manifest_free(&m);
    return rc;
}
