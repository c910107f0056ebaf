#include "channel_json.h"

#include "escape.h"
#include "reportfmt.h"
#include "textbuf.h"

cJSON *channel_json_add_string(cJSON *object, const char *name,
                               const char *value)
{
    textbuf scratch;
    textbuf_init(&scratch);
    const char *valid = textfmt_utf8_valid(&scratch, value ? value : "");
    cJSON *item = valid ? cJSON_AddStringToObject(object, name, valid) : NULL;
    textbuf_free(&scratch);
    return item;
}

cJSON *channel_json_add_time(cJSON *object, const char *name, int64_t epoch_ms)
{
    char buf[REPORTFMT_TIME_SIZE];
    return cJSON_AddStringToObject(
        object, name, reportfmt_iso8601_utc(epoch_ms, buf, sizeof(buf)));
}
