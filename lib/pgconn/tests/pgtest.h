/*
 * pgtest.h - helpers for cmocka tests that run against the real PostgreSQL
 * started by the ctest fixture `postgres` (tests/services/postgres.sh).
 * Every failure fails the running test (cmocka's fail_msg).
 */
#ifndef NBAQ_PGTEST_H
#define NBAQ_PGTEST_H

#include <libpq-fe.h>

/* NBAQ_TEST_PG_URL from $NBAQ_SERVICES_DIR/postgres/env; a static buffer. */
const char *pgtest_url(void);

/* A superuser connection to the test database; PQfinish when done. */
PGconn *pgtest_connect(void);

/* Runs SQL (several statements allowed) and fails the test on error. */
void pgtest_exec(PGconn *conn, const char *sql);

/* The first value of the first row of a query, copied into out; fails
 * the test on error or when there is no row. */
void pgtest_value(PGconn *conn, const char *sql, char *out, size_t size);

/*
 * Makes the server ask `role` for a scram-sha-256 password on TCP, by
 * putting a line for that role at the top of the server's pg_hba.conf and
 * reloading (the fixture trusts everyone else). Idempotent.
 */
void pgtest_require_password(PGconn *conn, const char *role);

/* A URL for the test database as `user` with `password` (NULL: none). */
void pgtest_url_for(const char *user, const char *password, char *out,
                    size_t size);

#endif
