/*
 * sqlengine_mariadb.c - the MariaDB/MySQL backend (MariaDB Connector/C).
 *
 * mysql://user:password@host:port/database (or mariadb://). A password
 * missing from the URL comes from the [client] group of the usual option
 * files (~/.my.cnf...) or from ?option_file=PATH. Statements go through the
 * prepared-statement protocol, which runs one statement only, and one that
 * returns no result set is refused before it runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "percent.h"
#include "sqlengine_backend.h"

#define ER_STATEMENT_TIMEOUT_CODE 1969
#define ER_QUERY_TIMEOUT_MYSQL 3024

typedef struct mariadb_conn {
    MYSQL *db;
    int is_mariadb; /* MySQL names the timeout max_execution_time */
    int64_t statement_timeout_ms;
    int lost; /* an error said the server closed the session */
} mariadb_conn;

typedef struct mariadb_url {
    char user[128], password[256], host[256], database[128], option_file[512];
    unsigned port;
} mariadb_url;

static int parse_query(const char *query, mariadb_url *url, char *err,
                       size_t err_size)
{
    while (*query != '\0') {
        size_t len = strcspn(query, "&");
        if (strncmp(query, "option_file=", 12) == 0) {
            if (percent_decode(query + 12, len - 12, url->option_file,
                               sizeof url->option_file) != 0)
                goto too_long;
        } else {
            snprintf(err, err_size,
                     "dsn: unknown URL parameter \"%.*s\" (known: "
                     "option_file)",
                     (int)strcspn(query, "=&"), query);
            return -1;
        }
        query += len + (query[len] == '&');
    }
    return 0;
too_long:
    snprintf(err, err_size, "dsn: option_file is too long");
    return -1;
}

static int parse_url(const char *dsn, mariadb_url *url, char *err,
                     size_t err_size)
{
    memset(url, 0, sizeof *url);
    url->port = 3306;
    const char *p = strstr(dsn, "://") + 3;
    size_t auth_len = strcspn(p, "@/?");
    if (p[auth_len] == '@') {
        size_t user_len = strcspn(p, ":@");
        if (percent_decode(p, user_len, url->user, sizeof url->user) != 0 ||
            (p[user_len] == ':' &&
             percent_decode(p + user_len + 1, auth_len - user_len - 1,
                            url->password, sizeof url->password) != 0))
            goto too_long;
        p += auth_len + 1;
    }
    size_t host_len = strcspn(p, ":/?");
    if (percent_decode(p, host_len, url->host, sizeof url->host) != 0)
        goto too_long;
    p += host_len;
    if (*p == ':') {
        char *end = NULL;
        unsigned long port = strtoul(p + 1, &end, 10);
        if (end == p + 1 || port == 0 || port > 65535 ||
            (*end != '\0' && *end != '/' && *end != '?')) {
            snprintf(err, err_size, "dsn: invalid port");
            return -1;
        }
        url->port = (unsigned)port;
        p = end;
    }
    if (*p == '/') {
        size_t db_len = strcspn(++p, "?");
        if (percent_decode(p, db_len, url->database, sizeof url->database) != 0)
            goto too_long;
        p += db_len;
    }
    return *p == '?' ? parse_query(p + 1, url, err, err_size) : 0;
too_long:
    snprintf(err, err_size, "dsn: a part of the URL is too long");
    return -1;
}

static void set_db_error(MYSQL *db, char *err, size_t err_size)
{
    snprintf(err, err_size, "%s (error %u, SQLSTATE %s)", mysql_error(db),
             mysql_errno(db), mysql_sqlstate(db));
}

/* The errors after which the session is gone (a restart, KILL CONNECTION,
 * a dropped link): Connector/C does not reconnect by itself. */
static int is_session_lost(unsigned code)
{
    return code == CR_SERVER_GONE_ERROR || code == CR_SERVER_LOST ||
           code == CR_SERVER_LOST_EXTENDED || code == ER_CONNECTION_KILLED;
}

