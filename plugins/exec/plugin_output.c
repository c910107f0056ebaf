/* plugin_output.c - see plugin_output.h. */
#include "plugin_output.h"

#include <stdlib.h>
#include <string.h>

/* A growing string; the buffers are large enough from the start (the
 * text's length), so appending never reallocates. */
typedef struct text_buf {
    char *data;
    size_t len;
} text_buf;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\0';
}

/* Appends line[0..len) with blanks trimmed, and NUL bytes as spaces;
 * a space first when the buffer is not empty. */
static void append_trimmed(text_buf *buf, const char *line, size_t len)
{
    while (len > 0 && is_blank(line[0])) {
        line++;
        len--;
    }
    while (len > 0 && is_blank(line[len - 1])) {
        len--;
    }
    if (len == 0) {
        return;
    }
    if (buf->len > 0) {
        buf->data[buf->len++] = ' ';
    }
    for (size_t i = 0; i < len; i++) {
        buf->data[buf->len++] = line[i] == '\0' ? ' ' : line[i];
    }
    buf->data[buf->len] = '\0';
}

int plugin_output_parse(const char *text, size_t len, plugin_output *out)
{
    text_buf message = {malloc(len + 1), 0};
    text_buf perfdata = {malloc(len + 1), 0};
    out->message = NULL;
    out->perfdata = NULL;
    if (message.data == NULL || perfdata.data == NULL) {
        free(message.data);
        free(perfdata.data);
        return -1;
    }
    message.data[0] = '\0';
    perfdata.data[0] = '\0';

    int first_line = 1;
    int in_perfdata = 0; /* a later line had a '|': the rest is perfdata */
    size_t pos = 0;
    while (pos < len) {
        const char *line = text + pos;
        const char *newline = memchr(line, '\n', len - pos);
        size_t line_len = newline ? (size_t)(newline - line) : len - pos;
        pos += line_len + (newline ? 1 : 0);
        const char *bar = in_perfdata ? NULL : memchr(line, '|', line_len);
        if (in_perfdata) {
            append_trimmed(&perfdata, line, line_len);
        } else if (bar != NULL) {
            size_t before = (size_t)(bar - line);
            if (first_line) {
                append_trimmed(&message, line, before);
            } else {
                in_perfdata = 1;
            }
            append_trimmed(&perfdata, bar + 1, line_len - before - 1);
        } else if (first_line) {
            append_trimmed(&message, line, line_len);
        }
        first_line = 0;
    }
    out->message = message.data;
    out->perfdata = perfdata.data;
    return 0;
}

void plugin_output_free(plugin_output *out)
{
    free(out->message);
    free(out->perfdata);
    out->message = NULL;
    out->perfdata = NULL;
}
