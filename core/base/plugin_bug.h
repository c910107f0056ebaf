/*
 * plugin_bug.h - the message of a plugin's misuse of the host API
 * ("plugin bug: ..."), for the host API (hostapi.c), which ends the
 * check with it, and the option accessors (options.c), which hand it to
 * their bug handler.
 */
#ifndef NBAQ_PLUGIN_BUG_H
#define NBAQ_PLUGIN_BUG_H

#include <stdarg.h>
#include <stddef.h>

#include "nbaq.h"

/* Room for a message; a longer one is cut. */
#define PLUGIN_BUG_SIZE 512

/* Writes "plugin bug: " and fmt formatted with ap into out (size bytes,
 * always NUL-terminated, cut to fit). */
void plugin_bug_format(char *out, size_t size, const char *fmt, va_list ap)
    NBAQ_PRINTF(3, 0);

#endif
