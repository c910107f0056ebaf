/* The S3 ListObjectsV2 page parser and the <Error> parser (lib/objstore).
 * The first byte splits the input into two feeds, as a page arrives in
 * pieces from the network. */
#include <stddef.h>
#include <stdint.h>

#include "objstore_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t cut = data[0] % size;
    const uint8_t *xml = data + 1;
    size_t len = size - 1;
    if (cut > len)
        cut = len;
    s3_page *page = s3_page_new();
    if (page == NULL || s3_page_begin(page) != 0) {
        s3_page_free(page);
        return 0;
    }
    char err[256];
    if (s3_page_feed(page, xml, cut) == 0 &&
        s3_page_feed(page, xml + cut, len - cut) == 0 &&
        s3_page_end(page, err, sizeof err) == 0) {
        for (size_t i = 0; i < s3_page_count(page); i++) {
            nbaq_objstore_object o;
            s3_page_object(page, i, &o);
        }
        s3_page_next_token(page);
    }
    s3_page_free(page);
    char code[128], message[300];
    s3_error_parse((const char *)xml, len, code, sizeof code, message,
                   sizeof message);
    return 0;
}
