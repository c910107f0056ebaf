/*
 * fake_host.h - the checker half of nbaq_host_api for driving db_quality's
 * measure and report steps without the host: records metrics, status,
 * message and state in memory. One instance per process; not thread-safe
 * (the report step runs on one thread).
 */
#ifndef DBQ_FAKE_HOST_H
#define DBQ_FAKE_HOST_H

#include "nbaq.h"

extern const nbaq_host_api fake_api;
#define FAKE_CTX ((nbaq_ctx *)&fake_api)

void fake_reset(void);                 /* metrics and status, not state   */
int fake_has_metric(const char *name); /* 1 when set                     */
double fake_metric(const char *name);  /* fails the test when missing    */
const char *fake_unit(const char *name);
size_t fake_metric_count(void);
nbaq_status fake_status(void);
const char *fake_message(void);
const char *fake_state(const char *key); /* NULL when never set         */

#endif
