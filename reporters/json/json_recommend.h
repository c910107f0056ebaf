/*
 * json_recommend.h - the report's "recommendations" member: the list
 * lib/reportview builds for every format, as structured JSON.
 */
#ifndef NBAQ_JSON_RECOMMEND_H
#define NBAQ_JSON_RECOMMEND_H

#include <cjson/cJSON.h>

#include "nbaq.h"

/* Makes a JSON string of untrusted text (json.c's text_json). */
typedef cJSON *(*json_text_fn)(const char *s);

/* An array of {rule, title, status, check, metric, what, since, look},
 * every recommendation of the run, checks worst first. NULL, with *ok
 * cleared, when memory runs out. The caller owns the result. */
cJSON *json_recommendations(const nbaq_run *run, json_text_fn text, int *ok);

#endif /* NBAQ_JSON_RECOMMEND_H */
