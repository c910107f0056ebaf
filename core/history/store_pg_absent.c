/*
 * store_pg_absent.c - the PostgreSQL backend of a host built with
 * NBAQ_WITH_POSTGRESQL=OFF (in place of store_pg.c): every open fails with
 * the reason, so nothing else in the store needs to know.
 */
#include <stdio.h>

#include "build_features.h"
#include "history_store.h"

const store_backend history_store_pg_backend = {0};

store_conn *history_store_pg_open(const char *url, int connect_timeout_s,
                                  const char *password, char *err,
                                  size_t err_size)
{
    (void)url;
    (void)connect_timeout_s;
    (void)password;
    snprintf(err, err_size, "%s", BUILD_WITHOUT_POSTGRESQL);
    return NULL;
}
