#include "plugin_bug.h"

#include <stdio.h>

#define PLUGIN_BUG_PREFIX "plugin bug: "

void plugin_bug_format(char *out, size_t size, const char *fmt, va_list ap)
{
    int used = snprintf(out, size, "%s", PLUGIN_BUG_PREFIX);
    if (used < 0 || (size_t)used >= size)
        return;
    vsnprintf(out + used, size - (size_t)used, fmt, ap);
}
