/*
 * history_schema.h - the history schema, as an ordered list of migrations, and
 * the SQL of every statement the module reuses. docs/history.md describes the
 * tables. To change the schema, append a migration (never edit one that
 * has shipped): the store applies every migration newer than the version
 * recorded in nbaq_schema_version, in one transaction.
 */
#ifndef NBAQ_HISTORY_SCHEMA_H
#define NBAQ_HISTORY_SCHEMA_H

#include "history_store.h"

typedef struct schema_migration {
    int version;            /* 1, 2, 3... in order                       */
    const char *sqlite_sql; /* the DDL for each dialect                  */
    const char *pg_sql;
} schema_migration;

extern const schema_migration history_schema_migrations[];
extern const size_t history_schema_migration_count;

/* SQL of statement id, in $n style, in a new string (free it); NULL when
 * out of memory. */
char *history_schema_statement_sql(store_stmt_id id);

/* Columns of one metric value row, in the order of the insert. */
#define SCHEMA_VALUE_COLUMNS 12

#endif
