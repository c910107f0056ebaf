/*
 * silence.h - whether an alert is silenced: a silence covers it when it
 * names its fingerprint or its check and has not ended.
 */
#ifndef NBAQ_CORE_ALERTS_SILENCE_H
#define NBAQ_CORE_ALERTS_SILENCE_H

#include <stddef.h>
#include <stdint.h>

#include "history_alerts.h"

/* The latest end among the silences covering (fingerprint, check) at
 * now_ms; 0 when none does. */
int64_t silence_until(const history_silence *silences, size_t count,
                      const char *fingerprint, const char *check,
                      int64_t now_ms);

#endif
