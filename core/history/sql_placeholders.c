#include "sql_placeholders.h"

#include "textbuf.h"

char *sql_placeholders(const char *head, size_t groups, size_t columns,
                       size_t first, const char *tail)
{
    textbuf sql = TEXTBUF_INIT;
    textbuf_puts(&sql, head);
    size_t n = first;
    for (size_t g = 0; g < groups; g++) {
        textbuf_puts(&sql, g ? ",(" : "(");
        for (size_t c = 0; c < columns; c++)
            textbuf_printf(&sql, "%s$%zu", c ? "," : "", n++);
        textbuf_putc(&sql, ')');
    }
    textbuf_puts(&sql, tail);
    return textbuf_take(&sql);
}
