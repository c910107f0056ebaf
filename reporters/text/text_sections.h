/*
 * text_sections.h - the text report's "Metrics overview:" and "Trend
 * analysis:" sections, from the rows lib/reportview picks for the
 * markdown and html reports (metrics of the checks worst first, at most
 * max_rows each, the rest counted).
 */
#ifndef NBAQ_TEXT_SECTIONS_H
#define NBAQ_TEXT_SECTIONS_H

#include <stddef.h>

#include "nbaq.h"
#include "text_recommend.h"
#include "textbuf.h"

/* Appends both sections; checks are the run's, worst first (borrowed). */
void text_metric_sections(textbuf *b, const nbaq_run *run,
                          const nbaq_check_result *const *checks,
                          const text_markup *markup, size_t max_rows);

#endif /* NBAQ_TEXT_SECTIONS_H */
