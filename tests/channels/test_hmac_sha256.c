/* HMAC-SHA256 against the test vectors of RFC 4231, section 4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "hmac_sha256.h"

static void expect_mac(const void *key, size_t key_len, const void *data,
                       size_t data_len, const char *expected)
{
    char hex[HMAC_SHA256_HEX_SIZE];
    char err[128] = "";
    assert_int_equal(
        hmac_sha256_hex(key, key_len, data, data_len, hex, err, sizeof(err)),
        0);
    assert_string_equal(hex, expected);
}

static void rfc4231_case_1(void **state)
{
    (void)state;
    unsigned char key[20];
    memset(key, 0x0b, sizeof(key));
    expect_mac(
        key, sizeof(key), "Hi There", 8,
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

static void rfc4231_case_2_short_key(void **state)
{
    (void)state;
    const char *data = "what do ya want for nothing?";
    expect_mac(
        "Jefe", 4, data, strlen(data),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

static void rfc4231_case_3(void **state)
{
    (void)state;
    unsigned char key[20], data[50];
    memset(key, 0xaa, sizeof(key));
    memset(data, 0xdd, sizeof(data));
    expect_mac(
        key, sizeof(key), data, sizeof(data),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

static void rfc4231_case_4(void **state)
{
    (void)state;
    unsigned char key[25], data[50];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(i + 1);
    memset(data, 0xcd, sizeof(data));
    expect_mac(
        key, sizeof(key), data, sizeof(data),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

static void rfc4231_case_6_key_longer_than_block(void **state)
{
    (void)state;
    unsigned char key[131];
    memset(key, 0xaa, sizeof(key));
    const char *data = "Test Using Larger Than Block-Size Key - Hash Key First";
    expect_mac(
        key, sizeof(key), data, strlen(data),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static void rfc4231_case_7_key_and_data_longer_than_block(void **state)
{
    (void)state;
    unsigned char key[131];
    memset(key, 0xaa, sizeof(key));
    const char *data =
        "This is a test using a larger than block-size key and a larger "
        "than block-size data. The key needs to be hashed before being "
        "used by the HMAC algorithm.";
    expect_mac(
        key, sizeof(key), data, strlen(data),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

static void empty_key_and_data(void **state)
{
    (void)state;
    expect_mac(
        NULL, 0, NULL, 0,
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4231_case_1),
        cmocka_unit_test(rfc4231_case_2_short_key),
        cmocka_unit_test(rfc4231_case_3),
        cmocka_unit_test(rfc4231_case_4),
        cmocka_unit_test(rfc4231_case_6_key_longer_than_block),
        cmocka_unit_test(rfc4231_case_7_key_and_data_longer_than_block),
        cmocka_unit_test(empty_key_and_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
