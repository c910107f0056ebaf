/*
 * objstore_options.h - the options every object-store checker declares,
 * and their reading into an nbaq_objstore_config.
 *
 * A checker puts NBAQ_OBJSTORE_OPTION_SPECS at the top of its own option
 * array, then its own options, then NBAQ_OPTION_END:
 *
 *     static const nbaq_option_spec options[] = {
 *         NBAQ_OBJSTORE_OPTION_SPECS,
 *         {.name = "max_age", .type = NBAQ_OPT_DURATION, ...},
 *         NBAQ_OPTION_END,
 *     };
 *
 * and in its check function:
 *
 *     nbaq_objstore_config cfg;
 *     nbaq_objstore_config_from_options(api, ctx, &cfg);
 *     nbaq_objstore_open(&cfg, &store, err, sizeof err);
 */
#ifndef NBAQ_OBJSTORE_OPTIONS_H
#define NBAQ_OBJSTORE_OPTIONS_H

#include "nbaq.h"
#include "objstore.h"

#define NBAQ_OBJSTORE_OPTION_SPECS                                             \
    {.name = "url",                                                            \
     .type = NBAQ_OPT_STRING,                                                  \
     .required = 1,                                                            \
     .description = "s3://bucket/prefix, or file:///dir or a path (relative: " \
                    "to the config file) for a local directory"},              \
        {.name = "region",                                                     \
         .type = NBAQ_OPT_STRING,                                              \
         .description = "S3 region; default AWS_REGION, AWS_DEFAULT_REGION, "  \
                        "us-east-1"},                                          \
        {.name = "endpoint",                                                   \
         .type = NBAQ_OPT_URL,                                                 \
         .description = "S3-compatible endpoint URL, e.g. "                    \
                        "http://127.0.0.1:9000; default AWS"},                 \
        {.name = "path_style",                                                 \
         .type = NBAQ_OPT_BOOL,                                                \
         .description = "address buckets as endpoint/bucket; default: yes "    \
                        "when endpoint is set"},                               \
        {.name = "access_key_id",                                              \
         .type = NBAQ_OPT_STRING,                                              \
         .secret = 1,                                                          \
         .description = "default AWS_ACCESS_KEY_ID, then the profile"},        \
        {.name = "secret_access_key",                                          \
         .type = NBAQ_OPT_STRING,                                              \
         .secret = 1,                                                          \
         .description = "default AWS_SECRET_ACCESS_KEY, then the profile"},    \
        {.name = "session_token",                                              \
         .type = NBAQ_OPT_STRING,                                              \
         .secret = 1,                                                          \
         .description = "default AWS_SESSION_TOKEN, then the profile"},        \
        {.name = "profile",                                                    \
         .type = NBAQ_OPT_STRING,                                              \
         .description = "profile of the shared credentials file; default "     \
                        "AWS_PROFILE, then default"},                          \
        {.name = "credentials_file",                                           \
         .type = NBAQ_OPT_STRING,                                              \
         .description = "default AWS_SHARED_CREDENTIALS_FILE, then "           \
                        "~/.aws/credentials"},                                 \
        {.name = "ca_file",                                                    \
         .type = NBAQ_OPT_STRING,                                              \
         .description = "PEM file of the CAs to trust for an https endpoint "  \
                        "(relative: to the config file); default the "         \
                        "system's"},                                           \
        {.name = "connect_timeout",                                            \
         .type = NBAQ_OPT_DURATION,                                            \
         .default_value = "10s",                                               \
         .min = 1,                                                             \
         .max = 600000,                                                        \
         .description = "per connection"},                                     \
        {.name = "request_timeout",                                            \
         .type = NBAQ_OPT_DURATION,                                            \
         .default_value = "60s",                                               \
         .min = 1,                                                             \
         .max = 86400000,                                                      \
         .description = "per request; never past the check's timeout"},        \
        {.name = "max_retries",                                                \
         .type = NBAQ_OPT_INT,                                                 \
         .default_value = "3",                                                 \
         .min = 0,                                                             \
         .max = 10,                                                            \
         .description = "retries on 5xx, 429 and timeouts, with backoff"},     \
        {.name = "page_size",                                                  \
         .type = NBAQ_OPT_INT,                                                 \
         .default_value = "1000",                                              \
         .min = 1,                                                             \
         .max = 1000,                                                          \
         .description = "objects per ListObjectsV2 page"},                     \
        {.name = "max_pages",                                                  \
         .type = NBAQ_OPT_INT,                                                 \
         .default_value = "100000",                                            \
         .min = 1,                                                             \
         .max = 1e12,                                                          \
         .description = "a listing with more pages is an error"},              \
        {.name = "max_parallel",                                               \
         .type = NBAQ_OPT_INT,                                                 \
         .default_value = "8",                                                 \
         .min = 1,                                                             \
         .max = 64,                                                            \
         .description = "concurrent object reads"},                            \
    {                                                                          \
        .name = "share_listing", .type = NBAQ_OPT_BOOL,                        \
        .default_value = "true",                                               \
        .description = "reuse one listing per location for the whole run"      \
    }

/* Fills cfg from the instance's root options. The strings point into the
 * host's options, valid for the rest of the check callback. The request
 * timeout is cut to the time the check has left. Never fails.          */
void nbaq_objstore_config_from_options(const nbaq_host_api *api,
                                       const nbaq_ctx *ctx,
                                       nbaq_objstore_config *cfg);

/* Whether key ends with one of the strings of the checker's own
 * STRING_LIST option `name` (such as "suffixes": [".json", ".jsonl"]);
 * 0 when the list is empty or unset.                                   */
int nbaq_objstore_key_has_suffix(const nbaq_host_api *api,
                                 const nbaq_options *o, const char *name,
                                 const char *key);

/* The one rule for entries a listing skipped (a dangling symbolic link,
 * a fifo, an unreadable directory: info->skipped), applied by every
 * checker that lists, after its own verdict: records the metric
 * unlisted_entries, and when any were skipped raises *status to at least
 * WARNING and appends "; N entries could not be listed, first PATH:
 * REASON" to message (NUL-terminated, size bytes; cut to fit).         */
void nbaq_objstore_judge_skipped(const nbaq_host_api *api, nbaq_ctx *ctx,
                                 const nbaq_objstore_list_info *info,
                                 nbaq_status *status, char *message,
                                 size_t size);

/* The url (and inventory, NULL when none) an objstore can open: s3://
 * with a bucket, file://, or a path; an inventory only with an s3://
 * url. Used when opening and by the checkers' validate(), so that
 * --check-config refuses what a run would. 0, or -1 with err.        */
int nbaq_objstore_check_url(const char *url, const char *inventory, char *err,
                            size_t err_size);

/* For the validate() of a checker declaring NBAQ_OBJSTORE_OPTION_SPECS
 * (scale non-zero: and NBAQ_OBJSTORE_SCALE_OPTION_SPECS): the check
 * above on its options, naming where they are written.               */
int nbaq_objstore_validate_options(const nbaq_host_api *api,
                                   const nbaq_options *o, int scale, char *err,
                                   size_t err_size);

/* The metric declaration (nbaq_metric_decl) of that rule, for the
 * descriptor of every checker that applies it.                        */
#define NBAQ_OBJSTORE_SKIPPED_METRIC_DECL                                      \
    {                                                                          \
        .pattern = "unlisted_entries", .unit = "count",                        \
        .description = "entries the listing could not read (then WARNING)"     \
    }

#endif /* NBAQ_OBJSTORE_OPTIONS_H */
