/*
 * metric_audit.h - nbaq-host notices a check that emits a metric its
 * plugin does not declare (declared_metrics.h): a plugin bug that makes a
 * user's threshold on that name refused by --check-config.
 *
 * One warning per check run (the default log level: the plugin's author
 * must see it), naming the check, the plugin and the first
 * METRIC_AUDIT_NAMES_SHOWN names, with how many more; nothing for a
 * plugin that declares nothing or `*`. The metrics are kept and judged as
 * usual: the run's result does not depend on the declarations.
 */
#ifndef NBAQ_CORE_METRIC_AUDIT_H
#define NBAQ_CORE_METRIC_AUDIT_H

#include "config.h"
#include "runner.h"

#define METRIC_AUDIT_NAMES_SHOWN 5

/* Logs the warning for what check recorded in out, if any is due. */
void metric_audit_log(const check_config *check, const job_outcome *out);

#endif
