/*
 * enginetest.h - helpers for cmocka tests against the real engines started
 * by the ctest fixtures postgres, mariadb and odbc (tests/services/). Every
 * failure fails the running test.
 */
#ifndef NBAQ_ENGINETEST_H
#define NBAQ_ENGINETEST_H

#include <stddef.h>

#include <mysql.h>

/* KEY from $NBAQ_SERVICES_DIR/<fixture>/env, in a static buffer per call
 * site's copy (copied into out). Fails the test when missing. */
void enginetest_env(const char *fixture, const char *key, char *out,
                    size_t size);

/* Exports ODBCSYSINI and ODBCINI from the odbc fixture. */
void enginetest_use_odbc_fixture(void);

/* A native MariaDB connection (not through sqlengine) to the fixture
 * `fixture` (mariadb or another instance of mariadb.sh). */
MYSQL *enginetest_mariadb_connect(const char *fixture);
void enginetest_mariadb_exec(MYSQL *db, const char *sql);
/* The first value of the first row, copied into out. */
void enginetest_mariadb_value(MYSQL *db, const char *sql, char *out,
                              size_t size);

#endif
