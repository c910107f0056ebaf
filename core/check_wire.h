/*
 * check_wire.h - what a check's child needs of the host (its context, the
 * state earlier runs saved, its options) as bytes (wire.h), for a child
 * that a fork server starts (forkserver.h) and that never saw the config.
 */
#ifndef NBAQ_CORE_CHECK_WIRE_H
#define NBAQ_CORE_CHECK_WIRE_H

#include <stdint.h>

#include "hostapi.h"
#include "registry.h"
#include "strbuf.h"
#include "wire.h"

/* In the host: appends ctx (options and state included) to out. */
void check_wire_encode(strbuf *out, const nbaq_ctx *ctx);

/* In the child: rebuilds the context from r against p (the same plugin
 * file, loaded by the fork server) and runs the check; never returns.
 * Malformed bytes end the check as ERROR "fork server: malformed check
 * request" (a host bug, never the plugin's). */
void check_wire_run(wire_reader *r, const plugin *p, int stdout_fd,
                    int64_t deadline_ms);

#endif
