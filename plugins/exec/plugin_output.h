/*
 * plugin_output.h - the layout of a monitoring plugin's output, from the
 * monitoring-plugins development guidelines:
 *
 *   TEXT OUTPUT | OPTIONAL PERFDATA
 *   LONG TEXT LINE 1
 *   LONG TEXT LINE 2 | PERFDATA LINE 2
 *   PERFDATA LINE 3
 *
 * The first line's text (before '|') is the message. Performance data is
 * what follows '|' on the first line, and, from the first later line that
 * holds a '|', what follows it there and every line after that.
 */
#ifndef NBAQ_EXEC_PLUGIN_OUTPUT_H
#define NBAQ_EXEC_PLUGIN_OUTPUT_H

#include <stddef.h>

typedef struct plugin_output {
    char *message;  /* first line before '|', blanks trimmed; may be ""    */
    char *perfdata; /* all performance data, lines joined with ' '         */
} plugin_output;

/*
 * Splits text[0..len) (need not be NUL-terminated; NUL bytes read as
 * blanks; "\r\n" ends a line like "\n"). On success both strings are
 * allocated with malloc and owned by the caller: free them with
 * plugin_output_free(). Returns -1 only when out of memory (out is then
 * empty).
 */
int plugin_output_parse(const char *text, size_t len, plugin_output *out);

void plugin_output_free(plugin_output *out);

#endif
