#include "alertset.h"

#include "status.h"

#include <stdlib.h>
#include <string.h>
#include <stdio.h>

/* Older hosts may hand a shorter nbaq_run; alerts exist since ABI 1.0 but
 * reading through struct_size keeps the rule of the header. */
static int run_has_alerts(const nbaq_run *run)
{
    size_t needed = offsetof(nbaq_run, alert_count) + sizeof(run->alert_count);
    return run->struct_size >= needed && run->alerts != NULL;
}

static int severity_is_valid(nbaq_severity severity)
{
    return (int)severity >= 0 && (int)severity < NBAQ_SEVERITY_COUNT;
}

/* Whether a goes into the set. */
static int selected(const nbaq_alert *a, int open_too)
{
    return a != NULL && severity_is_valid(a->severity) &&
           (a->notify || (open_too && a->state != NBAQ_ALERT_RESOLVED));
}

static int select_alerts(alertset *set, const nbaq_run *run, int open_too,
                         char *err, size_t err_size)
{
    memset(set, 0, sizeof(*set));
    if (!run_has_alerts(run) || run->alert_count == 0)
        return 0;
    set->alerts = calloc(run->alert_count, sizeof(*set->alerts));
    if (set->alerts == NULL) {
        snprintf(err, err_size, "out of memory selecting %zu alerts",
                 run->alert_count);
        return -1;
    }
    /* Counting sort by severity keeps the host's order inside a group. */
    for (size_t i = 0; i < run->alert_count; i++) {
        const nbaq_alert *a = run->alerts[i];
        if (selected(a, open_too))
            set->by_severity[a->severity]++;
    }
    size_t start[NBAQ_SEVERITY_COUNT];
    size_t next = 0;
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        start[s] = next;
        next += set->by_severity[s];
    }
    set->count = next;
    for (size_t i = 0; i < run->alert_count; i++) {
        const nbaq_alert *a = run->alerts[i];
        if (selected(a, open_too)) {
            set->alerts[start[a->severity]++] = a;
            if (a->state == NBAQ_ALERT_RESOLVED) {
                set->resolved++;
                set->resolved_by_severity[a->severity]++;
            }
        }
    }
    return 0;
}

int alertset_init(alertset *set, const nbaq_run *run, char *err,
                  size_t err_size)
{
    return select_alerts(set, run, 0, err, err_size);
}

int alertset_init_open(alertset *set, const nbaq_run *run, char *err,
                       size_t err_size)
{
    return select_alerts(set, run, 1, err, err_size);
}

void alertset_free(alertset *set)
{
    free(set->alerts);
    memset(set, 0, sizeof(*set));
}

nbaq_severity alertset_worst(const alertset *set)
{
    for (int s = NBAQ_SEVERITY_COUNT - 1; s > 0; s--)
        if (set->by_severity[s] > 0)
            return (nbaq_severity)s;
    return NBAQ_SEV_INFO;
}

const nbaq_alert *const *alertset_group(const alertset *set,
                                        nbaq_severity severity, size_t *count)
{
    *count = 0;
    if (set->alerts == NULL || !severity_is_valid(severity))
        return NULL;
    size_t offset = 0;
    for (int s = NBAQ_SEVERITY_COUNT - 1; s > (int)severity; s--)
        offset += set->by_severity[s];
    *count = set->by_severity[severity];
    return set->alerts + offset;
}

nbaq_severity alertset_worst_firing(const alertset *set)
{
    for (int s = NBAQ_SEVERITY_COUNT - 1; s > 0; s--)
        if (set->by_severity[s] > set->resolved_by_severity[s])
            return (nbaq_severity)s;
    return NBAQ_SEV_INFO;
}

int alertset_resolved_only(const alertset *set)
{
    return set->count > 0 && set->resolved == set->count;
}

/* Appends "N label (1 critical, 2 medium)" for counts[] (total n) at
 * buf + *used; a single alert names its severity alone. */
static void describe_part(char *buf, size_t size, size_t *used, size_t n,
                          const char *label, const size_t *counts)
{
#define DESCRIBE(...)                                                          \
    do {                                                                       \
        if (*used < size)                                                      \
            *used += (size_t)snprintf(buf + *used, size - *used, __VA_ARGS__); \
    } while (0)
    DESCRIBE("%s (", label);
    const char *separator = "";
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        if (counts[s] == 0)
            continue;
        if (n == 1)
            DESCRIBE("%s", severity_label((nbaq_severity)s));
        else
            DESCRIBE("%s%zu %s", separator, counts[s],
                     severity_label((nbaq_severity)s));
        separator = ", ";
    }
    DESCRIBE(")");
#undef DESCRIBE
}

void alertset_describe(const alertset *set, char *buf, size_t size)
{
    size_t used = 0;
    char label[64];
    if (size > 0)
        buf[0] = '\0';
    if (set->count == 0) {
        snprintf(buf, size, "no alerts");
        return;
    }
    size_t open = set->count - set->resolved;
    size_t firing[NBAQ_SEVERITY_COUNT];
    for (int s = 0; s < NBAQ_SEVERITY_COUNT; s++)
        firing[s] = set->by_severity[s] - set->resolved_by_severity[s];
    if (open > 0) {
        snprintf(label, sizeof(label), "%zu %s", open,
                 open == 1 ? "alert" : "alerts");
        describe_part(buf, size, &used, open, label, firing);
    }
    if (set->resolved == 0)
        return;
    if (open > 0)
        snprintf(label, sizeof(label), ", %zu resolved", set->resolved);
    else
        snprintf(label, sizeof(label), "%zu %s resolved", set->resolved,
                 set->resolved == 1 ? "alert" : "alerts");
    describe_part(buf, size, &used, set->resolved, label,
                  set->resolved_by_severity);
}
