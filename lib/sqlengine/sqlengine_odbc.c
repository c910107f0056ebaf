/*
 * sqlengine_odbc.c - the ODBC backend (unixODBC): odbc:<connection string>.
 *
 * Read-only as far as ODBC and the engine allow: SQL_ATTR_ACCESS_MODE =
 * SQL_MODE_READ_ONLY (many drivers treat it as a hint only), manual commit
 * with a ROLLBACK at the end when the driver has transactions, and, for
 * the dialects nbaq knows, a read-only session in SQL. A statement that
 * returns no result set is refused after SQLPrepare, before it runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sql.h>
#include <sqlext.h>

#include "sqlengine_backend.h"

typedef struct odbc_conn {
    SQLHENV env;
    SQLHDBC dbc;
    int has_transactions;
    int is_mariadb; /* the driver talks to MariaDB: max_statement_time */
    int64_t statement_timeout_ms;
} odbc_conn;

/* The driver's diagnostics for handle, as one line, into err. */
static void set_diag_error(SQLSMALLINT type, SQLHANDLE handle, char *err,
                           size_t err_size)
{
    size_t o = 0;
    err[0] = '\0';
    for (SQLSMALLINT i = 1; o + 1 < err_size; i++) {
        SQLCHAR state[6], text[512];
        SQLINTEGER native;
        SQLSMALLINT len;
        if (!SQL_SUCCEEDED(SQLGetDiagRec(type, handle, i, state, &native, text,
                                         sizeof text, &len)))
            break;
        int n = snprintf(err + o, err_size - o, "%s%s (SQLSTATE %s)",
                         i > 1 ? "; " : "", (char *)text, (char *)state);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    if (o == 0)
        snprintf(err, err_size, "the driver gave no diagnostics");
}

static void odbc_close(void *impl)
{
    odbc_conn *oc = impl;
    if (oc == NULL)
        return;
    if (oc->dbc != SQL_NULL_HDBC) {
        SQLDisconnect(oc->dbc);
        SQLFreeHandle(SQL_HANDLE_DBC, oc->dbc);
    }
    if (oc->env != SQL_NULL_HENV)
        SQLFreeHandle(SQL_HANDLE_ENV, oc->env);
    free(oc);
}

static int run_direct(odbc_conn *oc, const char *sql, char *err,
                      size_t err_size)
{
    SQLHSTMT stmt;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, oc->dbc, &stmt))) {
        set_diag_error(SQL_HANDLE_DBC, oc->dbc, err, err_size);
        return -1;
    }
    SQLRETURN r = SQLExecDirect(stmt, (SQLCHAR *)sql, SQL_NTS);
    int rc = SQL_SUCCEEDED(r) || r == SQL_NO_DATA ? 0 : -1;
    if (rc != 0)
        set_diag_error(SQL_HANDLE_STMT, stmt, err, err_size);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return rc;
}

/* The dialect, quote character and name from the driver's SQLGetInfo. */
static void describe_engine(sqlengine *conn, odbc_conn *oc)
{
    SQLCHAR dbms[64] = "", quote[4] = "";
    SQLSMALLINT len;
    SQLUSMALLINT txn = SQL_TC_NONE;
    SQLGetInfo(oc->dbc, SQL_DBMS_NAME, dbms, sizeof dbms, &len);
    SQLGetInfo(oc->dbc, SQL_IDENTIFIER_QUOTE_CHAR, quote, sizeof quote, &len);
    SQLGetInfo(oc->dbc, SQL_TXN_CAPABLE, &txn, sizeof txn, &len);
    const char *name = (const char *)dbms;
    if (strstr(name, "PostgreSQL") != NULL)
        conn->dialect = SQLENGINE_DIALECT_POSTGRESQL;
    else if (strstr(name, "MySQL") != NULL || strstr(name, "MariaDB") != NULL)
        conn->dialect = SQLENGINE_DIALECT_MYSQL;
    else
        conn->dialect = SQLENGINE_DIALECT_OTHER;
    conn->quote = quote[0] != '\0' && quote[0] != ' ' ? (char)quote[0] : '"';
    snprintf(conn->name, sizeof conn->name, "ODBC (%s)",
             name[0] != '\0' ? name : "unknown engine");
    oc->has_transactions = txn != SQL_TC_NONE;
    oc->is_mariadb = strstr(name, "MariaDB") != NULL;
    conn->window_percentiles = oc->is_mariadb;
}

