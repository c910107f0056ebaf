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
 * The one role of the test server that must give a password. Every test
 * that needs one (C and Python: lib/pgconn/tests/pgfixture.py) uses this
 * same role, password and pg_hba.conf line, so that tests running at once
 * write identical lines (their tests also share the ctest RESOURCE_LOCK
 * nbaq_pg_hba).
 */
#define PGTEST_PW_ROLE "nbaq_test_pw"
#define PGTEST_PASSWORD "Corr3ct-H0rse-B4ttery"

/*
 * Creates PGTEST_PW_ROLE with PGTEST_PASSWORD (scram-sha-256) and makes
 * the server ask it for that password on TCP, by putting a line for it at
 * the top of the server's pg_hba.conf and reloading (the fixture trusts
 * everyone else). Idempotent.
 */
void pgtest_require_password(PGconn *conn);

/* A URL for the test database as `user` with `password` (NULL: none). */
void pgtest_url_for(const char *user, const char *password, char *out,
                    size_t size);

#endif
