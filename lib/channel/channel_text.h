/*
 * channel_text.h - untrusted text (check names, summaries) on one line of
 * a human-readable notification (a Slack section, a mail body or
 * subject), with an optional escape for the target's markup.
 */
#ifndef NBAQ_CHANNEL_TEXT_H
#define NBAQ_CHANNEL_TEXT_H

#include <stddef.h>

#include "textbuf.h"

/* U+2026, appended where text was cut. */
#define CHANNEL_ELLIPSIS "\xE2\x80\xA6"

/* Returns the text that replaces code point cp in the target markup
 * ("&lt;" for '<' in Slack), or NULL to keep it as it is. */
typedef const char *(*channel_escape_fn)(long cp);

/*
 * Appends s (NULL appends nothing) to b: invalid UTF-8 becomes U+FFFD,
 * control characters (line breaks and tabs included) a space, escape (may
 * be NULL) replaces what the markup needs, and after max_chars code points
 * the rest is cut and CHANNEL_ELLIPSIS appended.
 */
void channel_text_append(textbuf *b, const char *s, size_t max_chars,
                         channel_escape_fn escape);

#endif /* NBAQ_CHANNEL_TEXT_H */
