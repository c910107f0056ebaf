/*
 * promtext.h - the pieces of the Prometheus text exposition format
 * (version 0.0.4) that carry outside data: names, label values, HELP
 * text and sample values. The one writer of both the host's /metrics
 * and the prometheus reporter, so that both spell a number alike.
 *
 * Names are sanitized, not escaped: a metric name must match
 * [a-zA-Z_:][a-zA-Z0-9_:]* and a label name [a-zA-Z_][a-zA-Z0-9_]*; every
 * other character (each UTF-8 code point, or invalid byte) becomes one
 * '_', a name that would start with a digit gets a leading '_', an empty
 * name becomes "_", and a label name starting with the reserved "__" gets
 * the prefix "x". Label values and HELP text keep every character and are
 * escaped instead.
 */
#ifndef NBAQ_PROMTEXT_H
#define NBAQ_PROMTEXT_H

#include "textbuf.h"

void textfmt_prom_metric_name(textbuf *b, const char *s);
void textfmt_prom_label_name(textbuf *b, const char *s);

/* A label value: \ " and newline as \\ \" \n; invalid UTF-8 as U+FFFD. */
void textfmt_prom_label_value(textbuf *b, const char *s);
/* HELP text: \ and newline as \\ \n; invalid UTF-8 as U+FFFD. */
void textfmt_prom_help(textbuf *b, const char *s);

/* The head of a family: "# HELP <name> <help>\n# TYPE <name> <type>\n",
 * the help escaped as above. name must already be a valid metric name
 * (a literal, or made by textfmt_prom_metric_name).                  */
void textfmt_prom_family(textbuf *b, const char *name, const char *type,
                         const char *help);

/* A sample value: the shortest decimal that reads back as the same
 * double; "NaN", "+Inf", "-Inf". */
void textfmt_prom_value(textbuf *b, double value);

#endif /* NBAQ_PROMTEXT_H */
