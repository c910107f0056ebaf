/*
 * ListObjectsV2 pages and S3 error documents, parsed with expat as the
 * bytes arrive. No tree is built: a page keeps only its objects (key,
 * size, time, etag), which are bounded by the page size.
 */
#include "objstore_internal.h"

#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isotime.h"

#define MAX_TEXT (64 * 1024)    /* longest element text we accept      */
#define MAX_PAGE_OBJECTS 100000 /* a page with more is not S3          */
#define MAX_PAGE_STRINGS (64u << 20)

typedef enum field {
    F_NONE = 0,
    F_KEY,
    F_SIZE,
    F_MTIME,
    F_ETAG,
    F_TRUNCATED,
    F_TOKEN,
    F_COMMON_PREFIX
} field;

typedef struct record {
    size_t key;  /* offset in strings */
    size_t etag; /* offset in strings */
    uint64_t size;
    int64_t mtime_ms;
} record;

struct s3_page {
    XML_Parser parser;
    int depth;
    int root_ok;   /* root element is ListBucketResult              */
    char root[64]; /* root element name, for messages               */
    int in_contents;
    int in_common_prefixes;
    field current;
    char *text;
    size_t text_len;
    int text_overflow;
    char problem[200]; /* first structural problem; "" none            */

    /* the object being read */
    int has_key, has_size;
    char *key;
    size_t key_len;
    char *etag;
    uint64_t size;
    int64_t mtime_ms;

    record *records;
    size_t count, cap;
    char *strings;
    size_t strings_len, strings_cap;
    int truncated;
    char *token;
    size_t *common; /* offsets in strings of CommonPrefixes/Prefix   */
    size_t common_count, common_cap;
};

static void set_problem(s3_page *p, const char *fmt, const char *arg)
{
    if (p->problem[0] == '\0')
        snprintf(p->problem, sizeof p->problem, fmt, arg);
}

static char *dup_text(const s3_page *p)
{
    char *s = malloc(p->text_len + 1);
    if (s != NULL) {
        memcpy(s, p->text, p->text_len);
        s[p->text_len] = '\0';
    }
    return s;
}

static int store_string(s3_page *p, const char *s, size_t len, size_t *off)
{
    if (p->strings_len + len + 1 > p->strings_cap) {
        size_t cap = p->strings_cap ? p->strings_cap : 64 * 1024;
        while (cap < p->strings_len + len + 1)
            cap *= 2;
        if (cap > MAX_PAGE_STRINGS)
            return -1;
        char *grown = realloc(p->strings, cap);
        if (grown == NULL)
            return -1;
        p->strings = grown;
        p->strings_cap = cap;
    }
    memcpy(p->strings + p->strings_len, s, len);
    p->strings[p->strings_len + len] = '\0';
    *off = p->strings_len;
    p->strings_len += len + 1;
    return 0;
}

static void finish_object(s3_page *p)
{
    record r = {0};

    if (!p->has_key || !p->has_size) {
        set_problem(p, "%s", "an object without Key or Size");
        return;
    }
    if (p->count == MAX_PAGE_OBJECTS) {
        set_problem(p, "%s", "more objects in one page than S3 sends");
        return;
    }
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 1024;
        record *grown = realloc(p->records, cap * sizeof *grown);
        if (grown == NULL) {
            set_problem(p, "%s", "out of memory");
            return;
        }
        p->records = grown;
        p->cap = cap;
    }
    const char *etag = p->etag ? p->etag : "";
    size_t etag_len = strlen(etag);
    if (etag_len >= 2 && etag[0] == '"' && etag[etag_len - 1] == '"') {
        etag++;
        etag_len -= 2;
    }
    if (store_string(p, p->key, p->key_len, &r.key) != 0 ||
        store_string(p, etag, etag_len, &r.etag) != 0) {
        set_problem(p, "%s", "page too large");
        return;
    }
    r.size = p->size;
    r.mtime_ms = p->mtime_ms;
    p->records[p->count++] = r;
}

static void reset_object(s3_page *p)
{
    free(p->key);
    free(p->etag);
    p->key = p->etag = NULL;
    p->key_len = 0;
    p->has_key = p->has_size = 0;
    p->size = 0;
    p->mtime_ms = 0;
}

static field field_of(const s3_page *p, const char *name)
{
    if (p->in_contents && p->depth == 3) {
        if (strcmp(name, "Key") == 0)
            return F_KEY;
        if (strcmp(name, "Size") == 0)
            return F_SIZE;
        if (strcmp(name, "LastModified") == 0)
            return F_MTIME;
        if (strcmp(name, "ETag") == 0)
            return F_ETAG;
    } else if (p->in_common_prefixes && p->depth == 3) {
        if (strcmp(name, "Prefix") == 0)
            return F_COMMON_PREFIX;
    } else if (p->depth == 2) {
        if (strcmp(name, "IsTruncated") == 0)
            return F_TRUNCATED;
        if (strcmp(name, "NextContinuationToken") == 0)
            return F_TOKEN;
    }
    return F_NONE;
}

