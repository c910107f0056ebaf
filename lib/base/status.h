/*
 * status.h - the one set of names of statuses, severities, trends,
 * judgements and alert states, and the worst-of order of statuses: the
 * host (history store, /metrics, the alerts command) and every reporter
 * spell them from here.
 *
 * "Worst" follows nbaq.h: PASS < WARNING < FAIL < UNKNOWN < ERROR, which
 * is not the numeric order of the enum (ERROR is 3, UNKNOWN 4).
 *
 * The upper-case names are also what the history store writes: never
 * change one. Every name returned is a static string, never NULL. An
 * out-of-range value gets the fallback of its spelling: "UNKNOWN" for
 * upper-case names, "unknown" for labels and trends, "Unknown" for
 * titles, "none" for judgements (a value that is not one of the enum's
 * is shown as not known, never as a plausible state).
 */
#ifndef NBAQ_BASE_STATUS_H
#define NBAQ_BASE_STATUS_H

#include "nbaq.h"

/* "PASS", "WARNING", "FAIL", "ERROR", "UNKNOWN". */
const char *status_name(nbaq_status status);
/* Short fixed tags for terse output: "PASS", "WARN", "FAIL", "ERROR",
 * "UNKNOWN". */
const char *status_tag(nbaq_status status);
/* 0 (PASS) .. 4 (ERROR): the position in the worst-of order; out-of-range
 * values rank as ERROR. */
int status_rank(nbaq_status status);
nbaq_status status_worst(nbaq_status a, nbaq_status b);
/* Non-zero when status is one of the five values. */
int status_is_valid(int status);

/* "INFO" .. "CRITICAL". */
const char *severity_name(nbaq_severity severity);
/* "info" .. "critical": as configs, Alertmanager labels and JSON spell
 * them. */
const char *severity_label(nbaq_severity severity);
/* "Info" .. "Critical": for headings. */
const char *severity_title(nbaq_severity severity);
/* The labels in order, NULL-terminated (a config's list of choices). */
extern const char *const severity_labels[NBAQ_SEVERITY_COUNT + 1];
/* Parses "info".."critical" (any case); -1 when unknown. */
int severity_parse(const char *text, nbaq_severity *out);

/* "unknown", "stable", "improving", "worsening", "up", "down". */
const char *trend_name(nbaq_trend trend);

/* "none", "learning", "judged", "open" (nbaq_judgement, ABI 1.2). */
const char *judgement_name(nbaq_judgement state);

/* "NEW", "FIRING", "ESCALATED", "RESOLVED", "SILENCED", "FLAPPING". */
const char *alert_state_name(nbaq_alert_state state);
/* "new" .. "flapping": as JSON and webhook payloads spell them. */
const char *alert_state_label(nbaq_alert_state state);
/* Parses those names (any case); -1 when unknown. */
int alert_state_parse(const char *text, nbaq_alert_state *out);

#endif
