/*
 * records.h - what a child process sends its parent over a pipe.
 *
 * A record is a 1-byte type, a 4-byte payload length (host byte order:
 * both ends are the same binary) and the payload. The child buffers records
 * and flushes them when the buffer fills, when the plugin returns, and when
 * it calls exit(). The parent trusts nothing: it bounds every length and
 * the total it reads, so that a hostile plugin cannot exhaust its memory.
 */
#ifndef NBAQ_CORE_RECORDS_H
#define NBAQ_CORE_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

/* Limits, applied by both ends. */
#define RECORD_MESSAGE_MAX 4096 /* status message, bytes              */
#define RECORD_NAME_MAX 255     /* metric name, bytes                 */
#define RECORD_UNIT_MAX 31      /* metric unit, bytes                 */
#define RECORD_METRICS_MAX 1000 /* distinct metrics per check         */
#define RECORD_STATE_MAX 64     /* state keys per check               */
#define RECORD_STATE_KEY_MAX 128
#define RECORD_STATE_VALUE_MAX 65536
#define RECORD_PAYLOAD_MAX (RECORD_STATE_VALUE_MAX + RECORD_STATE_KEY_MAX + 8)
#define RECORD_TOTAL_MAX (8u * 1024 * 1024) /* bytes per child           */
#define RECORD_HEADER_SIZE 5

typedef enum record_type {
    RECORD_METRIC = 1, /* double value, name NUL, unit NUL                */
    RECORD_STATUS,     /* 1-byte status, message NUL                      */
    RECORD_STATE,      /* key NUL, value NUL                              */
    RECORD_BUG,        /* message NUL: the plugin broke the contract      */
    RECORD_DONE,       /* empty: the plugin's function returned           */
    RECORD_BACKFILL    /* name NUL, unit NUL, then (int64 ts_ms, double
                          value) per point (core/backfill.h)              */
} record_type;

/* --- child side ---------------------------------------------------- */

/* Buffers records for fd. One per child process. */
void record_writer_init(int fd);
void record_write(record_type type, const void *payload, size_t len);
void record_write_metric(const char *name, double value, const char *unit);
void record_write_status(nbaq_status status, const char *message);
void record_write_state(const char *key, const char *value);
/* count <= NBAQ_BACKFILL_POINTS_MAX; name and unit within the limits. */
void record_write_backfill(const char *name, const char *unit,
                           const nbaq_point *points, size_t count);
/* Writes out what is buffered; safe to call more than once. */
void record_flush(void);

/* --- parent side --------------------------------------------------- */

/* Reassembles records from the bytes read from a pipe. */
typedef struct record_reader {
    unsigned char *buf; /* malloc'd                                       */
    size_t len;
    size_t cap;
    size_t pos;   /* start of the first record not handed out      */
    size_t total; /* bytes received so far                         */
} record_reader;

typedef struct record {
    record_type type;
    const unsigned char *payload; /* valid until the next reader call     */
    size_t len;
} record;

/* Appends bytes read from the pipe (payloads handed out before become
 * invalid). Returns -1 when the child sent more than RECORD_TOTAL_MAX. */
int record_reader_feed(record_reader *r, const void *data, size_t len);
/* Next complete record: 1 and *out (payload valid until the next feed),
 * 0 when none is complete yet, -1 when a header announces a payload over
 * RECORD_PAYLOAD_MAX. */
int record_reader_next(record_reader *r, record *out);
void record_reader_free(record_reader *r);

#endif