static void XMLCALL on_start(void *user, const XML_Char *name,
                             const XML_Char **attrs)
{
    s3_page *p = user;
    (void)attrs;

    p->depth++;
    if (p->depth == 1) {
        snprintf(p->root, sizeof p->root, "%s", name);
        p->root_ok = strcmp(name, "ListBucketResult") == 0;
    } else if (p->depth == 2 && strcmp(name, "Contents") == 0) {
        p->in_contents = 1;
        reset_object(p);
    } else if (p->depth == 2 && strcmp(name, "CommonPrefixes") == 0) {
        p->in_common_prefixes = 1;
    }
    p->current = field_of(p, name);
    p->text_len = 0;
    p->text_overflow = 0;
}

static int parse_uint(const char *s, uint64_t *out)
{
    char *end = NULL;
    if (s[0] < '0' || s[0] > '9')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0')
        return -1;
    *out = v;
    return 0;
}

static void add_common_prefix(s3_page *p, const char *text, size_t len)
{
    if (p->common_count == p->common_cap) {
        size_t cap = p->common_cap ? p->common_cap * 2 : 64;
        size_t *grown = realloc(p->common, cap * sizeof *grown);
        if (grown == NULL) {
            set_problem(p, "%s", "out of memory");
            return;
        }
        p->common = grown;
        p->common_cap = cap;
    }
    if (store_string(p, text, len, &p->common[p->common_count]) != 0)
        set_problem(p, "%s", "page too large");
    else
        p->common_count++;
}

static void take_field(s3_page *p)
{
    char *text = dup_text(p);

    if (text == NULL) {
        set_problem(p, "%s", "out of memory");
        return;
    }
    switch (p->current) {
    case F_KEY:
        free(p->key);
        p->key = text;
        p->key_len = p->text_len;
        p->has_key = 1;
        return;
    case F_SIZE:
        if (parse_uint(text, &p->size) != 0)
            set_problem(p, "bad Size '%.40s'", text);
        else
            p->has_size = 1;
        break;
    case F_MTIME:
        p->mtime_ms = s3_parse_time(text);
        if (p->mtime_ms < 0)
            set_problem(p, "bad LastModified '%.40s'", text);
        break;
    case F_ETAG:
        free(p->etag);
        p->etag = text;
        return;
    case F_TRUNCATED:
        p->truncated = strcmp(text, "true") == 0;
        break;
    case F_TOKEN:
        free(p->token);
        p->token = text;
        return;
    case F_COMMON_PREFIX:
        add_common_prefix(p, text, p->text_len);
        break;
    case F_NONE:
        break;
    }
    free(text);
}

static void XMLCALL on_end(void *user, const XML_Char *name)
{
    s3_page *p = user;

    if (p->current != F_NONE) {
        if (p->text_overflow)
            set_problem(p, "%s", "an element longer than 64 KiB");
        else
            take_field(p);
    }
    if (p->depth == 2 && p->in_contents && strcmp(name, "Contents") == 0) {
        finish_object(p);
        reset_object(p);
        p->in_contents = 0;
    }
    if (p->depth == 2 && strcmp(name, "CommonPrefixes") == 0)
        p->in_common_prefixes = 0;
    p->current = F_NONE;
    p->depth--;
}

static void XMLCALL on_text(void *user, const XML_Char *s, int len)
{
    s3_page *p = user;

    if (p->current == F_NONE || p->text_overflow)
        return;
    if (p->text_len + (size_t)len > MAX_TEXT) {
        p->text_overflow = 1;
        return;
    }
    memcpy(p->text + p->text_len, s, (size_t)len);
    p->text_len += (size_t)len;
}

s3_page *s3_page_new(void)
{
    s3_page *p = calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->text = malloc(MAX_TEXT);
    p->parser = XML_ParserCreate("UTF-8");
    if (p->text == NULL || p->parser == NULL) {
        s3_page_free(p);
        return NULL;
    }
    return p;
}

void s3_page_free(s3_page *p)
{
    if (p == NULL)
        return;
    if (p->parser != NULL)
        XML_ParserFree(p->parser);
    reset_object(p);
    free(p->text);
    free(p->records);
    free(p->strings);
    free(p->token);
    free(p->common);
    free(p);
}

int s3_page_begin(s3_page *p)
{
    if (XML_ParserReset(p->parser, "UTF-8") != XML_TRUE)
        return -1;
    XML_SetUserData(p->parser, p);
    XML_SetElementHandler(p->parser, on_start, on_end);
    XML_SetCharacterDataHandler(p->parser, on_text);
    reset_object(p);
    p->depth = 0;
    p->root_ok = 0;
    p->root[0] = '\0';
    p->in_contents = 0;
    p->in_common_prefixes = 0;
    p->current = F_NONE;
    p->problem[0] = '\0';
    p->count = 0;
    p->common_count = 0;
    p->strings_len = 0;
    p->truncated = 0;
    free(p->token);
    p->token = NULL;
    return 0;
}

