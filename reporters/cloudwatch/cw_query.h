/*
 * cw_query.h - the body of a PutMetricData request in the query protocol:
 * form-encoded fields (application/x-www-form-urlencoded)
 *
 *   Action=PutMetricData&Version=2010-08-01&Namespace=<ns>
 *   &MetricData.member.<i>.MetricName=<name>
 *   &MetricData.member.<i>.Dimensions.member.<j>.Name=<dimension>
 *   &MetricData.member.<i>.Dimensions.member.<j>.Value=<value>
 *   &MetricData.member.<i>.Value=<shortest decimal that reads back>
 *   &MetricData.member.<i>.Unit=<CloudWatch unit>
 *   &MetricData.member.<i>.Timestamp=<ISO 8601 UTC, milliseconds>
 *   [&MetricData.member.<i>.StorageResolution=1]
 *
 * with every value percent-encoded (RFC 3986 unreserved characters kept).
 *
 * A batch grows one datum at a time; cw_query_fits() says whether the
 * next one still fits the request limits, so that the caller sends the
 * batch first when it does not.
 *
 * Ownership: a batch owns its body (a textbuf); free it with _free.
 */
#ifndef CW_QUERY_H
#define CW_QUERY_H

#include <stddef.h>

#include "cw_config.h"
#include "cw_data.h"
#include "textbuf.h"

typedef struct cw_query_batch {
    textbuf body;
    size_t count;     /* data in the body                                */
    size_t max_count; /* batch_size                                      */
    size_t max_bytes; /* CW_MAX_REQUEST_BYTES                            */
    textbuf datum;    /* the next datum, encoded                          */
    textbuf number;   /* scratch for one value                           */
    char timestamp[32];
} cw_query_batch;

void cw_query_init(cw_query_batch *b, const cw_config *cfg);
void cw_query_free(cw_query_batch *b);

/* Empties the body and writes the fields before the data.               */
void cw_query_start(cw_query_batch *b, const cw_config *cfg);

/* Encodes datum d of a check (check: the Check dimension's value) as the
 * next member; then cw_query_fits() tells whether it may be appended.
 * -1 when memory ran out.                                               */
int cw_query_prepare(cw_query_batch *b, const cw_config *cfg, const char *check,
                     const cw_datum *d);
int cw_query_fits(const cw_query_batch *b);
/* Appends the prepared datum. -1 when memory ran out.                    */
int cw_query_append(cw_query_batch *b);

#endif
