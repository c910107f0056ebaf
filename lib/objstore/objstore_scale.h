/*
 * objstore_scale.h - the options for buckets of any size, which the
 * counting checkers (object_count, freshness) declare after
 * NBAQ_OBJSTORE_OPTION_SPECS:
 *   connections  list the first-level prefixes this many at once
 *   inventory    read an S3 Inventory (CSV) instead of listing
 * and the metric that dates an inventory's figures.
 */
#ifndef NBAQ_OBJSTORE_SCALE_H
#define NBAQ_OBJSTORE_SCALE_H

#include "nbaq.h"
#include "objstore.h"

#define NBAQ_OBJSTORE_SCALE_OPTION_SPECS                                       \
    {.name = "connections",                                                    \
     .type = NBAQ_OPT_INT,                                                     \
     .default_value = "1",                                                     \
     .min = 1,                                                                 \
     .max = 64,                                                                \
     .description = "S3: list the first-level prefixes this many at once "     \
                    "(1: page after page)"},                                   \
    {                                                                          \
        .name = "inventory", .type = NBAQ_OPT_STRING,                          \
        .description = "S3: read this S3 Inventory (CSV) instead of listing: " \
                       "s3://bucket/prefix/ (its newest manifest.json) or "    \
                       "s3://bucket/.../manifest.json"                         \
    }

/* The metric of those options (nbaq_metric_decl), for the descriptors of
 * the checkers that declare NBAQ_OBJSTORE_SCALE_OPTION_SPECS.          */
#define NBAQ_OBJSTORE_SCALE_METRIC_DECL                                        \
    {                                                                          \
        .pattern = "{inventory=*}inventory.age_seconds", .unit = "s",          \
        .description = "with inventory: age of the inventory read"             \
    }

/* Adds the two options to cfg (after nbaq_objstore_config_from_options).
 * The string points into the host's options. Never fails.             */
void nbaq_objstore_scale_from_options(const nbaq_host_api *api,
                                      const nbaq_ctx *ctx,
                                      nbaq_objstore_config *cfg);

/* With figures read from an inventory, sets inventory.age_seconds (now
 * minus the inventory's creationTimestamp) so that a threshold can judge
 * a stale inventory; nothing when the bucket was listed.              */
void nbaq_objstore_report_inventory(const nbaq_host_api *api, nbaq_ctx *ctx,
                                    const nbaq_objstore_list_info *info);

#endif /* NBAQ_OBJSTORE_SCALE_H */
