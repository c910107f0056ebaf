#include "cw_data.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cw_check_data_init(cw_check_data *cd)
{
    memset(cd, 0, sizeof *cd);
    cw_nameset_init(&cd->names);
}

void cw_check_data_free(cw_check_data *cd)
{
    free(cd->data);
    cw_nameset_free(&cd->names);
    cw_check_data_init(cd);
}

int cw_value_storable(double v, cw_tally *tally)
{
    if (!isfinite(v)) {
        tally->not_finite++;
        return 0;
    }
    double magnitude = fabs(v);
    if (magnitude > 0x1p360 || (magnitude != 0 && magnitude < 0x1p-360)) {
        tally->out_of_range++;
        return 0;
    }
    return 1;
}

static int make_room(cw_check_data *cd, size_t n)
{
    if (n <= cd->capacity)
        return 0;
    cw_datum *grown = realloc(cd->data, n * sizeof *grown);
    if (grown == NULL)
        return -1;
    cd->data = grown;
    cd->capacity = n;
    return 0;
}

/* Names a metric may not take: the status metric and the dimensions. */
static void reserve_names(cw_check_data *cd, const cw_config *cfg)
{
    cw_nameset_reserve(&cd->names, "_aws");
    cw_nameset_reserve(&cd->names, cfg->status_metric);
    for (size_t i = 0; i < cfg->dimension_count; i++)
        cw_nameset_reserve(&cd->names, cfg->dimensions[i].name);
}

int cw_check_data_fill(cw_check_data *cd, const cw_config *cfg,
                       const nbaq_check_result *c, cw_tally *tally, char *err,
                       size_t err_size)
{
    size_t want = c->metric_count + 1;
    size_t reserved = cfg->dimension_count + 2;

    cd->count = 0;
    if (make_room(cd, want) != 0 ||
        cw_nameset_reset(&cd->names, want + reserved) != 0) {
        snprintf(err, err_size, "out of memory for check '%.200s'", c->name);
        return -1;
    }
    cw_sanitize(c->name, CW_TEXT_VALUE, cd->check);
    reserve_names(cd, cfg);
    for (size_t i = 0; i < c->metric_count; i++) {
        const nbaq_metric *m = c->metrics[i];
        if (!cw_value_storable(m->value, tally))
            continue;
        cw_datum *d = &cd->data[cd->count++];
        int changed = cw_sanitize(m->name, CW_TEXT_NAME, d->name);
        changed |= cw_nameset_claim(&cd->names, d->name);
        tally->renamed += changed ? 1 : 0;
        d->value = m->value;
        d->unit = cw_config_unit(cfg, m->unit);
    }
    cw_datum *status = &cd->data[cd->count++];
    snprintf(status->name, sizeof status->name, "%s", cfg->status_metric);
    status->value = (double)c->status;
    status->unit = "None";
    tally->checks++;
    tally->data += cd->count;
    return 0;
}
