/*
 * store_pg_absent.c - the PostgreSQL backend of a host built with
 * NBAQ_WITH_POSTGRESQL=OFF (in place of store_pg.c and lib/pgconn): every
 * PostgreSQL URL or DSN is refused with the reason, so nothing else in the
 * store needs to know.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_features.h"
#include "history_store.h"
#include "store_pg_absent.h"

int pgconn_dsn_is_postgres(const char *text)
{
    return build_feature_missing_for_url(text) != NULL;
}

int pgconn_dsn_check(const char *dsn, char *err, size_t err_size)
{
    (void)dsn;
    snprintf(err, err_size, "%s", BUILD_WITHOUT_POSTGRESQL);
    return -1;
}

char *pgconn_dsn_display(const char *dsn)
{
    return strdup(dsn);
}

const store_backend history_store_pg_backend = {0};

store_conn *history_store_pg_open(const char *url, int connect_timeout_s,
                                  char *err, size_t err_size)
{
    (void)url;
    (void)connect_timeout_s;
    snprintf(err, err_size, "%s", BUILD_WITHOUT_POSTGRESQL);
    return NULL;
}