static int read_only_session(sqlengine *conn, odbc_conn *oc, char *err,
                             size_t err_size)
{
    SQLSetConnectAttr(oc->dbc, SQL_ATTR_ACCESS_MODE,
                      (SQLPOINTER)(uintptr_t)SQL_MODE_READ_ONLY, 0);
    if (conn->dialect == SQLENGINE_DIALECT_POSTGRESQL)
        return run_direct(oc,
                          "SET SESSION CHARACTERISTICS AS TRANSACTION "
                          "ISOLATION LEVEL REPEATABLE READ READ ONLY",
                          err, err_size);
    if (conn->dialect == SQLENGINE_DIALECT_MYSQL)
        return run_direct(oc, "SET SESSION TRANSACTION READ ONLY", err,
                          err_size);
    return 0;
}

static void *odbc_open(sqlengine *conn, const char *target,
                       const sqlengine_options *options, char *err,
                       size_t err_size)
{
    int64_t connect_timeout_ms = options->connect_timeout_ms;
    odbc_conn *oc = calloc(1, sizeof *oc);
    if (oc == NULL ||
        !SQL_SUCCEEDED(
            SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &oc->env)) ||
        !SQL_SUCCEEDED(SQLSetEnvAttr(oc->env, SQL_ATTR_ODBC_VERSION,
                                     (SQLPOINTER)SQL_OV_ODBC3, 0)) ||
        !SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, oc->env, &oc->dbc))) {
        snprintf(err, err_size, "cannot set up the ODBC driver manager");
        odbc_close(oc);
        return NULL;
    }
    if (connect_timeout_ms > 0) {
        SQLUINTEGER seconds = (SQLUINTEGER)((connect_timeout_ms + 999) / 1000);
        SQLSetConnectAttr(oc->dbc, SQL_ATTR_LOGIN_TIMEOUT,
                          (SQLPOINTER)(uintptr_t)seconds, 0);
    }
    SQLSetConnectAttr(oc->dbc, SQL_ATTR_ACCESS_MODE,
                      (SQLPOINTER)(uintptr_t)SQL_MODE_READ_ONLY, 0);
    SQLCHAR out[16];
    SQLSMALLINT out_len;
    if (!SQL_SUCCEEDED(SQLDriverConnect(oc->dbc, NULL, (SQLCHAR *)target,
                                        SQL_NTS, out, sizeof out, &out_len,
                                        SQL_DRIVER_NOPROMPT))) {
        set_diag_error(SQL_HANDLE_DBC, oc->dbc, err, err_size);
        SQLFreeHandle(SQL_HANDLE_DBC, oc->dbc);
        oc->dbc = SQL_NULL_HDBC;
        odbc_close(oc);
        return NULL;
    }
    describe_engine(conn, oc);
    if (read_only_session(conn, oc, err, err_size) != 0) {
        odbc_close(oc);
        return NULL;
    }
    return oc;
}

static int odbc_begin(void *impl, int64_t statement_timeout_ms, char *err,
                      size_t err_size)
{
    odbc_conn *oc = impl;
    oc->statement_timeout_ms =
        statement_timeout_ms > 0 ? statement_timeout_ms : 0;
    /* MariaDB Connector/ODBC ignores SQL_ATTR_QUERY_TIMEOUT: the server's
     * own limit instead. */
    if (oc->is_mariadb) {
        char sql[96];
        snprintf(sql, sizeof sql, "SET SESSION max_statement_time = %.3f",
                 (double)oc->statement_timeout_ms / 1000.0);
        if (run_direct(oc, sql, err, err_size) != 0)
            return -1;
    }
    if (!oc->has_transactions)
        return 0;
    if (!SQL_SUCCEEDED(SQLSetConnectAttr(oc->dbc, SQL_ATTR_AUTOCOMMIT,
                                         (SQLPOINTER)SQL_AUTOCOMMIT_OFF, 0))) {
        set_diag_error(SQL_HANDLE_DBC, oc->dbc, err, err_size);
        return -1;
    }
    return 0;
}

