/*
 * corpus.h - the labelled benchmark corpus of the anomaly rule, generated
 * from a fixed seed: a family of series, each either clean (no event: for
 * false alarms) or with labelled events (for recall and delay).
 */
#ifndef NBAQ_BENCH_DETECT_CORPUS_H
#define NBAQ_BENCH_DETECT_CORPUS_H

#include <stddef.h>
#include <stdint.h>

typedef struct bench_event {
    size_t start;  /* first anomalous run                            */
    size_t length; /* runs that are anomalous                        */
} bench_event;

typedef struct bench_series {
    size_t n;
    int64_t *ts;
    double *value;
    bench_event *events;
    size_t event_count;
    size_t max_delay; /* an event is caught if flagged within start +
                         max_delay runs                               */
} bench_series;

size_t corpus_family_count(void);
const char *corpus_family_name(size_t family);
/* What the family's series look like, for the table's legend. */
const char *corpus_family_legend(size_t family);

/* Generates series `index` of `family`, clean or with events. The same
 * arguments give the same series. 0, or -1 when memory runs out. */
int corpus_make(size_t family, unsigned index, int with_events,
                bench_series *out);
void corpus_free(bench_series *s);

#endif
