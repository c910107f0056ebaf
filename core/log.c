#include "log.h"

#include "escape.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static nbaq_log_level current_level = NBAQ_LOG_WARN;

void log_set_level(nbaq_log_level level)
{
    current_level = level;
}

nbaq_log_level log_get_level(void)
{
    return current_level;
}

static const char *level_name(nbaq_log_level level)
{
    switch (level) {
    case NBAQ_LOG_ERROR:
        return "error";
    case NBAQ_LOG_WARN:
        return "warning";
    case NBAQ_LOG_INFO:
        return "info";
    case NBAQ_LOG_DEBUG:
        return "debug";
    }
    return "log";
}

void log_vmsg(nbaq_log_level level, const char *who, const char *fmt,
              va_list ap)
{
    if (level > current_level)
        return;
    char line[4096];
    int n;
    if (who)
        n = snprintf(line, sizeof line, "nbaq-host: %s: %s: ", who,
                     level_name(level));
    else
        n = snprintf(line, sizeof line, "nbaq-host: %s: ", level_name(level));
    if (n < 0 || (size_t)n >= sizeof line)
        n = 0;
    char text[4096];
    vsnprintf(text, sizeof text, fmt, ap);
    /* What a plugin or a file said must not forge lines or drive the
     * terminal: one escaped line. */
    textbuf escaped;
    textbuf_init(&escaped);
    textfmt_line_text(&escaped, text, 0);
    size_t len = (size_t)n;
    if (!textbuf_failed(&escaped) && escaped.data) {
        size_t m = strlen(escaped.data);
        if (m > sizeof line - 2 - len)
            m = sizeof line - 2 - len;
        memcpy(line + len, escaped.data, m);
        len += m;
    }
    textbuf_free(&escaped);
    line[len++] = '\n';
    ssize_t ignored = write(STDERR_FILENO, line, len);
    (void)ignored;
}

void log_msg(nbaq_log_level level, const char *who, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_vmsg(level, who, fmt, ap);
    va_end(ap);
}
