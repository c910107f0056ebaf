#include "status.h"

#include <strings.h>

#define STATUS_COUNT NBAQ_STATUS_COUNT
#define TREND_COUNT (NBAQ_TREND_DOWN + 1)
#define JUDGEMENT_COUNT (NBAQ_JUDGEMENT_OPEN + 1)
#define ALERT_STATE_COUNT (NBAQ_ALERT_FLAPPING + 1)

/* Indexed by the enums of nbaq.h. */
static const char *const status_names[STATUS_COUNT] = {
    "PASS", "WARNING", "FAIL", "ERROR", "UNKNOWN"};
static const char *const status_tags[STATUS_COUNT] = {"PASS", "WARN", "FAIL",
                                                      "ERROR", "UNKNOWN"};
static const int status_ranks[STATUS_COUNT] = {0, 1, 2, 4, 3};
static const char *const severity_names[NBAQ_SEVERITY_COUNT] = {
    "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
const char *const severity_labels[NBAQ_SEVERITY_COUNT + 1] = {
    "info", "low", "medium", "high", "critical", NULL};
static const char *const severity_titles[NBAQ_SEVERITY_COUNT] = {
    "Info", "Low", "Medium", "High", "Critical"};
static const char *const trend_names[TREND_COUNT] = {
    "unknown", "stable", "improving", "worsening", "up", "down"};
static const char *const judgement_names[JUDGEMENT_COUNT] = {"none", "learning",
                                                             "judged", "open"};
static const char *const alert_state_names[ALERT_STATE_COUNT] = {
    "NEW", "FIRING", "ESCALATED", "RESOLVED", "SILENCED", "FLAPPING"};
static const char *const alert_state_labels[ALERT_STATE_COUNT] = {
    "new", "firing", "escalated", "resolved", "silenced", "flapping"};

/* names[i], or fallback when i is out of range. */
static const char *name_at(const char *const *names, int count, int i,
                           const char *fallback)
{
    return i >= 0 && i < count ? names[i] : fallback;
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

const char *status_name(nbaq_status status)
{
    return name_at(status_names, STATUS_COUNT, (int)status, "UNKNOWN");
}

const char *status_tag(nbaq_status status)
{
    return name_at(status_tags, STATUS_COUNT, (int)status, "UNKNOWN");
}

int status_is_valid(int status)
{
    return status >= 0 && status < STATUS_COUNT;
}

int status_rank(nbaq_status status)
{
    return status_is_valid((int)status) ? status_ranks[status] : 4;
}

nbaq_status status_worst(nbaq_status a, nbaq_status b)
{
    return status_rank(b) > status_rank(a) ? b : a;
}

const char *severity_name(nbaq_severity severity)
{
    return name_at(severity_names, NBAQ_SEVERITY_COUNT, (int)severity,
                   "UNKNOWN");
}

const char *severity_label(nbaq_severity severity)
{
    return name_at(severity_labels, NBAQ_SEVERITY_COUNT, (int)severity,
                   "unknown");
}

const char *severity_title(nbaq_severity severity)
{
    return name_at(severity_titles, NBAQ_SEVERITY_COUNT, (int)severity,
                   "Unknown");
}

int severity_parse(const char *text, nbaq_severity *out)
{
    int i = name_index(text, severity_names, NBAQ_SEVERITY_COUNT);
    if (i >= 0)
        *out = (nbaq_severity)i;
    return i >= 0 ? 0 : -1;
}

const char *trend_name(nbaq_trend trend)
{
    return name_at(trend_names, TREND_COUNT, (int)trend, "unknown");
}

const char *judgement_name(nbaq_judgement state)
{
    return name_at(judgement_names, JUDGEMENT_COUNT, (int)state, "none");
}

const char *alert_state_name(nbaq_alert_state state)
{
    return name_at(alert_state_names, ALERT_STATE_COUNT, (int)state, "UNKNOWN");
}

const char *alert_state_label(nbaq_alert_state state)
{
    return name_at(alert_state_labels, ALERT_STATE_COUNT, (int)state,
                   "unknown");
}

int alert_state_parse(const char *text, nbaq_alert_state *out)
{
    int i = name_index(text, alert_state_names, ALERT_STATE_COUNT);
    if (i >= 0)
        *out = (nbaq_alert_state)i;
    return i >= 0 ? 0 : -1;
}
