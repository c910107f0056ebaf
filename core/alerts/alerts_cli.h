/*
 * alerts_cli.h - `nbaq-host -c FILE alerts ...`: the open alerts, the
 * silences and the outbox, read from the history store, and silencing
 * and unsilencing from the command line (docs/alerts.md):
 *
 *   alerts [list] [--all] [--check NAME] [--json]
 *   alerts silence (FINGERPRINT | --check NAME) --until TIME [--comment T]
 *   alerts ack ...            the same as silence
 *   alerts unsilence (FINGERPRINT | --check NAME | --id N)
 *   alerts silences [--all] [--json]
 *   alerts outbox [--json]
 */
#ifndef NBAQ_CORE_ALERTS_CLI_H
#define NBAQ_CORE_ALERTS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"

#define ALERTS_EXIT_OK 0
#define ALERTS_EXIT_USAGE 64 /* bad arguments                          */
#define ALERTS_EXIT_STORE 69 /* the store cannot be opened or written */

/* argv[0] is "alerts". cfg must have a history section. Writes results
 * to out; returns an exit code, with a one-line message in err when it
 * is not ALERTS_EXIT_OK. */
int alerts_cli_main(int argc, char **argv, const config *cfg, FILE *out,
                    char *err, size_t err_size);

#endif
