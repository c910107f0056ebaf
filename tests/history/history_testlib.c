/*
 * history_testlib.c - helpers shared by the store tests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ftw.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history_store.h"
#include "history_testlib.h"

tl_run *tl_run_new(const char *prefix, int64_t ts_ms)
{
    tl_run *r = calloc(1, sizeof *r);
    assert_non_null(r);
    snprintf(r->run_id, sizeof r->run_id, "%s-%lld", prefix, (long long)ts_ms);
    r->run.struct_size = sizeof r->run;
    r->run.monitor = "shop";
    r->run.run_id = r->run_id;
    r->run.started_ms = ts_ms;
    r->run.finished_ms = ts_ms + 1500;
    r->run.checks = r->check_ptrs;
    r->names = calloc(TL_MAX_CHECKS * TL_MAX_METRICS + TL_MAX_CHECKS,
                      sizeof *r->names);
    assert_non_null(r->names);
    return r;
}

static const char *keep_name(tl_run *r, const char *name)
{
    char *slot = r->names[r->name_count++];
    snprintf(slot, 32, "%s", name);
    return slot;
}

static nbaq_check_result *find_check(tl_run *r, const char *name)
{
    for (size_t i = 0; i < r->run.check_count; i++) {
        if (strcmp(r->checks[i].name, name) == 0)
            return &r->checks[i];
    }
    assert_true(r->run.check_count < TL_MAX_CHECKS);
    size_t i = r->run.check_count++;
    nbaq_check_result *c = &r->checks[i];
    c->name = keep_name(r, name);
    c->plugin = "sql_count";
    c->status = NBAQ_PASS;
    c->message = "ok";
    c->severity = NBAQ_SEV_MEDIUM;
    c->started_ms = r->run.started_ms;
    c->duration_ms = 20;
    r->metrics[i] = calloc(TL_MAX_METRICS, sizeof(nbaq_metric));
    r->metric_ptrs[i] = calloc(TL_MAX_METRICS, sizeof(nbaq_metric *));
    assert_non_null(r->metrics[i]);
    assert_non_null(r->metric_ptrs[i]);
    c->metrics = r->metric_ptrs[i];
    r->check_ptrs[i] = c;
    return c;
}

nbaq_metric *tl_metric(tl_run *r, const char *check, const char *name,
                       double value)
{
    nbaq_check_result *c = find_check(r, check);
    size_t ci = (size_t)(c - r->checks);
    assert_true(c->metric_count < TL_MAX_METRICS);
    nbaq_metric *m = &r->metrics[ci][c->metric_count];
    m->name = keep_name(r, name);
    m->value = value;
    m->unit = "rows";
    m->status = NBAQ_PASS;
    m->reason = "";
    r->metric_ptrs[ci][c->metric_count++] = m;
    return m;
}

void tl_run_free(tl_run *r)
{
    for (size_t i = 0; i < TL_MAX_CHECKS; i++) {
        free(r->metrics[i]);
        free(r->metric_ptrs[i]);
    }
    free(r->names);
    free(r);
}

void tl_save_value(history_store *store, const char *check, const char *metric,
                   int64_t ts_ms, double value, int anomalous)
{
    char prefix[80];
    snprintf(prefix, sizeof prefix, "%s.%s", check, metric);
    tl_run *r = tl_run_new(prefix, ts_ms);
    tl_metric(r, check, metric, value)->anomalous = anomalous;
    char err[512];
    if (history_save_run(store, &r->run, NULL, 0, err, sizeof err) != 0)
        fail_msg("save: %s", err);
    tl_run_free(r);
}

int64_t tl_query_int(history_store *store, const char *sql)
{
    char err[512];
    store_stmt *s = store->backend->prepare(store->conn, sql, err, sizeof err);
    if (!s)
        fail_msg("%s: %s", sql, err);
    int rc = store->backend->step(s, err, sizeof err);
    if (rc != 1)
        fail_msg("%s: %s", sql, rc < 0 ? err : "no row");
    int64_t value = store->backend->column_int64(s, 0);
    store->backend->finalize(s);
    return value;
}

void tl_exec(history_store *store, const char *sql)
{
    char err[512];
    if (store->backend->exec(store->conn, sql, err, sizeof err) != 0)
        fail_msg("%s: %s", sql, err);
}

char *tl_temp_dir(void)
{
    char *dir = strdup("/tmp/nbaq-history-test-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    assert_int_equal(chmod(dir, 0755), 0);
    return dir;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void tl_rmtree(const char *dir)
{
    if (dir)
        nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* NBAQ_TEST_PG_URL from the fixture's env file. */
static char *fixture_url(void)
{
    const char *services = getenv("NBAQ_SERVICES_DIR");
    if (!services)
        fail_msg("NBAQ_SERVICES_DIR is not set: run through ctest");
    char path[1024], line[1024];
    snprintf(path, sizeof path, "%s/postgres/env", services);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s missing: the postgres fixture is not running", path);
    char *url = NULL;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "NBAQ_TEST_PG_URL=", 17) == 0)
            url = strdup(line + 17);
    }
    fclose(f);
    if (!url)
        fail_msg("%s has no NBAQ_TEST_PG_URL", path);
    return url;
}

static void admin_exec(const char *url, const char *sql)
{
    PGconn *pg = PQconnectdb(url);
    if (PQstatus(pg) != CONNECTION_OK)
        fail_msg("connect %s: %s", url, PQerrorMessage(pg));
    PGresult *res = PQexec(pg, sql);
    if (PQresultStatus(res) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(pg));
    PQclear(res);
    PQfinish(pg);
}

char *tl_pg_create_database(void)
{
    static unsigned counter;
    char *admin = fixture_url();
    char name[64], sql[160];
    snprintf(name, sizeof name, "nbaq_history_%d_%u", (int)getpid(), counter++);
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
    admin_exec(admin, sql);
    char *slash = strrchr(admin, '/');
    size_t len = (size_t)(slash - admin) + strlen(name) + 2;
    char *url = malloc(len);
    assert_non_null(url);
    snprintf(url, len, "%.*s/%s", (int)(slash - admin), admin, name);
    free(admin);
    return url;
}

void tl_pg_drop_database(const char *url)
{
    if (!url)
        return;
    char *admin = fixture_url();
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)",
             strrchr(url, '/') + 1);
    admin_exec(admin, sql);
    free(admin);
}
