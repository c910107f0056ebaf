/* The child-to-parent record reader (core/records.c): the bytes a check's
 * child writes to its pipe, reassembled in the reads the parent makes.
 * Each input byte pair (len, ...) sets the size of the next read. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "records.h"

static volatile unsigned char checksum; /* keeps the reads */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    record_reader reader;
    memset(&reader, 0, sizeof reader);
    size_t pos = 0;
    while (pos < size) {
        size_t chunk = (size_t)data[pos] * 7 + 1;
        pos++;
        if (chunk > size - pos)
            chunk = size - pos;
        if (record_reader_feed(&reader, data + pos, chunk) != 0)
            break;
        pos += chunk;
        record r;
        int rc;
        while ((rc = record_reader_next(&reader, &r)) == 1) {
            /* What the parent reads of each: the whole payload. */
            for (size_t i = 0; i < r.len; i++)
                checksum ^= r.payload[i];
        }
        if (rc < 0)
            break;
    }
    record_reader_free(&reader);
    return 0;
}
