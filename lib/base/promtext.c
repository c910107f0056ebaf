#include "promtext.h"

#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "utf8.h"

static int is_alpha_(long cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '_';
}

static int is_digit(long cp)
{
    return cp >= '0' && cp <= '9';
}

/* colon_ok: metric names may hold ':', label names may not. */
static void prom_name(textbuf *b, const char *s, int colon_ok)
{
    if (!s || !*s) {
        textbuf_putc(b, '_');
        return;
    }
    if (is_digit((unsigned char)*s))
        textbuf_putc(b, '_');
    for (const char *p = s; *p;) {
        size_t len;
        long cp = utf8_decode(p, &len);
        int ok = is_alpha_(cp) || is_digit(cp) || (colon_ok && cp == ':');
        textbuf_putc(b, ok ? (char)cp : '_');
        p += len;
    }
}

void textfmt_prom_metric_name(textbuf *b, const char *s)
{
    prom_name(b, s, 1);
}

void textfmt_prom_label_name(textbuf *b, const char *s)
{
    if (s && s[0] == '_' && s[1] == '_')
        textbuf_putc(b, 'x');
    prom_name(b, s, 0);
}

static void help_emit(textbuf *b, long cp, const char *bytes, size_t len)
{
    if (cp < 0)
        textbuf_puts(b, UTF8_REPLACEMENT);
    else if (cp == '\\')
        textbuf_puts(b, "\\\\");
    else if (cp == '\n')
        textbuf_puts(b, "\\n");
    else
        textbuf_append(b, bytes, len);
}

static void label_value_emit(textbuf *b, long cp, const char *bytes, size_t len)
{
    if (cp == '"')
        textbuf_puts(b, "\\\"");
    else
        help_emit(b, cp, bytes, len);
}

void textfmt_prom_label_value(textbuf *b, const char *s)
{
    textfmt_escape_each(b, s, "\\\"", label_value_emit);
}

void textfmt_prom_help(textbuf *b, const char *s)
{
    textfmt_escape_each(b, s, "\\", help_emit);
}

void textfmt_prom_family(textbuf *b, const char *name, const char *type,
                         const char *help)
{
    textbuf_printf(b, "# HELP %s ", name);
    textfmt_prom_help(b, help);
    textbuf_printf(b, "\n# TYPE %s %s\n", name, type);
}

void textfmt_prom_value(textbuf *b, double value)
{
    if (isnan(value)) {
        textbuf_puts(b, "NaN");
        return;
    }
    if (isinf(value)) {
        textbuf_puts(b, value > 0 ? "+Inf" : "-Inf");
        return;
    }
    char text[TEXTFMT_NUMBER_SIZE];
    textfmt_number_exact(text, sizeof text, value);
    textbuf_puts(b, text);
}
