/*
 * dbq_pool.c - measures the tables of a check concurrently: up to
 * `concurrency` workers, each with its own connection, take the next table
 * from a shared counter. The calling thread is worker 0 and opens the first
 * connection itself, so that a server that cannot be reached is reported
 * once. A worker whose connection cannot be opened leaves its share to the
 * others. Workers never call the host API; results are reported afterwards.
 * The same on every engine of lib/sqlengine (one connection per worker).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dbq.h"
#include "sqlengine.h"

/* Room left for a statement to end cleanly before the host's deadline. */
enum { DEADLINE_MARGIN_MS = 1000 };

typedef struct pool {
    const dbq_config *config;
    int64_t deadline_ms;
    dbq_table_result *results;
    pthread_mutex_t lock;
    size_t next_table;
} pool;

typedef struct worker {
    pool *pool;
    sqlengine *conn;
    pthread_t thread;
    int started;
} worker;

int64_t dbq_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int take_table(pool *p, size_t *index)
{
    pthread_mutex_lock(&p->lock);
    int got = p->next_table < p->config->table_count;
    if (got)
        *index = p->next_table++;
    pthread_mutex_unlock(&p->lock);
    return got;
}

int64_t dbq_statement_timeout(const dbq_config *config, int64_t deadline_ms)
{
    int64_t timeout = config->statement_timeout_ms;
    if (deadline_ms <= 0)
        return timeout;
    int64_t left = deadline_ms - dbq_now_ms() - DEADLINE_MARGIN_MS;
    if (left <= 0)
        return -1;
    return timeout <= 0 || left < timeout ? left : timeout;
}

static sqlengine *connect_worker(const dbq_config *config, char *err,
                                 size_t err_size)
{
    sqlengine_options options = {.dsn = config->dsn,
                                 .connect_timeout_ms =
                                     config->connect_timeout_ms,
                                 .application_name = "nbaq db_quality"};
    return sqlengine_open(&options, err, err_size);
}

static void run_worker(worker *w)
{
    pool *p = w->pool;
    size_t i;
    while (take_table(p, &i)) {
        dbq_table_result *r = &p->results[i];
        if (!sqlengine_is_usable(w->conn)) {
            /* The server closed this connection (restart, terminated
             * backend): reconnect for the next table. */
            char err[DBQ_ERROR_MAX - 32];
            sqlengine_close(w->conn);
            w->conn = connect_worker(p->config, err, sizeof err);
            if (w->conn == NULL) {
                snprintf(r->error, sizeof r->error, "%s", err);
                r->failed = 1;
                continue;
            }
        }
        int64_t timeout = dbq_statement_timeout(p->config, p->deadline_ms);
        if (timeout < 0) {
            snprintf(r->error, sizeof r->error,
                     "not measured: the check's time ran out");
            r->failed = 1;
            continue;
        }
        dbq_measure_table(w->conn, &p->config->tables[i], timeout, r);
    }
}

static void *worker_thread(void *arg)
{
    worker *w = arg;
    char err[DBQ_ERROR_MAX];
    w->conn = connect_worker(w->pool->config, err, sizeof err);
    if (w->conn != NULL)
        run_worker(w);
    return NULL;
}

int dbq_measure_all(const dbq_config *config, int64_t deadline_ms,
                    dbq_table_result *results, char *err, size_t err_size)
{
    sqlengine *first = connect_worker(config, err, err_size);
    if (first == NULL)
        return -1;
    pool p = {.config = config, .deadline_ms = deadline_ms, .results = results};
    pthread_mutex_init(&p.lock, NULL);

    size_t count = config->concurrency > 0 ? (size_t)config->concurrency : 1;
    if (count > config->table_count)
        count = config->table_count > 0 ? config->table_count : 1;
    worker *workers = calloc(count, sizeof *workers);
    if (workers == NULL) {
        /* Measure on this thread alone. */
        worker alone = {.pool = &p, .conn = first};
        run_worker(&alone);
        sqlengine_close(alone.conn);
        pthread_mutex_destroy(&p.lock);
        return 0;
    }
    workers[0] = (worker){.pool = &p, .conn = first};
    for (size_t i = 1; i < count; i++) {
        workers[i].pool = &p;
        workers[i].started = pthread_create(&workers[i].thread, NULL,
                                            worker_thread, &workers[i]) == 0;
    }
    run_worker(&workers[0]);
    for (size_t i = 0; i < count; i++) {
        if (workers[i].started)
            pthread_join(workers[i].thread, NULL);
        sqlengine_close(workers[i].conn);
    }
    free(workers);
    pthread_mutex_destroy(&p.lock);
    return 0;
}

sqlengine *dbq_connect(const dbq_config *config, char *err, size_t err_size)
{
    return connect_worker(config, err, err_size);
}
