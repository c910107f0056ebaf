/*
 * partitions.h - partitions by a date in the key (partition_by: key_date,
 * "date=%Y-%m-%d", "%Y/%m/%d/%H"): the key pattern and the set of periods
 * seen. (Partitions by first-level prefix are lib/objstore's
 * objstore_prefix_table.h.)
 */
#ifndef FRESHNESS_PARTITIONS_H
#define FRESHNESS_PARTITIONS_H

#include <stddef.h>
#include <stdint.h>

#define HOUR_MS ((int64_t)3600 * 1000)
#define DAY_MS (24 * HOUR_MS)

/* A compiled key pattern: literal text with %Y %m %d %H (and %%).      */
typedef struct key_pattern {
    char text[256];
    int hourly; /* has %H: partitions are hours, else days              */
} key_pattern;

/* Returns 0, or -1 with err filled when the pattern lacks %Y %m %d or has
 * an unknown directive.                                                 */
int key_pattern_compile(key_pattern *p, const char *text, char *err,
                        size_t err_size);
/* Finds the pattern anywhere in key; returns 0 and the period's start
 * (epoch ms, UTC), or -1 when the key holds no valid date.             */
int key_pattern_match(const key_pattern *p, const char *key, int64_t *start_ms);
/* Writes the partition name for a period start, as keys spell it.      */
void key_pattern_format(const key_pattern *p, int64_t start_ms, char *out,
                        size_t out_size);

/* A set of period starts (epoch ms), open addressing.                  */
typedef struct period_set {
    int64_t *slots; /* INT64_MIN: empty                                 */
    size_t slot_count, used, limit;
    int overflow; /* more distinct periods than limit                 */
} period_set;

int period_set_init(period_set *s, size_t limit);
void period_set_free(period_set *s);
void period_set_add(period_set *s, int64_t start_ms);
int period_set_has(const period_set *s, int64_t start_ms);

#endif
