/* The strict JSON validator and its required-field extraction
 * (lib/jsonv). Input: a header line "<flags> <pointer> <pointer>...\n",
 * then the document(s). flags: bit 0 lines mode, bits 1-3 max_depth,
 * bits 4-7 the type each pointer is required to have. The body is fed
 * in pieces of (flags % 7 + 1) * 13 bytes. Without pointers, the body is
 * also validated whole (the structural walker takes inputs of 64 bytes
 * or more) and in pieces of 63 bytes (the byte-at-a-time scanner alone):
 * the two results must be identical, or the target aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonv.h"

#define HEADER_MAX 512

static void require_pointers(jsonv_validator *v, char *header, unsigned flags)
{
    char err[256];
    char *save = NULL;
    unsigned n = 0;
    for (char *p = strtok_r(header, " ", &save); p != NULL;
         p = strtok_r(NULL, " ", &save), n++) {
        if (n == 0)
            continue; /* the flags */
        jsonv_type type = (jsonv_type)(((flags >> 4) + n) % 8);
        jsonv_require(v, strcmp(p, "-") == 0 ? "" : p, type, err, sizeof err);
    }
}

/* The result of the body fed in pieces of `piece` bytes (0: whole). */
static jsonv_result validate_in_pieces(const jsonv_options *opt,
                                       const uint8_t *body, size_t left,
                                       size_t piece)
{
    jsonv_result r = {0};
    jsonv_validator *v = jsonv_new(opt);
    if (v == NULL)
        return r;
    while (left > 0) {
        size_t n = piece == 0 || left < piece ? left : piece;
        if (jsonv_feed(v, body, n) != 0)
            break;
        body += n;
        left -= n;
    }
    jsonv_finish(v);
    r = *jsonv_get_result(v);
    jsonv_free(v);
    return r;
}

static void walker_agrees(const jsonv_options *opt, const uint8_t *body,
                          size_t size)
{
    jsonv_result walked = validate_in_pieces(opt, body, size, 0);
    jsonv_result scanned = validate_in_pieces(opt, body, size, 63);
    if (walked.verdict != scanned.verdict || walked.offset != scanned.offset ||
        walked.line != scanned.line || walked.column != scanned.column ||
        walked.documents != scanned.documents ||
        strcmp(walked.reason, scanned.reason) != 0) {
        char a[512], b[512];
        fprintf(stderr, "walked: %s\nscanned: %s\n",
                jsonv_describe(&walked, a, sizeof a),
                jsonv_describe(&scanned, b, sizeof b));
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl =
        memchr(data, '\n', size < HEADER_MAX ? size : HEADER_MAX);
    if (nl == NULL)
        return 0;
    size_t header_len = (size_t)(nl - data);
    char header[HEADER_MAX + 1];
    memcpy(header, data, header_len);
    header[header_len] = '\0';
    int has_pointers = strchr(header, ' ') != NULL;
    unsigned flags = (unsigned)strtoul(header, NULL, 10);
    jsonv_options opt = {.mode = (flags & 1) ? JSONV_MODE_LINES
                                             : JSONV_MODE_DOCUMENT,
                         .max_depth = (flags >> 1) & 7};
    jsonv_validator *v = jsonv_new(&opt);
    if (v == NULL)
        return 0;
    require_pointers(v, header, flags);
    const uint8_t *body = nl + 1;
    size_t left = size - header_len - 1;
    size_t piece = (size_t)(flags % 7 + 1) * 13;
    while (left > 0) {
        size_t n = left < piece ? left : piece;
        if (jsonv_feed(v, body, n) != 0)
            break;
        body += n;
        left -= n;
    }
    jsonv_finish(v);
    if (!has_pointers)
        walker_agrees(&opt, nl + 1, size - header_len - 1);
    char text[512];
    jsonv_describe(jsonv_get_result(v), text, sizeof text);
    jsonv_free(v);
    return 0;
}
