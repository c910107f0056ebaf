/*
 * reportfmt.h - names and time formats shared by every reporter.
 *
 * Owner: helper "basic" (lib/reportfmt/). Used by every reporter and by
 * lib/reportview and lib/channel. This interface is stable: functions
 * are only ever added, never changed or removed. Ask the owner for a change.
 *
 * Every name returned is a static string: never freed, lives for ever.
 * Out-of-range enum values give "UNKNOWN" (statuses, severities),
 * "Unknown" (severity titles) or "unknown" (severity labels, trends,
 * alert states), never NULL.
 * Formatting functions write into a caller's buffer, always NUL-terminated
 * (when size > 0), and return the buffer.
 * Numbers for people are formatted by lib/textfmt (textfmt_number), not
 * here.
 */
#ifndef NBAQ_REPORTFMT_H
#define NBAQ_REPORTFMT_H

#include <stddef.h>
#include <stdint.h>

#include "nbaq.h"

/* "PASS", "WARNING", "FAIL", "ERROR", "UNKNOWN": the JSON report's names. */
const char *reportfmt_status_name(nbaq_status status);

/* Short fixed tags for terse output: "PASS", "WARN", "FAIL", "ERROR",
 * "UNKNOWN". */
const char *reportfmt_status_tag(nbaq_status status);

/* Rank in the "worst" order of nbaq.h: PASS 0 < WARNING 1 < FAIL 2 <
 * UNKNOWN 3 < ERROR 4. Out-of-range values rank as ERROR. */
int reportfmt_status_rank(nbaq_status status);

/* "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL". */
const char *reportfmt_severity_name(nbaq_severity severity);

/* "info", "low", "medium", "high", "critical" ("unknown" when out of
 * range): as Alertmanager labels and webhook payloads spell them. */
const char *reportfmt_severity_label(nbaq_severity severity);

/* "Info", "Low", "Medium", "High", "Critical" ("Unknown" when out of
 * range): for headings. */
const char *reportfmt_severity_title(nbaq_severity severity);

/* "unknown", "stable", "improving", "worsening", "up", "down". */
const char *reportfmt_trend_name(nbaq_trend trend);

/* "none", "learning", "judged", "open" (nbaq_judgement, ABI 1.2). */
const char *reportfmt_judgement_name(nbaq_judgement state);

/* "new", "firing", "escalated", "resolved", "silenced", "flapping". */
const char *reportfmt_alert_state_name(nbaq_alert_state state);

/* Room for any time or duration this header formats, NUL included. */
#define REPORTFMT_TIME_SIZE 32

/* Epoch milliseconds as ISO 8601 UTC with milliseconds:
 * "2026-11-28T20:00:00.123Z". Negative times are formatted too
 * (before 1970). */
char *reportfmt_iso8601_utc(int64_t epoch_ms, char *buf, size_t size);

/* A duration for people: "0ms", "850ms", "1.25s", "59.9s", "2m05s",
 * "3h07m", "2d04h". Negative values get a leading '-'. */
char *reportfmt_duration(int64_t ms, char *buf, size_t size);

#endif
