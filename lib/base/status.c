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

#define ALERT_STATE_COUNT (NBAQ_ALERT_FLAPPING + 1)
static const char *const alert_state_names[ALERT_STATE_COUNT] = {
    "NEW", "FIRING", "ESCALATED", "RESOLVED", "SILENCED", "FLAPPING"};

/* names[i], or "?" when i is out of range. */
static const char *name_at(const char *const *names, int count, int i)
{
    return i >= 0 && i < count ? names[i] : "?";
}

/* The index of text in names (any case); -1 when absent. */
static int name_index(const char *text, const char *const *names, int count)
{
    for (int i = 0; i < count; i++) {
        if (strcasecmp(text, names[i]) == 0)
            return i;
    }
    return -1;
}

const char *severity_name(nbaq_severity severity)
{
    return name_at(severity_names, NBAQ_SEVERITY_COUNT, (int)severity);
}

int severity_parse(const char *text, nbaq_severity *out)
{
    int i = name_index(text, severity_names, NBAQ_SEVERITY_COUNT);
    if (i >= 0)
        *out = (nbaq_severity)i;
    return i >= 0 ? 0 : -1;
}

const char *alert_state_name(nbaq_alert_state state)
{
    return name_at(alert_state_names, ALERT_STATE_COUNT, (int)state);
}

int alert_state_parse(const char *text, nbaq_alert_state *out)
{
    int i = name_index(text, alert_state_names, ALERT_STATE_COUNT);
    if (i >= 0)
        *out = (nbaq_alert_state)i;
    return i >= 0 ? 0 : -1;
}
