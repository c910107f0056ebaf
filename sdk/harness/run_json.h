/*
 * run_json.h - reads a run fixture (JSON, described in README.md) into a
 * run_builder, so that a reporter can be fed the same run every time.
 */
#ifndef NBAQ_RUN_JSON_H
#define NBAQ_RUN_JSON_H

#include <stddef.h>

#include "run_builder.h"

/* Reads path. Returns a finished builder (the caller frees it with
 * run_builder_free), or NULL with err filled (naming the file and the
 * JSON path of the offending field). */
run_builder *run_json_load(const char *path, char *err, size_t err_size);

#endif /* NBAQ_RUN_JSON_H */
