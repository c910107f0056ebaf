/*
 * harness_result.h - what nbaq-plugin-test shows of a result: a JSON
 * document (the format is in docs/writing-a-plugin.md, "Testing a
 * plugin") or text, and the comparison with an expected JSON document a
 * plugin author wrote by hand.
 */
#ifndef NBAQ_HARNESS_RESULT_H
#define NBAQ_HARNESS_RESULT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "harness.h"

/* The result as JSON (the caller deletes it); NULL when out of memory. */
cJSON *harness_result_json(const harness_result *result);

/* The result as text lines: "check 'x': PASS: message", then one line
 * per metric, state key and backfilled series, then a checker's declared
 * metrics ("  declared rows (rows)", or "  metrics: not declared") and
 * one "  UNDECLARED metric x: ..." line per name recorded but not
 * declared. The JSON has "undeclared_metrics" when there are any. */
void harness_result_text(const harness_result *result, FILE *out);

/* What --list shows of a result of harness_list(): the declared metrics
 * expanded with the options, with their units and descriptions. */
cJSON *harness_declarations_json(const harness_result *result);
void harness_declarations_text(const harness_result *result, FILE *out);

/* 0 when the JSON document in expected_path equals actual (objects in any
 * key order, numbers as numbers); else -1 with err saying why (a read or
 * parse error naming the file, or the first differing field by its JSON
 * path). */
int harness_result_compare(const cJSON *actual, const char *expected_path,
                           char *err, size_t err_size);

#endif
