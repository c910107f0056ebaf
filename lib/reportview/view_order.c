#include <stdlib.h>

#include "status.h"
#include "reportview.h"

typedef struct ranked_check {
    const nbaq_check_result *check;
    size_t index;
} ranked_check;

static int worse_first(const void *a, const void *b)
{
    const ranked_check *x = a, *y = b;
    int rx = status_rank(x->check->status);
    int ry = status_rank(y->check->status);
    if (rx != ry)
        return ry - rx;
    if (x->check->severity != y->check->severity)
        return (int)y->check->severity - (int)x->check->severity;
    return x->index < y->index ? -1 : x->index > y->index;
}

const nbaq_check_result **reportview_checks_worst_first(const nbaq_run *run)
{
    if (run->check_count == 0)
        return NULL;
    ranked_check *ranked = malloc(run->check_count * sizeof(*ranked));
    const nbaq_check_result **out = malloc(run->check_count * sizeof(*out));
    if (!ranked || !out) {
        free(ranked);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < run->check_count; i++)
        ranked[i] = (ranked_check){run->checks[i], i};
    qsort(ranked, run->check_count, sizeof(*ranked), worse_first);
    for (size_t i = 0; i < run->check_count; i++)
        out[i] = ranked[i].check;
    free(ranked);
    return out;
}
