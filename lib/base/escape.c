#include "escape.h"

#include <string.h>

#include "utf8.h"

/* The characters HTML and XML replace with references. */
#define MARKUP_SPECIALS "&<>\"'"

void textfmt_escape_each(textbuf *b, const char *s, const char *specials,
                         textfmt_emit_fn emit)
{
    if (!s)
        return;
    while (*s) {
        size_t plain = utf8_plain_run(s, specials);
        textbuf_append(b, s, plain);
        s += plain;
        if (!*s)
            break;
        size_t len;
        long cp = utf8_decode(s, &len);
        emit(b, cp, s, len);
        s += len;
    }
}

static void replace_invalid_emit(textbuf *b, long cp, const char *bytes,
                                 size_t len)
{
    if (cp < 0)
        textbuf_puts(b, UTF8_REPLACEMENT);
    else
        textbuf_append(b, bytes, len);
}

const char *textfmt_utf8_valid(textbuf *scratch, const char *s)
{
    const char *p = s + utf8_valid_prefix(s);
    if (!*p)
        return s;
    textbuf_append(scratch, s, (size_t)(p - s));
    textfmt_escape_each(scratch, p, "", replace_invalid_emit);
    return textbuf_failed(scratch) ? NULL : scratch->data;
}

static int is_control(long cp)
{
    return (cp >= 0 && cp < 0x20) || (cp >= 0x7f && cp <= 0x9f);
}

static void control_escape(textbuf *b, long cp)
{
    switch (cp) {
    case '\n':
        textbuf_puts(b, "\\n");
        return;
    case '\r':
        textbuf_puts(b, "\\r");
        return;
    case '\t':
        textbuf_puts(b, "\\t");
        return;
    case 0x1b:
        textbuf_puts(b, "\\e");
        return;
    default:
        textbuf_printf(b, "\\x%02lx", cp);
    }
}

static void line_escape_emit(textbuf *b, long cp, const char *bytes, size_t len)
{
    if (is_control(cp))
        control_escape(b, cp);
    else
        replace_invalid_emit(b, cp, bytes, len);
}

static void line_question_emit(textbuf *b, long cp, const char *bytes,
                               size_t len)
{
    if (is_control(cp))
        textbuf_putc(b, '?');
    else
        replace_invalid_emit(b, cp, bytes, len);
}

void textfmt_line_text(textbuf *b, const char *s, int controls_as_question)
{
    textfmt_escape_each(
        b, s, "", controls_as_question ? line_question_emit : line_escape_emit);
}

static void html_emit(textbuf *b, long cp, const char *bytes, size_t len)
{
    switch (cp) {
    case '&':
        textbuf_puts(b, "&amp;");
        return;
    case '<':
        textbuf_puts(b, "&lt;");
        return;
    case '>':
        textbuf_puts(b, "&gt;");
        return;
    case '"':
        textbuf_puts(b, "&quot;");
        return;
    case '\'':
        textbuf_puts(b, "&#39;");
        return;
    case '\t':
    case '\n':
        textbuf_putc(b, (char)cp);
        return;
    default:
        break;
    }
    if (cp < 0x20 || cp == 0x7F)
        textbuf_puts(b, UTF8_REPLACEMENT);
    else
        textbuf_append(b, bytes, len);
}

void textfmt_html(textbuf *b, const char *s)
{
    textfmt_escape_each(b, s, MARKUP_SPECIALS, html_emit);
}

static void xml_emit(textbuf *b, long cp, const char *bytes, size_t len)
{
    switch (cp) {
    case '\t':
        textbuf_puts(b, "&#9;");
        return;
    case '\n':
        textbuf_puts(b, "&#10;");
        return;
    case '\r':
        textbuf_puts(b, "&#13;");
        return;
    default:
        break;
    }
    if (cp == 0xFFFE || cp == 0xFFFF)
        textbuf_puts(b, UTF8_REPLACEMENT);
    else
        html_emit(b, cp, bytes, len);
}

void textfmt_xml(textbuf *b, const char *s)
{
    textfmt_escape_each(b, s, MARKUP_SPECIALS, xml_emit);
}

static int is_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

static void md_text_emit(textbuf *b, const char *start, const char *p, long cp,
                         size_t len)
{
    if (cp < 0) {
        textbuf_puts(b, UTF8_REPLACEMENT);
        return;
    }
    if (cp < 0x20 || cp == 0x7F) {
        textbuf_putc(b, ' ');
        return;
    }
    if (cp == '_') {
        int intraword = p > start && is_word_byte(p[-1]) && is_word_byte(p[1]);
        textbuf_puts(b, intraword ? "_" : "\\_");
        return;
    }
    if (cp < 0x80 && strchr("\\`*[]<>|~#", (int)cp)) {
        textbuf_putc(b, '\\');
        textbuf_putc(b, (char)cp);
        return;
    }
    textbuf_append(b, p, len);
}

void textfmt_md_text(textbuf *b, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p;) {
        size_t len;
        long cp = utf8_decode(p, &len);
        md_text_emit(b, s, p, cp, len);
        p += len;
    }
}

/* Longest run of backticks in s, to choose a fence longer than it. */
static size_t longest_backtick_run(const char *s)
{
    size_t longest = 0, run = 0;
    for (; *s; s++) {
        run = *s == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    return longest;
}

static void md_fence(textbuf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        textbuf_putc(b, '`');
}

void textfmt_md_code(textbuf *b, const char *s, int in_table)
{
    if (!s || !*s) {
        textbuf_puts(b, "` `");
        return;
    }
    size_t fence = longest_backtick_run(s) + 1;
    int pad = fence > 1;
    md_fence(b, fence);
    if (pad)
        textbuf_putc(b, ' ');
    for (const char *p = s; *p;) {
        size_t len;
        long cp = utf8_decode(p, &len);
        if (cp < 0)
            textbuf_puts(b, UTF8_REPLACEMENT);
        else if (cp < 0x20 || cp == 0x7F)
            textbuf_putc(b, ' ');
        else if (cp == '|' && in_table)
            textbuf_puts(b, "\\|");
        else if (cp == '\\' && in_table && p[1] == '|')
            /* GitHub would read "\\|" as an escaped backslash and a cell
             * border; no spelling keeps both, so the backslash changes. */
            textbuf_puts(b, "\u29f5");
        else
            textbuf_append(b, p, len);
        p += len;
    }
    if (pad)
        textbuf_putc(b, ' ');
    md_fence(b, fence);
}
