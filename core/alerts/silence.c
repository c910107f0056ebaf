/*
 * silence.c - matching silences.
 */
#include "silence.h"

#include <string.h>

static int covers(const history_silence *s, const char *fingerprint,
                  const char *check)
{
    if (s->fingerprint && *s->fingerprint)
        return strcmp(s->fingerprint, fingerprint) == 0;
    return s->check && *s->check && strcmp(s->check, check) == 0;
}

int64_t silence_until(const history_silence *silences, size_t count,
                      const char *fingerprint, const char *check,
                      int64_t now_ms)
{
    int64_t until = 0;
    for (size_t i = 0; i < count; i++) {
        const history_silence *s = &silences[i];
        if (s->until_ms > now_ms && s->until_ms > until &&
            covers(s, fingerprint, check))
            until = s->until_ms;
    }
    return until;
}
