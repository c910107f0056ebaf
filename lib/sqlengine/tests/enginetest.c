#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "enginetest.h"

void enginetest_env(const char *fixture, const char *key, char *out,
                    size_t size)
{
    const char *dir = getenv("NBAQ_SERVICES_DIR");
    char path[1024], line[1024];
    snprintf(path, sizeof path, "%s/%s/env", dir != NULL ? dir : ".", fixture);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s missing: run through ctest (fixture %s)", path, fixture);
    size_t key_len = strlen(key);
    out[0] = '\0';
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, key, key_len) == 0 && line[key_len] == '=') {
            line[strcspn(line, "\r\n")] = '\0';
            snprintf(out, size, "%s", line + key_len + 1);
        }
    }
    fclose(f);
    if (out[0] == '\0')
        fail_msg("%s has no %s", path, key);
}

void enginetest_use_odbc_fixture(void)
{
    char value[1024];
    enginetest_env("odbc", "ODBCSYSINI", value, sizeof value);
    setenv("ODBCSYSINI", value, 1);
    enginetest_env("odbc", "ODBCINI", value, sizeof value);
    setenv("ODBCINI", value, 1);
}

MYSQL *enginetest_mariadb_connect(const char *fixture)
{
    char port[16], password[128];
    enginetest_env(fixture, "NBAQ_TEST_MARIADB_PORT", port, sizeof port);
    enginetest_env(fixture, "NBAQ_TEST_MARIADB_PASSWORD", password,
                   sizeof password);
    MYSQL *db = mysql_init(NULL);
    if (db == NULL ||
        !mysql_real_connect(db, "127.0.0.1", "nbaq", password, "nbaq_test",
                            (unsigned)atoi(port), NULL, 0))
        fail_msg("cannot connect to the test MariaDB: %s",
                 db != NULL ? mysql_error(db) : "out of memory");
    return db;
}

void enginetest_mariadb_exec(MYSQL *db, const char *sql)
{
    if (mysql_query(db, sql) != 0)
        fail_msg("%s: %s", sql, mysql_error(db));
    MYSQL_RES *res = mysql_store_result(db);
    mysql_free_result(res);
}

void enginetest_mariadb_value(MYSQL *db, const char *sql, char *out,
                              size_t size)
{
    if (mysql_query(db, sql) != 0)
        fail_msg("%s: %s", sql, mysql_error(db));
    MYSQL_RES *res = mysql_store_result(db);
    MYSQL_ROW row = res != NULL ? mysql_fetch_row(res) : NULL;
    if (row == NULL)
        fail_msg("%s: no row", sql);
    snprintf(out, size, "%s", row[0] != NULL ? row[0] : "");
    mysql_free_result(res);
}
