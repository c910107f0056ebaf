/*
 * names.c - statuses, severities and alert states as the store writes them.
 */
#include "history_store.h"

const char *history_store_status_name(nbaq_status status)
{
    static const char *const names[] = {"PASS", "WARNING", "FAIL", "ERROR",
                                        "UNKNOWN"};
    return (unsigned)status < 5 ? names[status] : "UNKNOWN";
}

const char *history_store_severity_name(nbaq_severity severity)
{
    static const char *const names[] = {"INFO", "LOW", "MEDIUM", "HIGH",
                                        "CRITICAL"};
    return (unsigned)severity < 5 ? names[severity] : "MEDIUM";
}

const char *history_store_alert_state_name(nbaq_alert_state state)
{
    static const char *const names[] = {"NEW",      "FIRING",   "ESCALATED",
                                        "RESOLVED", "SILENCED", "FLAPPING"};
    return (unsigned)state < 6 ? names[state] : "FIRING";
}
