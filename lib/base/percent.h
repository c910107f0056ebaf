/*
 * percent.h - percent-decoding the parts of a URL (RFC 3986): "%40" is
 * '@'. A '%' not followed by two hex digits is kept as it is.
 */
#ifndef NBAQ_BASE_PERCENT_H
#define NBAQ_BASE_PERCENT_H

#include <stddef.h>

/* Decodes start[0, len) into out (size bytes, NUL-terminated). 0, or -1
 * when the decoded text does not fit (out is then not to be used). The
 * decoded text is never longer than len. */
int percent_decode(const char *start, size_t len, char *out, size_t size);

/* Decodes s in place as a form value (application/x-www-form-urlencoded:
 * '+' is a space), strictly: 0, or -1 at a '%' not followed by two hex
 * digits (s is then not to be used). S3 inventory CSV writes keys so. */
int percent_decode_form(char *s);

#endif
