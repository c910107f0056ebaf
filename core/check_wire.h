/*
 * check_wire.h - what a check's child needs of the host (its context, the
 * state earlier runs saved, its options) as bytes (wire.h), for a child
 * that a fork server starts (forkserver.h) and that never saw the config.
 */
#ifndef NBAQ_CORE_CHECK_WIRE_H
#define NBAQ_CORE_CHECK_WIRE_H

#include <stdint.h>

#include "arena.h"
#include "hostapi.h"
#include "plugin_open.h"
#include "textbuf.h"
#include "wire.h"

/* In the host: appends ctx (options and state included) to out. */
void check_wire_encode(textbuf *out, const nbaq_ctx *ctx);

/* Rebuilds what check_wire_encode wrote into ctx (stdout_fd -1, deadline
 * 0), against specs, the schema of the plugin as the decoding process
 * loaded it. Strings point into the reader's buffer, the rest is in mem.
 * Returns 0, or -1 with r->bad set on malformed or cut-short bytes. */
int check_wire_decode(arena *mem, wire_reader *r, const nbaq_option_spec *specs,
                      const char *plugin_name, nbaq_ctx *ctx);

/* In the child: rebuilds the context from r against p (the same plugin
 * file, loaded by the fork server) and runs the check; never returns.
 * Malformed bytes end the check as ERROR "fork server: malformed check
 * request" (a host bug, never the plugin's). */
void check_wire_run(wire_reader *r, const plugin *p, int stdout_fd,
                    int64_t deadline_ms);

#endif
