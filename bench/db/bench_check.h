/*
 * bench_check.h - db_quality's check as the plugin runs it
 * (dbq_measure_all), on one table, for the db benchmarks.
 */
#ifndef NBAQ_BENCH_DB_CHECK_H
#define NBAQ_BENCH_DB_CHECK_H

#include "dbq.h"

/* Measures table on url (one connection, generous timeouts); a failure
 * is printed, prefixed with program, and exits 1. */
void bench_db_check(const char *program, const char *url,
                    dbq_table_spec *table);

#endif
