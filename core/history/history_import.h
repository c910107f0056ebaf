/*
 * history_import.h - `nbaq-host -c FILE history import`: past values of one
 * metric from CSV or JSON into the history store (docs/history.md).
 */
#ifndef NBAQ_HISTORY_IMPORT_H
#define NBAQ_HISTORY_IMPORT_H

#include <stdio.h>

#include "history.h"

#define HISTORY_EXIT_DATA 65    /* EX_DATAERR: the file has a bad value   */
#define HISTORY_EXIT_NOINPUT 66 /* EX_NOINPUT: the file cannot be read    */

/*
 * `history import --check C --metric M FILE [--unit U] [--monitor NAME]`;
 * argv[0] is "history", argv[1] "import". FILE "-" reads stdin. Called by
 * history_cli_main, with the same return convention plus the two codes
 * above; a data error names the file and its line (CSV) or index (JSON),
 * and nothing is stored.
 */
int history_import_main(int argc, char **argv, const history_cli_env *env,
                        FILE *out, char *err, size_t err_size);

#endif
