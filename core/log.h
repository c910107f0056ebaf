/*
 * log.h - the host's messages on stderr, filtered by verbosity:
 * -q errors only, default errors and warnings, -v info, -vv debug.
 * Each message is one write(2), so that lines from concurrent children
 * do not interleave.
 */
#ifndef NBAQ_CORE_LOG_H
#define NBAQ_CORE_LOG_H

#include <stdarg.h>

#include "nbaq.h"

/* The most detailed level printed (NBAQ_LOG_ERROR .. NBAQ_LOG_DEBUG). */
void log_set_level(nbaq_log_level level);
nbaq_log_level log_get_level(void);
/* "nbaq-host: warning: text" (who, when given, after the program name:
 * "nbaq-host: check 'x': warning: text"). */
void log_msg(nbaq_log_level level, const char *who, const char *fmt, ...)
    NBAQ_PRINTF(3, 4);
void log_vmsg(nbaq_log_level level, const char *who, const char *fmt,
              va_list ap);

#endif
