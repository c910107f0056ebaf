#include "channel_json.h"

#include "textbuf.h"
#include "utf8.h"

static int utf8_is_valid(const char *s)
{
    size_t len;
    for (; *s != '\0'; s += len)
        if (utf8_decode(s, &len) < 0)
            return 0;
    return 1;
}

cJSON *channel_json_add_string(cJSON *object, const char *name,
                               const char *value)
{
    if (value == NULL)
        value = "";
    if (utf8_is_valid(value))
        return cJSON_AddStringToObject(object, name, value);
    textbuf clean;
    textbuf_init(&clean);
    size_t len;
    for (const char *p = value; *p != '\0'; p += len) {
        if (utf8_decode(p, &len) < 0)
            textbuf_puts(&clean, UTF8_REPLACEMENT);
        else
            textbuf_append(&clean, p, len);
    }
    cJSON *item = NULL;
    if (!textbuf_failed(&clean))
        item = cJSON_AddStringToObject(object, name, clean.data);
    textbuf_free(&clean);
    return item;
}
