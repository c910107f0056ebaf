/*
 * text_recommend.c - recommendations as text:
 *
 *   1. [FAIL] Stale data: orders_landing/newest_age_seconds
 *      what:  newest_age_seconds = 93600 s (1d 2h): ...
 *      since: ...
 *      look:  the upstream job that delivers this data: ...
 */
#include "text_recommend.h"

#include "recommend.h"
#include "reportview.h"

static void put_line(textbuf *b, const text_markup *mk, const char *label,
                     const char *text)
{
    if (text[0] == '\0')
        return;
    textbuf_printf(b, "     %-7s", label);
    mk->clean(b, text);
    textbuf_putc(b, '\n');
}

static void put_item(textbuf *b, const text_markup *mk, size_t number,
                     const recommendation *r)
{
    textbuf_printf(b, "%3zu. ", number);
    mk->tag(b, mk->color, r->status);
    textbuf_printf(b, " %s: ", r->title);
    mk->clean(b, r->check->name);
    if (r->metric) {
        textbuf_putc(b, '/');
        mk->clean(b, r->metric->name);
    }
    textbuf_putc(b, '\n');
    put_line(b, mk, "what:", r->what);
    put_line(b, mk, "since:", r->since);
    put_line(b, mk, "look:", r->look);
}

int text_recommendations(textbuf *b, const nbaq_run *run,
                         const nbaq_check_result *const *checks,
                         const text_markup *markup)
{
    recommendation_list list;
    if (recommend_build(&list, run, checks, recommend_capacity(run)) != 0)
        return -1;
    if (list.count > 0)
        textbuf_puts(b, "\nRecommendations:\n");
    for (size_t i = 0; i < list.count; i++)
        put_item(b, markup, i + 1, &list.items[i]);
    recommend_free(&list);
    return 0;
}
