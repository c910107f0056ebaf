#include "reportview.h"

#include "numfmt.h"

size_t reportview_metric_total(const nbaq_run *run)
{
    size_t n = 0;
    for (size_t i = 0; i < run->check_count; i++)
        n += run->checks[i]->metric_count;
    return n;
}

size_t reportview_each_metric(const nbaq_run *run,
                              const nbaq_check_result *const *checks,
                              reportview_metric_filter keep,
                              reportview_metric_fn item, void *state,
                              size_t limit)
{
    size_t picked = 0;
    for (size_t i = 0; i < run->check_count; i++) {
        const nbaq_check_result *c = checks[i];
        for (size_t j = 0; j < c->metric_count; j++) {
            if (keep && !keep(c->metrics[j]))
                continue;
            if (picked++ < limit)
                item(state, c, c->metrics[j]);
        }
    }
    return picked;
}

int reportview_has_stats(const nbaq_metric *m)
{
    return m->stats.count > 0;
}

int reportview_has_line(const nbaq_metric *m)
{
    return m->history_count >= 2;
}

void reportview_number(textbuf *b, double v)
{
    char text[TEXTFMT_NUMBER_SIZE];
    textfmt_number(text, sizeof(text), v);
    textbuf_puts(b, text);
}

void reportview_value_unit(textbuf *b, const nbaq_metric *m,
                           reportview_escape_fn escape)
{
    reportview_number(b, m->value);
    if (m->unit[0]) {
        textbuf_putc(b, ' ');
        escape(b, m->unit);
    }
}

void reportview_stats_cells(textbuf *b, const nbaq_metric *m,
                            const char *before, const char *after)
{
    const double cells[] = {m->stats.mean,   m->stats.median,
                            m->stats.min,    m->stats.max,
                            m->stats.stddev, m->previous_window_mean};
    for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
        textbuf_puts(b, before);
        reportview_number(b, cells[i]);
        textbuf_puts(b, after);
    }
}
