#include "channel_title.h"

#include <stdint.h>

#include "status.h"

static const char resolved_level[] = "RESOLVED";

const char *channel_title_level(const alertset *set)
{
    if (alertset_resolved_only(set))
        return resolved_level;
    return severity_name(alertset_worst_firing(set));
}

void channel_title_append(textbuf *b, const alertset *set, const char *monitor,
                          size_t max_name_chars, channel_escape_fn escape)
{
    char described[ALERTSET_DESCRIBE_SIZE];
    alertset_describe(set, described, sizeof(described));
    textbuf_printf(b, "%s ", channel_title_level(set));
    channel_text_append(b, monitor, max_name_chars, escape);
    textbuf_puts(b, ": ");
    channel_text_append(b, described, SIZE_MAX, escape);
}

void channel_alert_title_append(textbuf *b, const nbaq_alert *a,
                                const char *monitor, size_t max_name_chars,
                                channel_escape_fn escape)
{
    textbuf_printf(b, "%s ",
                   a->state == NBAQ_ALERT_RESOLVED
                       ? resolved_level
                       : severity_name(a->severity));
    channel_text_append(b, monitor, max_name_chars, escape);
    textbuf_puts(b, ": ");
    channel_text_append(b, a->check, max_name_chars, escape);
    if (a->metric != NULL && a->metric[0] != '\0') {
        textbuf_puts(b, " / ");
        channel_text_append(b, a->metric, max_name_chars, escape);
    }
}
