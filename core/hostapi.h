/*
 * hostapi.h - the host API table (nbaq_host_api) and what runs in a child
 * process: the context a plugin receives, and the two child bodies that
 * call a checker's check() or a reporter's report().
 *
 * Everything here runs in the child. Results leave it only as records
 * (records.h). A plugin that breaks the contract (an undeclared option,
 * the wrong accessor, a bad status) ends its check as ERROR
 * "plugin bug: ...".
 */
#ifndef NBAQ_CORE_HOSTAPI_H
#define NBAQ_CORE_HOSTAPI_H

#include <stdint.h>

#include "history.h"
#include "nbaq.h"

/* Filled by the parent before the fork; the child gets a copy. Pointers are
 * the parent's data, valid in the child for its whole life. */
struct nbaq_ctx {
    nbaq_plugin_kind kind;
    uint32_t flags; /* the descriptor's NBAQ_FLAG_*             */
    const char *instance;
    const char *plugin;
    const char *monitor;
    const char *config_dir;
    const char *cache_dir;
    const nbaq_options *options;
    const history_state *state; /* saved by earlier runs; may be NULL  */
    int64_t run_started_ms;
    int64_t deadline_ms; /* clock_mono_ms(); set in the child        */
    int stdout_fd;       /* the host's stdout; set in the child      */
};

const nbaq_host_api *hostapi_table(void);

/* Child bodies: never return. */
void hostapi_run_check(nbaq_ctx *ctx, nbaq_check_fn check);
void hostapi_run_report(nbaq_ctx *ctx, nbaq_report_fn report,
                        const nbaq_run *run);

#endif
