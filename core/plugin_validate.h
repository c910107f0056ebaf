/*
 * plugin_validate.h - runs the plugins' validate() (ABI 1.2) on the
 * options of every configured check and reporter, isolated like plugin
 * loading: in one throw-away child (plugin_vet.h) for the whole config,
 * within the load timeout, so that a crash, exit, hang or plugin bug in a
 * validate() is an error of the instance it was validating, never the
 * host's end. One child rather than one per instance: a fork costs about
 * a millisecond, a validate() microseconds (docs/performance.md). The
 * child records in shared memory which instance it is on, so that the
 * parent can name it whatever way the child ends.
 * bind.c calls it, so --check-config and every run refuse what a
 * validate() refuses before any check starts.
 */
#ifndef NBAQ_CORE_PLUGIN_VALIDATE_H
#define NBAQ_CORE_PLUGIN_VALIDATE_H

#include <stddef.h>

#include "nbaq.h"
#include "registry.h"

/* One instance to validate: its plugin and its (schema-checked) options. */
typedef struct validate_job {
    const plugin *plugin;
    const nbaq_options *options;
} validate_job;

/* Calls validate() of every job whose plugin has one, in order, until one
 * refuses. Returns 0, or -1 with *failed the index of the job at fault and
 * err the plugin's reason or how its validate() ended ("validate()
 * crashed: signal 11 (Segmentation fault)"); *failed is count when the
 * child could not even start. */
int plugin_validate_all(const validate_job *jobs, size_t count, size_t *failed,
                        char *err, size_t err_size);

#endif
