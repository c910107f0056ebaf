#include "status.h"

#include <strings.h>

const char *status_name(nbaq_status status)
{
    switch (status) {
    case NBAQ_PASS:
        return "PASS";
    case NBAQ_WARNING:
        return "WARNING";
    case NBAQ_FAIL:
        return "FAIL";
    case NBAQ_ERROR:
        return "ERROR";
    case NBAQ_UNKNOWN:
        return "UNKNOWN";
    }
    return "?";
}

int status_is_valid(int status)
{
    return status >= NBAQ_PASS && status <= NBAQ_UNKNOWN;
}

int status_rank(nbaq_status status)
{
    switch (status) {
    case NBAQ_PASS:
        return 0;
    case NBAQ_WARNING:
        return 1;
    case NBAQ_FAIL:
        return 2;
    case NBAQ_UNKNOWN:
        return 3;
    case NBAQ_ERROR:
        return 4;
    }
    return 4;
}

nbaq_status status_worst(nbaq_status a, nbaq_status b)
{
    return status_rank(b) > status_rank(a) ? b : a;
}

static const char *const severity_names[NBAQ_SEVERITY_COUNT] = {
    "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};

const char *severity_name(nbaq_severity severity)
{
    if ((int)severity < 0 || severity >= NBAQ_SEVERITY_COUNT)
        return "?";
    return severity_names[severity];
}

int severity_parse(const char *text, nbaq_severity *out)
{
    for (int i = 0; i < NBAQ_SEVERITY_COUNT; i++) {
        if (strcasecmp(text, severity_names[i]) == 0) {
            *out = (nbaq_severity)i;
            return 0;
        }
    }
    return -1;
}
