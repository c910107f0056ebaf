#include "cw_units.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const cloudwatch_units[] = {"Seconds",
                                               "Microseconds",
                                               "Milliseconds",
                                               "Bytes",
                                               "Kilobytes",
                                               "Megabytes",
                                               "Gigabytes",
                                               "Terabytes",
                                               "Bits",
                                               "Kilobits",
                                               "Megabits",
                                               "Gigabits",
                                               "Terabits",
                                               "Percent",
                                               "Count",
                                               "Bytes/Second",
                                               "Kilobytes/Second",
                                               "Megabytes/Second",
                                               "Gigabytes/Second",
                                               "Terabytes/Second",
                                               "Bits/Second",
                                               "Kilobits/Second",
                                               "Megabits/Second",
                                               "Gigabits/Second",
                                               "Terabits/Second",
                                               "Count/Second",
                                               "None",
                                               NULL};

/* Abbreviations, compared exactly: "MB" is not "mb" (millibits?) and
 * "B" (bytes) is not "b".                                               */
typedef struct unit_alias {
    const char *nbaq;
    const char *cloudwatch;
} unit_alias;

static const unit_alias abbreviations[] = {
    {"s", "Seconds"},
    {"sec", "Seconds"},
    {"ms", "Milliseconds"},
    {"us", "Microseconds"},
    {"\xC2\xB5s", "Microseconds"}, /* µs */
    {"B", "Bytes"},
    {"KB", "Kilobytes"},
    {"kB", "Kilobytes"},
    {"KiB", "Kilobytes"},
    {"MB", "Megabytes"},
    {"MiB", "Megabytes"},
    {"GB", "Gigabytes"},
    {"GiB", "Gigabytes"},
    {"TB", "Terabytes"},
    {"TiB", "Terabytes"},
    {"bit", "Bits"},
    {"kbit", "Kilobits"},
    {"Kbit", "Kilobits"},
    {"Mbit", "Megabits"},
    {"Gbit", "Gigabits"},
    {"Tbit", "Terabits"},
    {"B/s", "Bytes/Second"},
    {"KB/s", "Kilobytes/Second"},
    {"kB/s", "Kilobytes/Second"},
    {"KiB/s", "Kilobytes/Second"},
    {"MB/s", "Megabytes/Second"},
    {"MiB/s", "Megabytes/Second"},
    {"GB/s", "Gigabytes/Second"},
    {"GiB/s", "Gigabytes/Second"},
    {"TB/s", "Terabytes/Second"},
    {"TiB/s", "Terabytes/Second"},
    {"bit/s", "Bits/Second"},
    {"bps", "Bits/Second"},
    {"kbit/s", "Kilobits/Second"},
    {"Kbit/s", "Kilobits/Second"},
    {"kbps", "Kilobits/Second"},
    {"Mbit/s", "Megabits/Second"},
    {"Mbps", "Megabits/Second"},
    {"Gbit/s", "Gigabits/Second"},
    {"Gbps", "Gigabits/Second"},
    {"Tbit/s", "Terabits/Second"},
    {"Tbps", "Terabits/Second"},
    {"%", "Percent"},
    {"/s", "Count/Second"},
    {NULL, NULL}};

/* Words, compared in any case.                                          */
static const unit_alias words[] = {{"second", "Seconds"},
                                   {"secs", "Seconds"},
                                   {"millisecond", "Milliseconds"},
                                   {"microsecond", "Microseconds"},
                                   {"byte", "Bytes"},
                                   {"percent", "Percent"},
                                   {"pct", "Percent"},
                                   {NULL, NULL}};

/* Things counted: "rows" is Count, "rows/s" is Count/Second.             */
static const char *const counted[] = {
    "count",    "rows",       "objects", "files", "items",  "records",
    "events",   "keys",       "columns", "lines", "errors", "messages",
    "requests", "partitions", "ops",     NULL};

const char *cw_unit_canonical(const char *name)
{
    for (size_t i = 0; name != NULL && cloudwatch_units[i] != NULL; i++)
        if (strcasecmp(name, cloudwatch_units[i]) == 0)
            return cloudwatch_units[i];
    return NULL;
}

static int is_counted(const char *s, size_t len)
{
    for (size_t i = 0; counted[i] != NULL; i++)
        if (strlen(counted[i]) == len && strncasecmp(s, counted[i], len) == 0)
            return 1;
    return 0;
}

const char *cw_unit_for(const char *nbaq_unit)
{
    if (nbaq_unit == NULL || nbaq_unit[0] == '\0')
        return "None";
    const char *same = cw_unit_canonical(nbaq_unit);
    if (same != NULL)
        return same;
    for (size_t i = 0; abbreviations[i].nbaq != NULL; i++)
        if (strcmp(nbaq_unit, abbreviations[i].nbaq) == 0)
            return abbreviations[i].cloudwatch;
    for (size_t i = 0; words[i].nbaq != NULL; i++)
        if (strcasecmp(nbaq_unit, words[i].nbaq) == 0)
            return words[i].cloudwatch;
    size_t len = strlen(nbaq_unit);
    if (is_counted(nbaq_unit, len))
        return "Count";
    if (len > 2 && strcmp(nbaq_unit + len - 2, "/s") == 0 &&
        is_counted(nbaq_unit, len - 2))
        return "Count/Second";
    return "None";
}
