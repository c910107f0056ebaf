#include <stdio.h>
#include <stdlib.h>

#include "bench_check.h"

void bench_db_check(const char *program, const char *url, dbq_table_spec *table)
{
    dbq_config config = {.dsn = url,
                         .connect_timeout_ms = 10000,
                         .statement_timeout_ms = 600000,
                         .concurrency = 1,
                         .tables = table,
                         .table_count = 1};
    dbq_table_result result = {0};
    char err[DBQ_ERROR_MAX];
    if (dbq_measure_all(&config, 0, &result, err, sizeof err) != 0 ||
        result.failed) {
        fprintf(stderr, "%s: db_quality: %s\n", program,
                result.failed ? result.error : err);
        exit(1);
    }
    dbq_table_result_free(&result);
}
