/*
 * channel_title.h - the title of a notification, the same on every
 * channel (mail subject, Slack header, webhook `title`, Alertmanager
 * `title` annotation), so that a notice that only ends alerts never reads
 * like a page:
 *
 *   CRITICAL shop: 2 alerts (1 critical, 1 high)
 *   CRITICAL shop: 1 alert (critical), 1 resolved (high)
 *   RESOLVED shop: 2 alerts resolved (1 critical, 1 high)
 *
 * The level is the worst severity among the alerts still open, or
 * RESOLVED when there are none; the open alerts come first.
 */
#ifndef NBAQ_CHANNEL_TITLE_H
#define NBAQ_CHANNEL_TITLE_H

#include <stddef.h>

#include "alertset.h"
#include "channel_text.h"
#include "nbaq.h"
#include "textbuf.h"

/* The level word of a title: "CRITICAL" ... "INFO", or "RESOLVED". */
const char *channel_title_level(const alertset *set);

/* Appends the title of set (not empty) for monitor to b. The monitor
 * name is cut after max_name_chars and escaped with escape (may be NULL),
 * as channel_text_append does. */
void channel_title_append(textbuf *b, const alertset *set, const char *monitor,
                          size_t max_name_chars, channel_escape_fn escape);

/* Appends one alert's title: "HIGH shop: orders / rows" or "RESOLVED shop:
 * orders", names cut and escaped as above. */
void channel_alert_title_append(textbuf *b, const nbaq_alert *a,
                                const char *monitor, size_t max_name_chars,
                                channel_escape_fn escape);

#endif /* NBAQ_CHANNEL_TITLE_H */
