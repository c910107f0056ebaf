/* exec's plugin output splitter and perfdata parser (plugins/exec). */
#include <stddef.h>
#include <stdint.h>

#include "perfdata.h"
#include "plugin_output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    plugin_output out;
    if (plugin_output_parse((const char *)data, size, &out) != 0)
        return 0;
    const char *cursor = out.perfdata;
    perfdata_item item;
    char err[256];
    int rc;
    while ((rc = perfdata_next(&cursor, &item, err, sizeof err)) != 0) {
        if (rc > 0 && item.has_value) {
            perfdata_range_alerts(&item.warn, item.value);
            perfdata_range_alerts(&item.crit, item.value);
        }
    }
    plugin_output_free(&out);
    return 0;
}