int s3_page_feed(s3_page *p, const void *data, size_t len)
{
    while (len > 0) {
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        if (XML_Parse(p->parser, data, chunk, 0) != XML_STATUS_OK)
            return -1;
        data = (const char *)data + chunk;
        len -= (size_t)chunk;
    }
    return p->problem[0] ? -1 : 0;
}

int s3_page_end(s3_page *p, char *err, size_t err_size)
{
    if (p->problem[0]) {
        snprintf(err, err_size, "unexpected listing XML: %s", p->problem);
        return -1;
    }
    if (XML_Parse(p->parser, "", 0, 1) != XML_STATUS_OK) {
        snprintf(err, err_size,
                 "malformed listing XML at line %lu column %lu: %s",
                 (unsigned long)XML_GetCurrentLineNumber(p->parser),
                 (unsigned long)XML_GetCurrentColumnNumber(p->parser) + 1,
                 XML_ErrorString(XML_GetErrorCode(p->parser)));
        return -1;
    }
    if (!p->root_ok) {
        snprintf(err, err_size,
                 "unexpected listing XML: root element <%s>, not "
                 "<ListBucketResult>",
                 p->root);
        return -1;
    }
    if (p->truncated && (p->token == NULL || p->token[0] == '\0')) {
        snprintf(err, err_size,
                 "unexpected listing XML: IsTruncated without "
                 "NextContinuationToken");
        return -1;
    }
    return 0;
}

size_t s3_page_count(const s3_page *p)
{
    return p->count;
}

void s3_page_object(const s3_page *p, size_t i, nbaq_objstore_object *o)
{
    const record *r = &p->records[i];
    o->key = p->strings + r->key;
    o->name = o->key;
    o->etag = p->strings + r->etag;
    o->size = r->size;
    o->mtime_ms = r->mtime_ms;
}

size_t s3_page_prefix_count(const s3_page *p)
{
    return p->common_count;
}

const char *s3_page_prefix(const s3_page *p, size_t i)
{
    return p->strings + p->common[i];
}

int s3_page_is_truncated(const s3_page *p)
{
    return p->truncated;
}

const char *s3_page_next_token(const s3_page *p)
{
    return p->token;
}

int64_t s3_parse_time(const char *text)
{
    const unsigned utc_date_time = ISOTIME_TIME | ISOTIME_ZONE | ISOTIME_UTC;
    int64_t ms;
    return isotime_parse(text, utc_date_time, &ms) == 0 ? ms : -1;
}

/* --- <Error><Code/><Message/></Error> ----------------------------------- */

typedef struct error_doc {
    int depth;
    int in; /* 1 Code, 2 Message */
    char code[128];
    char message[512];
} error_doc;

static void XMLCALL err_start(void *user, const XML_Char *name,
                              const XML_Char **attrs)
{
    error_doc *d = user;
    (void)attrs;
    d->depth++;
    d->in = 0;
    if (d->depth == 2 && strcmp(name, "Code") == 0)
        d->in = 1;
    else if (d->depth == 2 && strcmp(name, "Message") == 0)
        d->in = 2;
}

static void XMLCALL err_end(void *user, const XML_Char *name)
{
    error_doc *d = user;
    (void)name;
    d->depth--;
    d->in = 0;
}

static void append_bounded(char *dst, size_t size, const char *s, int len)
{
    size_t have = strlen(dst);
    size_t room = size - 1 - have;
    size_t take = (size_t)len < room ? (size_t)len : room;
    memcpy(dst + have, s, take);
    dst[have + take] = '\0';
}

static void XMLCALL err_text(void *user, const XML_Char *s, int len)
{
    error_doc *d = user;
    if (d->in == 1)
        append_bounded(d->code, sizeof d->code, s, len);
    else if (d->in == 2)
        append_bounded(d->message, sizeof d->message, s, len);
}

void s3_error_parse(const char *xml, size_t len, char *code, size_t code_size,
                    char *message, size_t message_size)
{
    error_doc d = {0};
    XML_Parser parser = XML_ParserCreate("UTF-8");

    code[0] = message[0] = '\0';
    if (parser == NULL || xml == NULL || len == 0 || len > (1u << 30)) {
        if (parser != NULL)
            XML_ParserFree(parser);
        return;
    }
    XML_SetUserData(parser, &d);
    XML_SetElementHandler(parser, err_start, err_end);
    XML_SetCharacterDataHandler(parser, err_text);
    XML_Parse(parser, xml, (int)len, 1);
    XML_ParserFree(parser);
    /* Control characters would break a one-line message.               */
    for (char *c = d.message; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' ';
    for (char *c = d.code; *c; c++)
        if ((unsigned char)*c < 0x20)
            *c = ' ';
    snprintf(code, code_size, "%s", d.code);
    snprintf(message, message_size, "%s", d.message);
}
