/*
 * notified.c - "name=ms,name=ms" lists.
 */
#include "notified.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

void notified_each(const char *list,
                   void (*fn)(void *arg, const char *channel, size_t len,
                              int64_t ms),
                   void *arg)
{
    const char *p = list;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq)
            fn(arg, p, (size_t)(eq - p), strtoll(eq + 1, NULL, 10));
        p = end ? end + 1 : NULL;
    }
}

typedef struct lookup {
    const char *channel;
    int64_t ms;
} lookup;

static void find_one(void *arg, const char *channel, size_t len, int64_t ms)
{
    lookup *l = arg;
    if (strlen(l->channel) == len && memcmp(l->channel, channel, len) == 0)
        l->ms = ms;
}

int64_t notified_get(const char *list, const char *channel)
{
    lookup l = {channel, 0};
    notified_each(list, find_one, &l);
    return l.ms;
}

typedef struct rebuild {
    textbuf sb;
    const char *skip;
} rebuild;

static void copy_other(void *arg, const char *channel, size_t len, int64_t ms)
{
    rebuild *r = arg;
    if (strlen(r->skip) == len && memcmp(r->skip, channel, len) == 0)
        return;
    if (r->sb.len)
        textbuf_putc(&r->sb, ',');
    textbuf_append(&r->sb, channel, len);
    textbuf_printf(&r->sb, "=%" PRId64, ms);
}

char *notified_put(const char *list, const char *channel, int64_t ms)
{
    rebuild r = {TEXTBUF_INIT, channel};
    notified_each(list, copy_other, &r);
    if (r.sb.len)
        textbuf_putc(&r.sb, ',');
    textbuf_printf(&r.sb, "%s=%" PRId64, channel, ms);
    if (r.sb.failed) {
        textbuf_free(&r.sb);
        return NULL;
    }
    return textbuf_take(&r.sb);
}
