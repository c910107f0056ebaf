/*
 * text_recommend.h - the text report's "Recommendations:" section, from
 * lib/reportview's list (the same one json, markdown and html show).
 */
#ifndef NBAQ_TEXT_RECOMMEND_H
#define NBAQ_TEXT_RECOMMEND_H

#include "nbaq.h"
#include "textbuf.h"

/* How text.c writes untrusted text and a status tag. */
typedef struct text_markup {
    void (*clean)(textbuf *b, const char *s);
    size_t (*tag)(textbuf *b, int color, nbaq_status s);
    int color;
} text_markup;

/* Appends the section (nothing when the run needs none), every
 * recommendation; checks are the run's, worst first (borrowed). 0, or -1
 * when memory runs out. */
int text_recommendations(textbuf *b, const nbaq_run *run,
                         const nbaq_check_result *const *checks,
                         const text_markup *markup);

#endif /* NBAQ_TEXT_RECOMMEND_H */
