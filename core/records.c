#include "records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Child side: one buffer per process. */
static struct {
    int fd;
    unsigned char buf[32768];
    size_t len;
} writer = {-1, {0}, 0};

void record_writer_init(int fd)
{
    writer.fd = fd;
    writer.len = 0;
}

static void write_all(const unsigned char *data, size_t len)
{
    while (len > 0 && writer.fd >= 0) {
        ssize_t n = write(writer.fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; /* the parent is gone; nothing left to tell */
        data += n;
        len -= (size_t)n;
    }
}

void record_flush(void)
{
    write_all(writer.buf, writer.len);
    writer.len = 0;
}

void record_write(record_type type, const void *payload, size_t len)
{
    if (len > RECORD_PAYLOAD_MAX)
        return;
    unsigned char header[RECORD_HEADER_SIZE];
    uint32_t len32 = (uint32_t)len;
    header[0] = (unsigned char)type;
    memcpy(header + 1, &len32, sizeof len32);
    if (writer.len + sizeof header + len > sizeof writer.buf)
        record_flush();
    if (sizeof header + len > sizeof writer.buf) {
        write_all(header, sizeof header);
        write_all(payload, len);
        return;
    }
    memcpy(writer.buf + writer.len, header, sizeof header);
    memcpy(writer.buf + writer.len + sizeof header, payload, len);
    writer.len += sizeof header + len;
}

/* Appends s (at most max bytes of it) and a NUL. */
static size_t put_string(unsigned char *dst, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n > max)
        n = max;
    memcpy(dst, s, n);
    dst[n] = '\0';
    return n + 1;
}

void record_write_metric(const char *name, double value, const char *unit)
{
    unsigned char
        payload[sizeof(double) + RECORD_NAME_MAX + RECORD_UNIT_MAX + 2];
    size_t len = 0;
    memcpy(payload, &value, sizeof value);
    len += sizeof value;
    len += put_string(payload + len, name, RECORD_NAME_MAX);
    len += put_string(payload + len, unit ? unit : "", RECORD_UNIT_MAX);
    record_write(RECORD_METRIC, payload, len);
}

void record_write_status(nbaq_status status, const char *message)
{
    unsigned char payload[1 + RECORD_MESSAGE_MAX + 1];
    payload[0] = (unsigned char)status;
    size_t len = 1 + put_string(payload + 1, message, RECORD_MESSAGE_MAX);
    record_write(RECORD_STATUS, payload, len);
}

void record_write_state(const char *key, const char *value)
{
    size_t key_len = strlen(key), value_len = strlen(value);
    size_t len = key_len + value_len + 2;
    unsigned char *payload = malloc(len);
    if (!payload)
        return;
    memcpy(payload, key, key_len + 1);
    memcpy(payload + key_len + 1, value, value_len + 1);
    record_write(RECORD_STATE, payload, len);
    free(payload);
}

void record_write_backfill(const char *name, const char *unit,
                           const nbaq_point *points, size_t count)
{
    enum { POINT_SIZE = sizeof(int64_t) + sizeof(double) };
    unsigned char payload[RECORD_NAME_MAX + RECORD_UNIT_MAX + 2 +
                          NBAQ_BACKFILL_POINTS_MAX * POINT_SIZE];
    size_t len = put_string(payload, name, RECORD_NAME_MAX);
    len += put_string(payload + len, unit ? unit : "", RECORD_UNIT_MAX);
    for (size_t i = 0; i < count && i < NBAQ_BACKFILL_POINTS_MAX; i++) {
        memcpy(payload + len, &points[i].ts_ms, sizeof(int64_t));
        memcpy(payload + len + sizeof(int64_t), &points[i].value,
               sizeof(double));
        len += POINT_SIZE;
    }
    record_write(RECORD_BACKFILL, payload, len);
}

/* ------------------------------------------------------------------ */

int record_reader_feed(record_reader *r, const void *data, size_t len)
{
    r->total += len;
    if (r->total > RECORD_TOTAL_MAX)
        return -1;
    if (len == 0) /* nothing to add; buf may still be NULL */
        return 0;
    if (r->pos > 0) { /* drop what was handed out already */
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len + len > r->cap) {
        size_t cap = r->cap ? r->cap : 4096;
        while (cap < r->len + len)
            cap *= 2;
        unsigned char *buf = realloc(r->buf, cap);
        if (!buf)
            return -1;
        r->buf = buf;
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, len);
    r->len += len;
    return 0;
}

int record_reader_next(record_reader *r, record *out)
{
    size_t avail = r->len - r->pos;
    if (avail < RECORD_HEADER_SIZE)
        return 0;
    const unsigned char *p = r->buf + r->pos;
    uint32_t n;
    memcpy(&n, p + 1, sizeof n);
    if (n > RECORD_PAYLOAD_MAX)
        return -1;
    if (avail < RECORD_HEADER_SIZE + (size_t)n)
        return 0;
    out->type = (record_type)p[0];
    out->payload = p + RECORD_HEADER_SIZE;
    out->len = n;
    r->pos += RECORD_HEADER_SIZE + n;
    return 1;
}

void record_reader_free(record_reader *r)
{
    free(r->buf);
    memset(r, 0, sizeof *r);
}
