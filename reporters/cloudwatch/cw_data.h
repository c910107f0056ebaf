/*
 * cw_data.h - what CloudWatch receives for one check: each metric under a
 * name CloudWatch accepts (cw_names.h), unique within the check, with its
 * CloudWatch unit, then the check's status as one more metric. Values
 * CloudWatch refuses are left out and counted: NaN and infinities, and
 * finite values beyond +-2^360 or nearer zero than 2^-360.
 *
 * Ownership: a cw_check_data owns its data array and name set; it is
 * filled again for each check (reusing its memory) and freed once.
 */
#ifndef CW_DATA_H
#define CW_DATA_H

#include <stddef.h>

#include "cw_config.h"
#include "cw_names.h"
#include "nbaq.h"

typedef struct cw_datum {
    char name[CW_NAME_MAX + 1];
    double value;
    const char *unit; /* static, or owned by the host's options           */
} cw_datum;

/* What the whole run came to; logged at the end.                        */
typedef struct cw_tally {
    size_t checks;
    size_t data;         /* data produced (metrics and statuses)         */
    size_t not_finite;   /* values left out: NaN, +-Inf                  */
    size_t out_of_range; /* values left out: beyond CloudWatch's range   */
    size_t renamed;      /* names changed to fit CloudWatch or be unique */
} cw_tally;

typedef struct cw_check_data {
    char check[CW_DIM_VALUE_MAX + 1]; /* the Check dimension's value     */
    cw_datum *data; /* metrics in run order, the status metric last     */
    size_t count;
    size_t capacity;
    cw_nameset names;
} cw_check_data;

void cw_check_data_init(cw_check_data *cd);
void cw_check_data_free(cw_check_data *cd);

/* Fills cd for check c and adds to *tally. 0, or -1 (out of memory). */
int cw_check_data_fill(cw_check_data *cd, const cw_config *cfg,
                       const nbaq_check_result *c, cw_tally *tally, char *err,
                       size_t err_size);

/* Non-zero when CloudWatch takes v (finite, |v| within 2^-360..2^360 or
 * zero); otherwise counts it in *tally.                                  */
int cw_value_storable(double v, cw_tally *tally);

#endif