static void odbc_end(void *impl)
{
    odbc_conn *oc = impl;
    if (oc != NULL && oc->has_transactions)
        SQLEndTran(SQL_HANDLE_DBC, oc->dbc, SQL_ROLLBACK);
}

/* Reads one cell as text, in pieces when it is long. Returns 0 with
 * *out NULL for SQL NULL, or -1. */
static int read_cell(SQLHSTMT stmt, SQLUSMALLINT column, char **out,
                     size_t *out_len)
{
    size_t size = 256, len = 0;
    char *text = malloc(size);
    *out = NULL;
    for (;;) {
        if (text == NULL)
            return -1;
        SQLLEN got = 0;
        SQLRETURN r = SQLGetData(stmt, column, SQL_C_CHAR, text + len,
                                 (SQLLEN)(size - len), &got);
        if (r == SQL_NO_DATA)
            break;
        if (!SQL_SUCCEEDED(r)) {
            free(text);
            return -1;
        }
        if (got == SQL_NULL_DATA) {
            free(text);
            return 0;
        }
        if (r == SQL_SUCCESS ||
            (got != SQL_NO_TOTAL && (size_t)got < size - len)) {
            len += (size_t)got;
            break;
        }
        len = size - 1; /* the piece read, without its NUL */
        size *= 2;
        char *bigger = realloc(text, size);
        if (bigger == NULL)
            free(text);
        text = bigger;
    }
    *out = text;
    *out_len = len;
    return 0;
}

static int fetch_rows(SQLHSTMT stmt, sqlengine_result *res)
{
    char **cells = calloc(res->columns + 1, sizeof *cells);
    size_t *lengths = calloc(res->columns + 1, sizeof *lengths);
    int rc = cells != NULL && lengths != NULL ? 0 : -1;
    SQLRETURN r;
    while (rc == 0 && SQL_SUCCEEDED(r = SQLFetch(stmt))) {
        for (size_t c = 0; rc == 0 && c < res->columns; c++)
            rc = read_cell(stmt, (SQLUSMALLINT)(c + 1), &cells[c], &lengths[c]);
        if (rc == 0)
            rc = sqlengine_result_add_row(res, (const char *const *)cells,
                                          lengths);
        for (size_t c = 0; c < res->columns; c++) {
            free(cells[c]);
            cells[c] = NULL;
        }
    }
    if (rc == 0 && r != SQL_NO_DATA)
        rc = -1;
    free(cells);
    free(lengths);
    return rc;
}

static sqlengine_result *new_result(SQLHSTMT stmt, SQLSMALLINT columns)
{
    sqlengine_result *res = sqlengine_result_new((size_t)columns);
    for (SQLSMALLINT c = 0; res != NULL && c < columns; c++) {
        SQLCHAR name[128] = "";
        SQLSMALLINT len, type, digits, nullable;
        SQLULEN width;
        SQLDescribeCol(stmt, (SQLUSMALLINT)(c + 1), name, sizeof name, &len,
                       &type, &width, &digits, &nullable);
        sqlengine_result_set_name(res, (size_t)c, (char *)name);
    }
    return res;
}

/* Runs a statement already prepared or executed: builds the result. */
static int collect(SQLHSTMT stmt, sqlengine_result **out, char *err,
                   size_t err_size)
{
    SQLSMALLINT columns = 0;
    SQLNumResultCols(stmt, &columns);
    sqlengine_result *res = new_result(stmt, columns);
    if (res == NULL || fetch_rows(stmt, res) != 0) {
        set_diag_error(SQL_HANDLE_STMT, stmt, err, err_size);
        sqlengine_result_free(res);
        return -1;
    }
    *out = res;
    return 0;
}

static int bind_params(SQLHSTMT stmt, int nparams, const char *const *params,
                       SQLLEN *indicators)
{
    for (int i = 0; i < nparams; i++) {
        SQLULEN len = params[i] != NULL ? strlen(params[i]) : 0;
        indicators[i] = params[i] != NULL ? (SQLLEN)len : SQL_NULL_DATA;
        if (!SQL_SUCCEEDED(SQLBindParameter(
                stmt, (SQLUSMALLINT)(i + 1), SQL_PARAM_INPUT, SQL_C_CHAR,
                SQL_VARCHAR, len > 0 ? len : 1, 0, (SQLPOINTER)params[i],
                (SQLLEN)len, &indicators[i])))
            return -1;
    }
    return 0;
}

