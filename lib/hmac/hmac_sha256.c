#include "hmac_sha256.h"

#include <limits.h>
#include <stdio.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

int hmac_sha256_hex(const void *key, size_t key_len, const void *data,
                    size_t data_len, char hex[HMAC_SHA256_HEX_SIZE], char *err,
                    size_t err_size)
{
    static const char digits[] = "0123456789abcdef";
    static const unsigned char empty = 0;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;

    hex[0] = '\0';
    if (key_len > INT_MAX) {
        snprintf(err, err_size, "HMAC key longer than %d bytes", INT_MAX);
        return -1;
    }
    /* libcrypto wants non-NULL pointers even for empty inputs. */
    if (HMAC(EVP_sha256(), key_len ? key : &empty, (int)key_len,
             data_len ? data : &empty, data_len, mac, &mac_len) == NULL ||
        mac_len != 32) {
        snprintf(err, err_size, "HMAC-SHA256 failed in libcrypto");
        return -1;
    }
    for (unsigned int i = 0; i < mac_len; i++) {
        hex[2 * i] = digits[mac[i] >> 4];
        hex[2 * i + 1] = digits[mac[i] & 0x0f];
    }
    hex[2 * mac_len] = '\0';
    return 0;
}
