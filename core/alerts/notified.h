/*
 * notified.h - the channels an alert was notified on in its episode, and
 * when last, as kept in history_alert.notified: "name=epoch_ms,..."
 * (reporter names never hold ',' or '=').
 */
#ifndef NBAQ_CORE_ALERTS_NOTIFIED_H
#define NBAQ_CORE_ALERTS_NOTIFIED_H

#include <stddef.h>
#include <stdint.h>

/* When channel was last notified; 0 when never (or list is NULL). */
int64_t notified_get(const char *list, const char *channel);

/* A new malloc'd list (caller frees): list with channel's time set to
 * ms. NULL when out of memory. */
char *notified_put(const char *list, const char *channel, int64_t ms);

/* Calls fn for each channel of list, in order. */
void notified_each(const char *list,
                   void (*fn)(void *arg, const char *channel, size_t len,
                              int64_t ms),
                   void *arg);

#endif
