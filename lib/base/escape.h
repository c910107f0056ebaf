/*
 * escape.h - appending untrusted text (check names, messages, metric
 * names) to a report so that it shows as the same text and can never
 * change the document's structure.
 *
 * Every function reads a NUL-terminated string (NULL appends nothing),
 * replaces invalid UTF-8 with U+FFFD, and appends to b.
 */
#ifndef NBAQ_ESCAPE_H
#define NBAQ_ESCAPE_H

#include "textbuf.h"

/* Called for each code point an escaper looks at: cp is -1 for a byte
 * that is not valid UTF-8; bytes and len are its bytes in the source.  */
typedef void (*textfmt_emit_fn)(textbuf *b, long cp, const char *bytes,
                                size_t len);

/* The loop of the escapers here and in promtext.h: appends s (NULL:
 * nothing) to b, each run of printable ASCII holding no byte of specials
 * as it is, every other code point through emit.                       */
void textfmt_escape_each(textbuf *b, const char *s, const char *specials,
                         textfmt_emit_fn emit);

/* s when it is valid UTF-8 throughout; else a copy in scratch (the
 * caller's, initialised; it owns the copy) with each invalid byte
 * replaced by U+FFFD, or NULL when memory runs out. For JSON strings:
 * cJSON copies bytes as they are, and a strict reader refuses stray
 * ones.                                                                */
const char *textfmt_utf8_valid(textbuf *scratch, const char *s);

/* One line of text for a terminal or a log: nothing in s can move the
 * cursor, start a new line or send an escape sequence. Invalid UTF-8
 * becomes U+FFFD; C0 controls, DEL and C1 controls (U+0080-U+009F)
 * become '?' when controls_as_question is non-zero (the text report),
 * else a C-style escape: \n \r \t \e or \xHH (logs). Everything else
 * is copied as it is.                                                  */
void textfmt_line_text(textbuf *b, const char *s, int controls_as_question);

/* HTML text and attribute values: & < > " ' as character references;
 * control characters other than tab and newline become U+FFFD.         */
void textfmt_html(textbuf *b, const char *s);

/* XML 1.0 text and attribute values: as HTML, and every character XML 1.0
 * forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) becomes
 * U+FFFD. Tab, LF and CR are written as &#9; &#10; &#13; so that they
 * survive attribute-value normalisation.                                */
void textfmt_xml(textbuf *b, const char *s);

/* Markdown inline text on one line (a paragraph, a list item or a GitHub
 * table cell): backslash-escapes \ ` * [ ] < > | ~ and # and, at a word
 * boundary only, _ (intraword underscores are literal in CommonMark and
 * stay readable in a terminal). Line breaks and controls become spaces. */
void textfmt_md_text(textbuf *b, const char *s);

/* Markdown code span for an identifier: `name`. A name holding a backtick
 * gets a longer fence. in_table non-zero: | is written \| (GitHub splits
 * table cells before it reads code spans). An empty s appends "` `".     */
void textfmt_md_code(textbuf *b, const char *s, int in_table);

#endif /* NBAQ_ESCAPE_H */