static int odbc_query(void *impl, const char *sql, int nparams,
                      const char *const *params, sqlengine_result **out,
                      char *err, size_t err_size)
{
    odbc_conn *oc = impl;
    SQLHSTMT stmt;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, oc->dbc, &stmt))) {
        set_diag_error(SQL_HANDLE_DBC, oc->dbc, err, err_size);
        return -1;
    }
    if (oc->statement_timeout_ms > 0) {
        SQLULEN seconds = (SQLULEN)((oc->statement_timeout_ms + 999) / 1000);
        SQLSetStmtAttr(stmt, SQL_ATTR_QUERY_TIMEOUT, (SQLPOINTER)seconds, 0);
    }
    SQLLEN *indicators = calloc((size_t)nparams + 1, sizeof *indicators);
    SQLSMALLINT columns = 0;
    int rc = -1;
    if (indicators == NULL)
        snprintf(err, err_size, "out of memory");
    else if (!SQL_SUCCEEDED(SQLPrepare(stmt, (SQLCHAR *)sql, SQL_NTS)) ||
             !SQL_SUCCEEDED(SQLNumResultCols(stmt, &columns)) ||
             bind_params(stmt, nparams, params, indicators) != 0)
        set_diag_error(SQL_HANDLE_STMT, stmt, err, err_size);
    else if (columns == 0)
        snprintf(err, err_size,
                 "the statement returns no result set (it is "
                 "not a query); refused without running it");
    else if (!SQL_SUCCEEDED(SQLExecute(stmt)))
        set_diag_error(SQL_HANDLE_STMT, stmt, err, err_size);
    else
        rc = collect(stmt, out, err, err_size);
    free(indicators);
    SQLFreeStmt(stmt, SQL_CLOSE);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    return rc;
}

/* SQLColumns result columns (ODBC 3): 4 COLUMN_NAME, 6 TYPE_NAME,
 * 11 NULLABLE. */
static int odbc_columns(void *impl, const char *schema, const char *table,
                        sqlengine_column **out, char *err, size_t err_size)
{
    odbc_conn *oc = impl;
    SQLHSTMT stmt;
    sqlengine_result *res = NULL;
    *out = NULL;
    if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, oc->dbc, &stmt))) {
        set_diag_error(SQL_HANDLE_DBC, oc->dbc, err, err_size);
        return -1;
    }
    int has_schema = schema != NULL && schema[0] != '\0';
    SQLRETURN r = SQLColumns(
        stmt, NULL, 0, (SQLCHAR *)(has_schema ? schema : NULL),
        has_schema ? SQL_NTS : 0, (SQLCHAR *)table, SQL_NTS, NULL, 0);
    int rc = SQL_SUCCEEDED(r) ? collect(stmt, &res, err, err_size) : -1;
    if (!SQL_SUCCEEDED(r))
        set_diag_error(SQL_HANDLE_STMT, stmt, err, err_size);
    SQLFreeHandle(SQL_HANDLE_STMT, stmt);
    if (rc != 0)
        return -1;
    sqlengine_column *cols = sqlengine_columns_from(res, 3, 5, 10);
    int count = cols != NULL ? (int)res->rows : -1;
    if (cols == NULL)
        snprintf(err, err_size, "out of memory");
    sqlengine_result_free(res);
    *out = cols;
    return count;
}

/* The driver's own judgement (SQL_ATTR_CONNECTION_DEAD: psqlODBC and
 * MariaDB Connector/ODBC both answer it, tested). A driver that cannot tell
 * is believed alive; the next statement's error then says why not. */
static int odbc_usable(void *impl)
{
    odbc_conn *oc = impl;
    SQLUINTEGER dead = SQL_CD_FALSE;
    if (!SQL_SUCCEEDED(SQLGetConnectAttr(oc->dbc, SQL_ATTR_CONNECTION_DEAD,
                                         &dead, sizeof dead, NULL)))
        return 1;
    return dead != SQL_CD_TRUE;
}

const sqlengine_backend sqlengine_odbc_backend = {
    .open = odbc_open,
    .close = odbc_close,
    .begin = odbc_begin,
    .end = odbc_end,
    .query = odbc_query,
    .usable = odbc_usable,
    .columns = odbc_columns,
};
