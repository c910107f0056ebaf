/*
 * status.h - names and ordering of statuses, severities and alert states.
 *
 * "Worst" follows nbaq.h: PASS < WARNING < FAIL < UNKNOWN < ERROR, which
 * is not the numeric order of the enum (ERROR is 3, UNKNOWN 4).
 *
 * The names are also what the history store writes: never change one.
 * Every name returned is a static string.
 */
#ifndef NBAQ_CORE_STATUS_H
#define NBAQ_CORE_STATUS_H

#include "nbaq.h"

/* "PASS", "WARNING", "FAIL", "ERROR", "UNKNOWN"; "?" when out of range. */
const char *status_name(nbaq_status status);
/* 0 (PASS) .. 4 (ERROR): the position in the worst-of order. */
int status_rank(nbaq_status status);
nbaq_status status_worst(nbaq_status a, nbaq_status b);
/* Non-zero when status is one of the five values. */
int status_is_valid(int status);

/* "INFO" .. "CRITICAL". */
const char *severity_name(nbaq_severity severity);
/* Parses "info".."critical" (any case); -1 when unknown. */
int severity_parse(const char *text, nbaq_severity *out);

/* "NEW", "FIRING", "ESCALATED", "RESOLVED", "SILENCED", "FLAPPING"; "?"
 * when out of range. */
const char *alert_state_name(nbaq_alert_state state);
/* Parses those names (any case); -1 when unknown. */
int alert_state_parse(const char *text, nbaq_alert_state *out);

#endif
