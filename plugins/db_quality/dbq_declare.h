/*
 * dbq_declare.h - what db_quality declares to the host beyond its options
 * (ABI 1.2): the metrics it emits, and validate(), the rules across
 * options that the schema cannot say.
 */
#ifndef DBQ_DECLARE_H
#define DBQ_DECLARE_H

#include <stddef.h>

#include "nbaq.h"

extern const nbaq_metric_decl dbq_metric_decls[];

/* Refuses a column named twice in one table's critical_columns,
 * key_columns or column rules (their metrics would collide), references
 * whose ref_columns do not pair with columns, and min_length above
 * max_length. Returns 0, or -1 with err naming file:line:column. */
int dbq_validate(const nbaq_host_api *api, const nbaq_options *opts, char *err,
                 size_t err_size);

#endif
