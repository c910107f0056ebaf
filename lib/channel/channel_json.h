/*
 * channel_json.h - untrusted text (names, summaries) into a cJSON
 * payload so that the payload is always valid UTF-8 JSON: cJSON copies
 * bytes as they are, and a receiver with a strict parser would refuse a
 * document holding a stray byte. And times, in the one format every
 * channel's payload uses.
 */
#ifndef NBAQ_CHANNEL_JSON_H
#define NBAQ_CHANNEL_JSON_H

#include <stdint.h>

#include <cJSON.h>

/* Adds name: value to object, each byte of value that is not valid UTF-8
 * replaced with U+FFFD; NULL is added as "". Returns the new item, or
 * NULL when memory runs out (object is then unchanged). */
cJSON *channel_json_add_string(cJSON *object, const char *name,
                               const char *value);

/* Adds name: epoch_ms as ISO 8601 UTC with milliseconds
 * ("2024-05-01T12:00:00.000Z"). Returns the new item, or NULL when
 * memory runs out. */
cJSON *channel_json_add_time(cJSON *object, const char *name, int64_t epoch_ms);

#endif /* NBAQ_CHANNEL_JSON_H */
