/*
 * text_sections.c - metrics overview and trend analysis as text:
 *
 *   Metrics overview:
 *     [FAIL]    orders_rows/rows = 120, previous 4000 (-97.0%): 120 < ...
 *
 *   Trend analysis (window, runs in it: mean, median, min, max, std dev,
 *   mean of the window before):
 *     orders_rows/rows: worsening, 120; 7d, 4 runs: 3030 3950 120 ...
 */
#include "text_sections.h"

#include "numfmt.h"
#include "status.h"
#include "reportfmt.h"
#include "reportview.h"

enum { TAG_WIDTH = 10 };

typedef struct section_state {
    textbuf *b;
    const text_markup *mk;
} section_state;

static void put_where(const section_state *s, const nbaq_check_result *c,
                      const nbaq_metric *m)
{
    s->mk->clean(s->b, c->name);
    textbuf_putc(s->b, '/');
    s->mk->clean(s->b, m->name);
}

static void put_value(const section_state *s, const nbaq_metric *m)
{
    reportview_number(s->b, m->value);
    if (m->unit[0]) {
        textbuf_putc(s->b, ' ');
        s->mk->clean(s->b, m->unit);
    }
}

static void put_omitted(textbuf *b, size_t picked, size_t max_rows)
{
    if (picked > max_rows)
        textbuf_printf(b, "  %zu more not shown (raise max_rows)\n",
                       picked - max_rows);
}

static void overview_row(void *state, const nbaq_check_result *c,
                         const nbaq_metric *m)
{
    const section_state *s = state;
    textbuf_puts(s->b, "  ");
    size_t width = s->mk->tag(s->b, s->mk->color, m->status);
    for (size_t i = width; i < TAG_WIDTH; i++)
        textbuf_putc(s->b, ' ');
    put_where(s, c, m);
    textbuf_puts(s->b, " = ");
    put_value(s, m);
    if (m->anomalous)
        textbuf_puts(s->b, " anomalous");
    if (m->has_previous) {
        char pct[TEXTFMT_NUMBER_SIZE];
        textfmt_percent_change(pct, sizeof(pct), m->change_pct);
        textbuf_puts(s->b, ", previous ");
        reportview_number(s->b, m->previous);
        textbuf_printf(s->b, " (%s)", pct);
    }
    if (m->reason && m->reason[0]) {
        textbuf_puts(s->b, ": ");
        s->mk->clean(s->b, m->reason);
    }
    textbuf_putc(s->b, '\n');
}

static void trend_row(void *state, const nbaq_check_result *c,
                      const nbaq_metric *m)
{
    const section_state *s = state;
    char window[REPORTFMT_TIME_SIZE];
    textbuf_puts(s->b, "  ");
    put_where(s, c, m);
    textbuf_printf(s->b, ": %s, ", trend_name(m->trend));
    put_value(s, m);
    textbuf_printf(s->b, "; %s, %llu run%s:",
                   reportfmt_duration(m->window_ms, window, sizeof(window)),
                   (unsigned long long)m->stats.count,
                   m->stats.count == 1 ? "" : "s");
    reportview_stats_cells(s->b, m, " ", "");
    textbuf_putc(s->b, '\n');
}

void text_metric_sections(textbuf *b, const nbaq_run *run,
                          const nbaq_check_result *const *checks,
                          const text_markup *markup, size_t max_rows)
{
    section_state s = {b, markup};
    textbuf_puts(b, "\nMetrics overview:\n");
    if (reportview_metric_total(run) == 0) {
        textbuf_puts(b, "  no metrics in this run\n");
        return;
    }
    size_t n =
        reportview_each_metric(run, checks, NULL, overview_row, &s, max_rows);
    put_omitted(b, n, max_rows);
    textbuf_puts(b, "\nTrend analysis (window, runs in it: mean, median, "
                    "min, max, std dev, mean of the window before):\n");
    n = reportview_each_metric(run, checks, reportview_has_stats, trend_row, &s,
                               max_rows);
    if (n == 0)
        textbuf_puts(b, "  no history yet: trends appear once a history "
                        "store holds a few runs\n");
    put_omitted(b, n, max_rows);
}
