/*
 * reportfmt.h - time formats shared by every reporter. The names of
 * statuses, severities, trends, judgements and alert states are base's
 * (status.h), shared with the host.
 *
 * Owner: helper "basic" (lib/reportfmt/). Used by every reporter and by
 * lib/reportview and lib/channel. This interface is stable: functions
 * are only ever added, never changed or removed (the names left for base
 * with issue #14, every caller converted). Ask the owner for a change.
 *
 * Formatting functions write into a caller's buffer, always NUL-terminated
 * (when size > 0), and return the buffer.
 * Numbers for people are formatted by lib/base (numfmt.h), not here.
 */
#ifndef NBAQ_REPORTFMT_H
#define NBAQ_REPORTFMT_H

#include <stddef.h>
#include <stdint.h>

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
