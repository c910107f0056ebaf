/*
 * store_pg_absent.h - with NBAQ_WITH_POSTGRESQL=OFF, the connection-string
 * functions of lib/pgconn that store_url.c calls, without libpq: a
 * PostgreSQL URL or keyword DSN is recognised by its form only, and never
 * accepted (build_features.h says why).
 */
#ifndef NBAQ_STORE_PG_ABSENT_H
#define NBAQ_STORE_PG_ABSENT_H

#include <stddef.h>

int pgconn_dsn_is_postgres(const char *text);
int pgconn_dsn_check(const char *dsn, char *err, size_t err_size);
char *pgconn_dsn_display(const char *dsn);

#endif