static void set_session_error(mariadb_conn *mc, char *err, size_t err_size)
{
    mc->lost |= is_session_lost(mysql_errno(mc->db));
    set_db_error(mc->db, err, err_size);
}

static void *mariadb_open(sqlengine *conn, const char *target,
                          const sqlengine_options *options, char *err,
                          size_t err_size)
{
    int64_t connect_timeout_ms = options->connect_timeout_ms;
    mariadb_url url;
    if (parse_url(target, &url, err, err_size) != 0)
        return NULL;
    mariadb_conn *mc = calloc(1, sizeof *mc);
    MYSQL *db = mc != NULL ? mysql_init(NULL) : NULL;
    if (db == NULL) {
        free(mc);
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    mysql_optionsv(db, MYSQL_READ_DEFAULT_GROUP, "client");
    if (url.option_file[0] != '\0')
        mysql_optionsv(db, MYSQL_READ_DEFAULT_FILE, url.option_file);
    mysql_optionsv(db, MYSQL_OPT_CONNECT_ATTR_ADD, "program_name",
                   options->application_name != NULL ? options->application_name
                                                     : "nbaq");
    if (connect_timeout_ms > 0) {
        unsigned seconds = (unsigned)((connect_timeout_ms + 999) / 1000);
        mysql_optionsv(db, MYSQL_OPT_CONNECT_TIMEOUT, &seconds);
    }
    const char *host = url.host[0] != '\0' ? url.host : NULL;
    if (!mysql_real_connect(db, host, url.user[0] ? url.user : NULL,
                            url.password[0] ? url.password : NULL,
                            url.database[0] ? url.database : NULL, url.port,
                            NULL, 0)) {
        set_db_error(db, err, err_size);
        mysql_close(db);
        free(mc);
        return NULL;
    }
    /* Parameters and cells are UTF-8 (sqlengine_sql_exact_text relies on
     * it), whatever an option file or the server's default says. */
    if (mysql_set_character_set(db, "utf8mb4") != 0) {
        set_db_error(db, err, err_size);
        mysql_close(db);
        free(mc);
        return NULL;
    }
    mc->db = db;
    mc->is_mariadb = strstr(mysql_get_server_info(db), "MariaDB") != NULL;
    conn->window_percentiles = mc->is_mariadb;
    return mc;
}

static void mariadb_close(void *impl)
{
    mariadb_conn *mc = impl;
    if (mc == NULL)
        return;
    mysql_close(mc->db);
    free(mc);
}

static int run_command(mariadb_conn *mc, const char *sql, char *err,
                       size_t err_size)
{
    if (mysql_query(mc->db, sql) == 0)
        return 0;
    set_session_error(mc, err, err_size);
    return -1;
}

static int mariadb_begin(void *impl, int64_t statement_timeout_ms, char *err,
                         size_t err_size)
{
    mariadb_conn *mc = impl;
    char sql[96];
    int64_t limit = statement_timeout_ms > 0 ? statement_timeout_ms : 0;
    if (mc->is_mariadb)
        snprintf(sql, sizeof sql, "SET SESSION max_statement_time = %.3f",
                 (double)limit / 1000.0);
    else
        snprintf(sql, sizeof sql, "SET SESSION max_execution_time = %" PRId64,
                 limit);
    if (run_command(mc, sql, err, err_size) != 0 ||
        run_command(mc,
                    "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
                    err, err_size) != 0 ||
        run_command(mc, "START TRANSACTION READ ONLY", err, err_size) != 0)
        return -1;
    mc->statement_timeout_ms = limit;
    return 0;
}

static void mariadb_end(void *impl)
{
    mariadb_conn *mc = impl;
    if (mc != NULL)
        mysql_query(mc->db, "ROLLBACK");
}

static void set_stmt_error(mariadb_conn *mc, MYSQL_STMT *stmt, char *err,
                           size_t err_size)
{
    unsigned code = mysql_stmt_errno(stmt);
    mc->lost |= is_session_lost(code);
    if ((code == ER_STATEMENT_TIMEOUT_CODE || code == ER_QUERY_TIMEOUT_MYSQL) &&
        mc->statement_timeout_ms > 0)
        snprintf(err, err_size, "%s (statement timeout %" PRId64 " ms)",
                 mysql_stmt_error(stmt), mc->statement_timeout_ms);
    else
        snprintf(err, err_size, "%s (error %u, SQLSTATE %s)",
                 mysql_stmt_error(stmt), code, mysql_stmt_sqlstate(stmt));
}

/* Binds the parameters as text and executes. Returns 0, -1 with err
 * filled, or -2 (the statement's error). */
static int execute(MYSQL_STMT *stmt, int nparams, const char *const *params,
                   char *err, size_t err_size)
{
    if (mysql_stmt_param_count(stmt) != (unsigned long)nparams) {
        snprintf(err, err_size, "the statement takes %lu parameters, not %d",
                 mysql_stmt_param_count(stmt), nparams);
        return -1;
    }
    if (nparams == 0)
        return mysql_stmt_execute(stmt) != 0 ? -2 : 0;
    MYSQL_BIND *binds = calloc((size_t)nparams, sizeof *binds);
    unsigned long *lengths = calloc((size_t)nparams, sizeof *lengths);
    my_bool *nulls = calloc((size_t)nparams, sizeof *nulls);
    int rc = binds != NULL && lengths != NULL && nulls != NULL ? 0 : -1;
    for (int i = 0; rc == 0 && i < nparams; i++) {
        nulls[i] = params[i] == NULL;
        lengths[i] = params[i] != NULL ? strlen(params[i]) : 0;
        binds[i].buffer_type = MYSQL_TYPE_STRING;
        binds[i].buffer = (void *)params[i];
        binds[i].buffer_length = lengths[i];
        binds[i].length = &lengths[i];
        binds[i].is_null = &nulls[i];
    }
    if (rc == 0 && mysql_stmt_bind_param(stmt, binds) != 0)
        rc = -2;
    /* The bound values must live until the statement has executed. */
    if (rc == 0 && mysql_stmt_execute(stmt) != 0)
        rc = -2;
    free(binds);
    free(lengths);
    free(nulls);
    if (rc == -1 && err[0] == '\0')
        snprintf(err, err_size, "%s", "cannot bind parameters");
    return rc;
}

typedef struct row_buffers {
    MYSQL_BIND *binds;
    char **data;
    unsigned long *lengths;
    my_bool *nulls;
    const char **cells;
    size_t *cell_lengths;
    size_t columns;
} row_buffers;

static void row_buffers_free(row_buffers *rb)
{
    for (size_t c = 0; rb->data != NULL && c < rb->columns; c++)
        free(rb->data[c]);
    free(rb->binds);
    free(rb->data);
    free(rb->lengths);
    free(rb->nulls);
    free(rb->cells);
    free(rb->cell_lengths);
}

#define INITIAL_CELL_SIZE 256

static int row_buffers_init(row_buffers *rb, size_t columns)
{
    memset(rb, 0, sizeof *rb);
    rb->columns = columns;
    rb->binds = calloc(columns, sizeof *rb->binds);
    rb->data = calloc(columns, sizeof *rb->data);
    rb->lengths = calloc(columns, sizeof *rb->lengths);
    rb->nulls = calloc(columns, sizeof *rb->nulls);
    rb->cells = calloc(columns, sizeof *rb->cells);
    rb->cell_lengths = calloc(columns, sizeof *rb->cell_lengths);
    if (!rb->binds || !rb->data || !rb->lengths || !rb->nulls || !rb->cells ||
        !rb->cell_lengths)
        return -1;
    for (size_t c = 0; c < columns; c++) {
        rb->data[c] = malloc(INITIAL_CELL_SIZE);
        if (rb->data[c] == NULL)
            return -1;
        rb->binds[c].buffer_type = MYSQL_TYPE_STRING;
        rb->binds[c].buffer = rb->data[c];
        rb->binds[c].buffer_length = INITIAL_CELL_SIZE;
        rb->binds[c].length = &rb->lengths[c];
        rb->binds[c].is_null = &rb->nulls[c];
    }
    return 0;
}

/* After MYSQL_DATA_TRUNCATED: fetches the long cells again, whole. */
static int refetch_truncated(MYSQL_STMT *stmt, row_buffers *rb)
{
    for (size_t c = 0; c < rb->columns; c++) {
        if (rb->nulls[c] || rb->lengths[c] <= rb->binds[c].buffer_length)
            continue;
        char *bigger = realloc(rb->data[c], rb->lengths[c] + 1);
        if (bigger == NULL)
            return -1;
        rb->data[c] = bigger;
        rb->binds[c].buffer = bigger;
        rb->binds[c].buffer_length = rb->lengths[c] + 1;
        if (mysql_stmt_fetch_column(stmt, &rb->binds[c], (unsigned)c, 0) != 0)
            return -1;
    }
    return 0;
}

static int fetch_rows(MYSQL_STMT *stmt, sqlengine_result *res, char *err,
                      size_t err_size)
{
    row_buffers rb;
    int rc = row_buffers_init(&rb, res->columns);
    if (rc == 0 && mysql_stmt_bind_result(stmt, rb.binds) != 0)
        rc = -1;
    while (rc == 0) {
        int status = mysql_stmt_fetch(stmt);
        if (status == MYSQL_NO_DATA)
            break;
        if (status == 1) {
            rc = -2;
            break;
        }
        if (status == MYSQL_DATA_TRUNCATED && refetch_truncated(stmt, &rb))
            rc = -1;
        for (size_t c = 0; rc == 0 && c < res->columns; c++) {
            rb.cells[c] = rb.nulls[c] ? NULL : rb.data[c];
            rb.cell_lengths[c] = rb.lengths[c];
        }
        if (rc == 0)
            rc = sqlengine_result_add_row(res, rb.cells, rb.cell_lengths);
    }
    row_buffers_free(&rb);
    if (rc == -1)
        snprintf(err, err_size, "out of memory reading the rows");
    return rc;
}

static sqlengine_result *new_result(MYSQL_STMT *stmt)
{
    MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
    if (meta == NULL)
        return NULL;
    size_t columns = mysql_num_fields(meta);
    sqlengine_result *res = sqlengine_result_new(columns);
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    for (size_t c = 0; res != NULL && c < columns; c++)
        sqlengine_result_set_name(res, c, fields[c].name);
    mysql_free_result(meta);
    return res;
}

static int mariadb_query(void *impl, const char *sql, int nparams,
                         const char *const *params, sqlengine_result **out,
                         char *err, size_t err_size)
{
    mariadb_conn *mc = impl;
    MYSQL_STMT *stmt = mysql_stmt_init(mc->db);
    if (stmt == NULL) {
        set_session_error(mc, err, err_size);
        return -1;
    }
    int rc = mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0 ? -2 : 0;
    if (rc == 0 && mysql_stmt_field_count(stmt) == 0) {
        snprintf(err, err_size,
                 "the statement returns no result set (it is "
                 "not a query); refused without running it");
        rc = -1;
    }
    if (rc == 0)
        rc = execute(stmt, nparams, params, err, err_size);
    sqlengine_result *res = rc == 0 ? new_result(stmt) : NULL;
    if (rc == 0 && res == NULL) {
        snprintf(err, err_size, "out of memory");
        rc = -1;
    }
    if (rc == 0)
        rc = fetch_rows(stmt, res, err, err_size);
    if (rc == -2)
        set_stmt_error(mc, stmt, err, err_size);
    mysql_stmt_close(stmt);
    if (rc != 0) {
        sqlengine_result_free(res);
        return -1;
    }
    *out = res;
    return 0;
}

static int mariadb_usable(void *impl)
{
    const mariadb_conn *mc = impl;
    return !mc->lost;
}

const sqlengine_backend sqlengine_mariadb_backend = {
    .open = mariadb_open,
    .close = mariadb_close,
    .begin = mariadb_begin,
    .end = mariadb_end,
    .query = mariadb_query,
    .usable = mariadb_usable,
};
