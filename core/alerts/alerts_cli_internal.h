/*
 * alerts_cli_internal.h - what the `alerts` command's files share.
 */
#ifndef NBAQ_CORE_ALERTS_CLI_INTERNAL_H
#define NBAQ_CORE_ALERTS_CLI_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "alerts_cli.h"
#include "history.h"

typedef struct cli_args {
    const char *fingerprint;
    const char *check;
    const char *until;
    const char *comment;
    int64_t id;
    int all;
    int json;
} cli_args;

typedef struct cli_env {
    const config *cfg;
    history_store *store;
    int64_t now_ms;
    FILE *out;
    char *err;
    size_t err_size;
} cli_env;

/* alerts_list.c: each returns an exit code. */
int cli_list(cli_env *env, const cli_args *args);
int cli_silences(cli_env *env, const cli_args *args);
int cli_outbox(cli_env *env, const cli_args *args);

/* A left-aligned text table: add cells row by row, then print. */
typedef struct text_table text_table;
text_table *table_new(size_t columns);
void table_add(text_table *t, const char *cell); /* copied */
void table_print(text_table *t, FILE *out);
void table_free(text_table *t);

#endif
