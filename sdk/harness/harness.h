/*
 * harness.h - nbaq-plugin-test: one plugin loaded, configured and run by
 * the host's own code, and what it recorded. Not a host of its own: the
 * plugin is loaded by the registry (trust rules, vetting in a throw-away
 * child, ABI and schema checks), its options are validated by
 * options_build(), and check() or report() runs in a child process of the
 * runner, with its timeout and process group, against the host API table
 * of nbaq-host (hostapi.c). What differs from a run of nbaq-host is
 * written here:
 *   - no config file: the options come from an options file and --set
 *     (harness_options.h); relative paths are taken relative to the
 *     options file's directory, or the current one without it;
 *   - no thresholds, history rules, alerts or history store: the result
 *     is what the plugin recorded (metrics, status and message, state,
 *     backfilled points). state_get() answers the given --state pairs,
 *     and metric_backfill() is accepted, as with a history store;
 *   - a reporter is fed a run read from a JSON file (run_json.h), and its
 *     output_write() calls are counted (the real call writes).
 *
 * Ownership: a harness_result owns its strings and outcome until
 * harness_result_free(); the setup is the caller's.
 */
#ifndef NBAQ_HARNESS_H
#define NBAQ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

#include "harness_decls.h"
#include "harness_options.h"
#include "nbaq.h"
#include "runner.h"

#define HARNESS_DEFAULT_TIMEOUT_MS 60000
#define HARNESS_DEFAULT_MONITOR "plugin_test"

typedef struct harness_setup {
    const char *plugin_path;  /* the .so; its stem is the plugin's name  */
    const char *options_file; /* NULL: none                              */
    const harness_assignment *sets;
    size_t set_count;
    const char *const *states; /* "KEY=VALUE": what state_get() answers */
    size_t state_count;
    const char *instance; /* NULL: the plugin's name                     */
    const char *monitor;  /* NULL: HARNESS_DEFAULT_MONITOR               */
    const char *run_path; /* reporters: the run (JSON); required         */
    int64_t timeout_ms;   /* 0: HARNESS_DEFAULT_TIMEOUT_MS                */
} harness_setup;

/* A reporter's output_write() calls. */
typedef struct harness_writes {
    size_t count;
    size_t bytes;       /* of the calls that succeeded                       */
    char extension[32]; /* of the last call                            */
} harness_writes;

typedef struct harness_result {
    nbaq_plugin_kind kind;
    char *plugin;        /* malloc'd */
    char *instance;      /* malloc'd */
    nbaq_status status;  /* as nbaq-host concludes it (job_conclude)     */
    char *message;       /* malloc'd                                    */
    job_outcome outcome; /* metrics, state, backfill as recorded        */
    harness_writes writes;
    /* Checkers: the declared metrics, expanded with the options, and the
     * recorded names they miss (harness_decls.h). NONE for a body.      */
    harness_decls decls;
} harness_result;

/* Loads, configures and runs the plugin once, in a child process.
 * Returns 0 with *result (any status, the plugin's failure included), or
 * -1 with err when it could not run: the plugin does not load, an option
 * or the run file is wrong (err names the file, line and column, or the
 * field). */
int harness_run(const harness_setup *setup, harness_result *result, char *err,
                size_t err_size);
void harness_result_free(harness_result *result);

/* Loads and configures the plugin as harness_run does, without running
 * it: *result has the plugin, kind, instance and declarations (a checker's
 * metrics expanded with the options), no outcome. Returns 0, or -1 with
 * err as harness_run. */
int harness_list(const harness_setup *setup, harness_result *result, char *err,
                 size_t err_size);

/* A check's body without a plugin file, for unit tests that call a
 * plugin's own functions with options the test built itself. */
typedef void (*harness_body_fn)(const nbaq_host_api *api, nbaq_ctx *ctx,
                                void *arg);

/* Runs body(api, ctx, arg) as harness_run runs check(): in a child of
 * the runner, with nbaq-host's API table, its records read back. Of the
 * setup only instance (the plugin's name too; default "body"), monitor,
 * states and timeout_ms count; api->options(ctx) answers NULL. */
int harness_run_body(const harness_setup *setup, harness_body_fn body,
                     void *arg, harness_result *result, char *err,
                     size_t err_size);

/* What a result holds, for tests in C. NULL when the metric or key was
 * not recorded. */
const raw_metric *harness_result_metric(const harness_result *result,
                                        const char *name);
const char *harness_result_state(const harness_result *result, const char *key);

/* The steps of harness_run, for callers that run a reporter in their own
 * process: benchmarks, which measure the report() call itself. */
typedef struct harness harness;

/* Loads and configures the plugin (and reads the run file, when given).
 * Returns NULL with err. */
harness *harness_open(const harness_setup *setup, char *err, size_t err_size);
int harness_run_child(harness *h, harness_result *result, char *err,
                      size_t err_size);
/* Calls the reporter's report() on run in this process, with the host
 * API table of nbaq-host (output_write counted); output "-" (the
 * default) writes to stdout_fd. A plugin bug the host would catch ends
 * this process, as it ends the child in harness_run. Returns what
 * report() returned, its reason in err. */
int harness_report_here(harness *h, const nbaq_run *run, int stdout_fd,
                        char *err, size_t err_size);
/* The reporter's output_write() calls so far. */
const harness_writes *harness_writes_of(const harness *h);
const char *harness_plugin_name(const harness *h);
void harness_close(harness *h);

#endif
