/*
 * stub_host.h - a minimal nbaq_host_api for running one reporter plugin
 * outside nbaq-host: in golden-file tests, benchmarks, and by third-party
 * reporter authors (see README.md).
 *
 * What it does like the host: options are checked against the plugin's
 * schema (unknown names and malformed numbers are errors) and defaults
 * from the schema apply; opt_location is "command line" for a set option
 * and "" for defaults; output_write writes to one file, replaced by each
 * call, or appends to stdout. What it does not: OBJECT options, checker
 * functions (metric_set and friends are no-ops), atomic renames,
 * output_dir.
 *
 * Ownership: the stub copies every string given to it; stub_host_free
 * releases everything. The API table is static and lives for ever.
 */
#ifndef NBAQ_STUB_HOST_H
#define NBAQ_STUB_HOST_H

#include <stddef.h>

#include "nbaq.h"

typedef struct stub_host stub_host;

/* NULL when memory runs out. descriptor must outlive the stub. */
stub_host *stub_host_new(const nbaq_plugin_descriptor *descriptor,
                         const char *instance_name, const char *monitor);
void stub_host_free(stub_host *host);

/* "name=value". For a STRING_LIST each call appends one item; for a
 * STRING_MAP the value is "key=value" and each call appends one entry.
 * 0, or -1 with err filled. */
int stub_host_set_option(stub_host *host, const char *assignment, char *err,
                         size_t err_size);

/* Where output_write writes: a path, or "-" for stdout (the default). */
void stub_host_set_output(stub_host *host, const char *path);
/* Makes every output_write fail with this reason (for error paths). */
void stub_host_fail_writes(stub_host *host, const char *reason);

const nbaq_host_api *stub_host_api(void);
nbaq_ctx *stub_host_ctx(stub_host *host);

/* What the reporter wrote: how many calls, the last extension, bytes
 * over all calls. */
size_t stub_host_write_count(const stub_host *host);
const char *stub_host_extension(const stub_host *host);
size_t stub_host_bytes_written(const stub_host *host);

#endif /* NBAQ_STUB_HOST_H */
