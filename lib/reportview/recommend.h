/*
 * recommend.h - recommendations built from what went wrong in a run:
 * what is wrong, since when, and where to look, for each check that
 * could not measure, each metric over a limit, anomalous or worsening.
 *
 * Owner: helper "reports" (lib/reportview/). Used by every report format
 * (markdown, html, json, text), which escape the plain text as they need;
 * one list, so that every format recommends the same things.
 *
 * Ownership: recommend_build allocates the items and their text;
 * recommend_free releases them. check, metric and alert point into the
 * run and live as long as it does.
 */
#ifndef NBAQ_RECOMMEND_H
#define NBAQ_RECOMMEND_H

#include <stddef.h>

#include "nbaq.h"

typedef enum recommendation_kind {
    REC_CHECK_ERROR, /* the check could not measure (ERROR, UNKNOWN)    */
    REC_STALE,       /* an age or freshness metric is not PASS          */
    REC_ANOMALY,     /* the anomaly rule fired                          */
    REC_NULL_RATE,   /* a NULL-rate metric is not PASS or worsens       */
    REC_LIMIT,       /* any other metric that is not PASS               */
    REC_WORSENING,   /* PASS, but the trend is worsening                */
    REC_CHECK_FAILED /* the check's plugin itself reported WARNING/FAIL */
} recommendation_kind;

typedef struct recommendation {
    recommendation_kind kind;
    nbaq_status status; /* the metric's, else the check's  */
    const nbaq_check_result *check;
    const nbaq_metric *metric; /* NULL: about the check as a whole */
    const char *title;         /* static: "Stale data"            */
    char *what;  /* plain text: what is wrong, with the numbers         */
    char *since; /* plain text: since when; "" when nothing tells       */
    char *look;  /* plain text: where to look beyond check and metric   */
} recommendation;

typedef struct recommendation_list {
    recommendation *items;
    size_t count;
    size_t omitted; /* further recommendations beyond max_items          */
} recommendation_list;

/* Builds at most max_items recommendations for the run, following the
 * order of checks (worst first, from reportview_checks_worst_first).
 * 0, or -1 when memory runs out (list is then empty). */
int recommend_build(recommendation_list *list, const nbaq_run *run,
                    const nbaq_check_result *const *checks, size_t max_items);
void recommend_free(recommendation_list *list);

/* The most recommendations a run can give (one per check, one per
 * metric), as max_items for a format that shows them all.            */
size_t recommend_capacity(const nbaq_run *run);
/* A stable machine name of a kind, for JSON: "check_error", "stale_data",
 * "anomaly", "null_rate", "limit", "worsening", "check_failed".       */
const char *recommend_rule_name(recommendation_kind kind);

#endif /* NBAQ_RECOMMEND_H */
