/*
 * wire.h - flat encoding of host data for a fork server's check child
 * (forkserver.h): fixed-size integers in host byte order (both ends are
 * the same binary) and length-prefixed strings, appended to a textbuf and
 * read back with a bounds-checked cursor.
 */
#ifndef NBAQ_CORE_WIRE_H
#define NBAQ_CORE_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "textbuf.h"

void wire_put_u64(textbuf *out, uint64_t v);
void wire_put_double(textbuf *out, double v);
/* NULL is kept apart from "". */
void wire_put_str(textbuf *out, const char *s);

/* Reads what wire_put_* wrote. A read past the end sets `bad` and gives
 * 0, 0.0 or NULL; callers check `bad` once at the end. */
typedef struct wire_reader {
    const char *pos;
    size_t left;
    int bad;
} wire_reader;

uint64_t wire_get_u64(wire_reader *r);
double wire_get_double(wire_reader *r);
/* Points into the buffer read, which must outlive the string. */
const char *wire_get_str(wire_reader *r);

#endif
