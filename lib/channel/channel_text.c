#include "channel_text.h"

#include "utf8.h"

void channel_text_append(textbuf *b, const char *s, size_t max_chars,
                         channel_escape_fn escape)
{
    size_t chars = 0;
    if (s == NULL)
        return;
    while (*s != '\0') {
        if (chars == max_chars) {
            textbuf_puts(b, CHANNEL_ELLIPSIS);
            return;
        }
        size_t len;
        long cp = utf8_decode(s, &len);
        const char *replacement = NULL;
        if (cp < 0)
            replacement = UTF8_REPLACEMENT;
        else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            replacement = " ";
        else if (escape != NULL)
            replacement = escape(cp);
        if (replacement != NULL)
            textbuf_puts(b, replacement);
        else
            textbuf_append(b, s, len);
        s += len;
        chars++;
    }
}
