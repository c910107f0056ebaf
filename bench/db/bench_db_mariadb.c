/*
 * bench_db_mariadb.c - on MariaDB: db_quality's check and its one-scan
 * statement (in the MySQL dialect) against a plain
 * COUNT(*) and against one query per column, on a table of ROWS rows and
 * 10 columns.
 *
 *   bench_db_mariadb URL [--setup] [--runs N] [--rows N]
 *
 * --setup (re)creates bench_dbq_wide with MariaDB's Sequence engine
 * (seq_1_to_N), server side. Each variant runs once to warm the buffer
 * pool, then N times (default 7) in interleaved rounds; the median wall
 * time is printed with its ratio to COUNT(*). "db_quality check" is
 * dbq_measure_all as the plugin runs it on MariaDB: connect, read-only
 * transaction, catalog, the one scan, close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>

#include "bench_args.h"
#include "bench_check.h"
#include "sqlengine.h"

#define COLUMNS 10

static const char *url;
static sqlengine *conn;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench_db_mariadb: %s: %s\n", what, why);
    exit(1);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Setup writes, so it uses Connector/C directly: sqlengine is read-only. */
static void setup_table(long rows)
{
    char user[64], password[128], host[64], database[64];
    unsigned port = 0;
    if (sscanf(url, "%*[^:]://%63[^:]:%127[^@]@%63[^:]:%u/%63s", user, password,
               host, &port, database) != 5)
        die("setup", "URL must be mysql://user:password@host:port/db");
    MYSQL *db = mysql_init(NULL);
    if (!mysql_real_connect(db, host, user, password, database, port, NULL, 0))
        die("setup", mysql_error(db));
    char sql[2048];
    snprintf(sql, sizeof sql,
             "CREATE OR REPLACE TABLE bench_dbq_wide ENGINE=InnoDB AS "
             "SELECT seq AS id,"
             " IF(seq %% 10 = 0, NULL, seq) AS c1,"
             " IF(seq %% 11 = 0, NULL, CAST(seq AS CHAR)) AS c2,"
             " IF(seq %% 12 = 0, NULL, seq * 1.5) AS c3,"
             " IF(seq %% 13 = 0, NULL, NOW()) AS c4,"
             " IF(seq %% 14 = 0, NULL, seq %% 100) AS c5,"
             " IF(seq %% 15 = 0, NULL, CONCAT('x', seq)) AS c6,"
             " IF(seq %% 16 = 0, NULL, CAST(seq AS SIGNED)) AS c7,"
             " IF(seq %% 17 = 0, NULL, seq %% 2 = 0) AS c8,"
             " IF(seq %% 18 = 0, NULL, CURDATE()) AS c9,"
             " IF(seq %% 19 = 0, NULL, CAST(seq AS DOUBLE)) AS c10"
             " FROM seq_1_to_%ld",
             rows);
    if (mysql_query(db, sql) != 0 ||
        mysql_query(db, "ANALYZE TABLE bench_dbq_wide") != 0)
        die("setup", mysql_error(db));
    mysql_free_result(mysql_store_result(db));
    mysql_close(db);
}

static void query(sqlengine *c, const char *sql)
{
    char err[1024];
    sqlengine_result *res = NULL;
    if (sqlengine_query(c, "bench", sql, 0, NULL, &res, err, sizeof err))
        die(sql, err);
    sqlengine_result_free(res);
}

static void plain_count(void)
{
    query(conn, "SELECT COUNT(*) FROM bench_dbq_wide");
}

static void read_all_columns(void)
{
    query(conn, "SELECT COUNT(c10) FROM bench_dbq_wide");
}

static const char *columns[COLUMNS] = {"c1", "c2", "c3", "c4", "c5",
                                       "c6", "c7", "c8", "c9", "c10"};

/* The statement db_quality's engine path (dbq_engine.c) runs for this
 * table: a conditional count of NULLs per column and of incomplete rows. */
static void scan_sql(char *sql, size_t size)
{
    char count[512], any[256];
    size_t o = (size_t)snprintf(sql, size, "SELECT COUNT(*)"), a = 0;
    for (int i = 0; i < COLUMNS; i++) {
        char cond[32];
        snprintf(cond, sizeof cond, "`%s` IS NULL", columns[i]);
        sqlengine_count_if(conn, cond, count, sizeof count);
        o += (size_t)snprintf(sql + o, size - o, ", %s", count);
        a += (size_t)snprintf(any + a, sizeof any - a, "%s%s",
                              i > 0 ? " OR " : "", cond);
    }
    sqlengine_count_if(conn, any, count, sizeof count);
    snprintf(sql + o, size - o, ", %s FROM `bench_dbq_wide`", count);
}

static void scan_only(void)
{
    char sql[2048];
    scan_sql(sql, sizeof sql);
    query(conn, sql);
}

/* The db_quality check as the plugin runs it: dbq_measure_all. */
static void check(void)
{
    dbq_table_spec table = {.name = "bench_dbq_wide",
                            .critical_columns = columns,
                            .critical_count = COLUMNS};
    bench_db_check("bench_db_mariadb", url, &table);
}

static void per_column(void)
{
    char sql[128];
    query(conn, "SELECT COUNT(*) FROM bench_dbq_wide");
    for (int i = 1; i <= COLUMNS; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM bench_dbq_wide WHERE c%d IS NULL", i);
        query(conn, sql);
    }
}

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    bench_args args;
    if (bench_args_parse(argc, argv, "bench_db_mariadb", &args) != 0)
        return 64;
    url = args.url;
    int runs = args.runs;
    long rows = args.rows;
    if (args.setup)
        setup_table(rows);
    char err[1024];
    sqlengine_options options = {.dsn = url, .connect_timeout_ms = 10000};
    conn = sqlengine_open(&options, err, sizeof err);
    if (conn == NULL || sqlengine_begin(conn, 600000, err, sizeof err) != 0)
        die("connect", err);

    enum { VARIANTS = 5 };
    static void (*const variants[VARIANTS])(void) = {
        plain_count, read_all_columns, scan_only, check, per_column};
    static const char *const labels[VARIANTS] = {
        "SELECT COUNT(*)", "SELECT COUNT(c10)",
        "db_quality scan statement alone", "db_quality check (dbq_measure_all)",
        "one query per column (11)"};
    double ms[VARIANTS][100], ratio[VARIANTS][100];
    for (int round = -1; round < runs; round++) {
        for (int v = 0; v < VARIANTS; v++) {
            double start = now_ms();
            variants[v]();
            if (round >= 0)
                ms[v][round] = now_ms() - start;
        }
        for (int v = 0; round >= 0 && v < VARIANTS; v++)
            ratio[v][round] = ms[v][round] / ms[0][round];
    }
    printf("MariaDB, %ld rows, median of %d:\n", rows, runs);
    for (int v = 0; v < VARIANTS; v++) {
        qsort(ms[v], (size_t)runs, sizeof(double), compare_double);
        qsort(ratio[v], (size_t)runs, sizeof(double), compare_double);
        printf("  %-34s %9.1f ms  %5.2fx\n", labels[v], ms[v][runs / 2],
               ratio[v][runs / 2]);
    }
    sqlengine_end(conn);
    sqlengine_close(conn);
    return 0;
}
