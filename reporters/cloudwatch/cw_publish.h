/*
 * cw_publish.h - sending PutMetricData requests and judging the answers.
 *
 * Each request is a form-encoded POST to cfg->url, signed with AWS
 * Signature Version 4 for service "monitoring" by lib/http. lib/http
 * tries it again, at most cfg->retries times in all, after
 * cfg->retry_delay_ms, doubled each time, at most 10 s: on HTTP 5xx and
 * 429, timeouts and dropped connections, and when CloudWatch throttles it
 * (HTTP 400 with code Throttling, ThrottlingException or
 * RequestLimitExceeded, which this module tells lib/http through
 * retry_if).
 *
 * A refused request is described by CloudWatch's error code and message
 * (printable ASCII, at most 200 characters, with any credential that the
 * reply might echo replaced by "***"); the target is named by
 * scheme://host[:port] only.
 *
 * Ownership: the publisher keeps pointers to cfg and to the credentials,
 * which must outlive it; it owns its HTTP client (close it).
 */
#ifndef CW_PUBLISH_H
#define CW_PUBLISH_H

#include <stddef.h>

#include "awscreds.h"
#include "cw_config.h"
#include "http.h"

typedef struct cw_publisher {
    const cw_config *cfg;
    nbaq_http_client *client;
    nbaq_http_sigv4 sigv4;
    const char *secrets[3]; /* scrubbed from replies; NULL-terminated    */
    size_t requests;        /* sent (accepted or not)                    */
    size_t failed;          /* not accepted                              */
    int give_up; /* the last failure would hit every later request too  */
} cw_publisher;

/* 0, or -1 with err filled (curl could not be set up). */
int cw_publisher_open(cw_publisher *p, const cw_config *cfg,
                      const nbaq_aws_credentials *creds, char *err,
                      size_t err_size);
void cw_publisher_close(cw_publisher *p);

/* Sends one request body holding count data. 0 when CloudWatch accepted
 * it; -1 with err filled when not (then p->give_up says whether sending
 * more is pointless: no connection, or credentials refused).            */
int cw_publisher_send(cw_publisher *p, const char *body, size_t len,
                      size_t count, char *err, size_t err_size);

#endif
