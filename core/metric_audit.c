#include "metric_audit.h"

#include "declared_metrics.h"
#include "log.h"
#include "registry.h"
#include "textbuf.h"

static void append_names(textbuf *sb, const char *const *names, size_t count)
{
    size_t shown =
        count < METRIC_AUDIT_NAMES_SHOWN ? count : METRIC_AUDIT_NAMES_SHOWN;
    for (size_t i = 0; i < shown; i++)
        textbuf_printf(sb, "%s'%s'", i ? ", " : "", names[i]);
    if (count > shown)
        textbuf_printf(sb, " and %zu more", count - shown);
}

void metric_audit_log(const check_config *check, const job_outcome *out)
{
    const plugin *p = check->plugin_ref;
    if (!p || !p->metrics)
        return;
    arena mem = ARENA_INIT;
    declared_metrics d;
    const char **names;
    size_t count = 0;
    if (declared_metrics_of(&mem, p->metrics, p->options, check->options, &d) !=
            0 ||
        declared_metrics_undeclared(&mem, &d, out, &names, &count) != 0) {
        arena_free(&mem);
        return; /* out of memory: the run goes on without the audit */
    }
    if (count > 0) {
        textbuf sb = TEXTBUF_INIT;
        append_names(&sb, names, count);
        log_msg(NBAQ_LOG_WARN, NULL,
                "check '%s': plugin '%s' emitted %zu metric%s it does not "
                "declare: %s (a plugin bug: thresholds on %s are refused; "
                "nbaq-host --list-plugins shows what it declares)",
                check->name, p->name, count, count == 1 ? "" : "s",
                textbuf_cstr(&sb), count == 1 ? "it" : "them");
        textbuf_free(&sb);
    }
    arena_free(&mem);
}
