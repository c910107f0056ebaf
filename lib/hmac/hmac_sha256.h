/*
 * hmac_sha256.h - HMAC-SHA256 (RFC 2104, FIPS 180-4) as lowercase hex,
 * the form signature headers carry ("sha256=<hex>").
 */
#ifndef NBAQ_HMAC_SHA256_H
#define NBAQ_HMAC_SHA256_H

#include <stddef.h>

/* 64 hex digits and the terminating NUL. */
#define HMAC_SHA256_HEX_SIZE 65

/* Signs data with key and writes 64 lowercase hex digits and a NUL into
 * hex. Key and data may be empty (NULL with length 0). Returns 0, or -1
 * with err filled if libcrypto fails; the key never appears in err.      */
int hmac_sha256_hex(const void *key, size_t key_len, const void *data,
                    size_t data_len, char hex[HMAC_SHA256_HEX_SIZE], char *err,
                    size_t err_size);

#endif /* NBAQ_HMAC_SHA256_H */
