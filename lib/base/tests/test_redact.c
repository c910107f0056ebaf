/* Unit tests of base's redactor (redact.h) and percent-decoding: every
 * connection-string kind. The cases of lib/pgconn's and lib/sqlengine's
 * former redactors are kept here; expected texts are written by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "percent.h"
#include "redact.h"

/* msg in a buffer of size bytes (0: 256), redacted for conn. */
static void redacted_in(size_t size, const char *conn, const char *msg,
                        const char *expected)
{
    char buf[256];
    size = size ? size : sizeof buf;
    snprintf(buf, size, "%s", msg);
    redact_connection_passwords(buf, size, conn);
    assert_string_equal(buf, expected);
}

static void redacted(const char *conn, const char *msg, const char *expected)
{
    redacted_in(0, conn, msg, expected);
}

static void test_postgresql_conninfo(void **state)
{
    (void)state;
    redacted("host=db user=u password=s3cr3t dbname=x",
             "auth for s3cr3t failed", "auth for *** failed");
    /* quoted: as written and as libpq decodes it */
    redacted("host=db password = 'a b\\'c' user=u", "got a b'c and a b\\'c",
             "got *** and ***");
    redacted("host=h password='a b'", "x a b y", "x *** y");
    /* the passphrase of the client key is a secret too */
    redacted("host=h sslpassword=k3y sslkey=/k", "bad k3y", "bad ***");
    /* a password holding ';' or '&' is masked whole, not cut there */
    redacted("host=h password=ab;cd&ef user=u", "saw ab;cd&ef", "saw ***");
}

static void test_postgresql_url(void **state)
{
    (void)state;
    redacted("postgresql://u:p%40ss@h:5432/db", "x p@ss y p%40ss z",
             "x *** y *** z");
    redacted("postgres://h/db?user=u&password=qw%3Derty&sslmode=disable",
             "qw=erty qw%3Derty", "*** ***");
    redacted("postgresql://bob:pgpw@h/db", "pgpw!", "***!");
    /* unencoded '/' or '@' in the password (the store refuses such a URL,
     * but a message about it must not show it either) */
    redacted("postgresql://u:pa/ss@db/app", "bad pa/ss", "bad ***");
    redacted("postgresql://u:p@ss@db/app", "bad p@ss", "bad ***");
}

static void test_mysql_mariadb_url(void **state)
{
    (void)state;
    redacted("mysql://bob:p%40ss@h/db", "pw p@ss or p%40ss", "pw *** or ***");
    redacted("mariadb://bob:Zq9w@h:3306/db", "Access denied Zq9w",
             "Access denied ***");
    redacted("MariaDB://bob:Zq9w@h/db?option_file=%2Fetc%2Fmy.cnf",
             "Zq9w /etc/my.cnf", "*** /etc/my.cnf");
    redacted("mysql://bob@h/db", "no password here bob",
             "no password here bob");
}

static void test_odbc(void **state)
{
    (void)state;
    redacted("odbc:DSN=w;UID=bob;PWD=s3cr3t;", "login s3cr3t failed",
             "login *** failed");
    redacted("odbc:DSN=w;uid=bob;pwd={a;b=c}", "bad a;b=c here",
             "bad *** here");
    redacted("odbc:Driver=X;Password=hunter22", "got hunter22", "got ***");
    /* }} is a '}' inside braces */
    redacted("odbc:DSN=w;PWD={x}}y};UID=u", "saw x}y and x}}y",
             "saw *** and ***");
    /* a keyword only at the start of a word */
    redacted("odbc:DSN=w;OLDPWD=abc;UID=u", "abc", "abc");
}

static void test_no_password_leaves_message(void **state)
{
    (void)state;
    redacted("host=db user=u", "password authentication failed for user u",
             "password authentication failed for user u");
    redacted("not a dsn at all", "some message", "some message");
    redacted_in(0, NULL, "kept", "kept");
}

static void test_redaction_respects_buffer(void **state)
{
    (void)state;
    redacted_in(8, "password=abcdefg", "abcdefg", "***");
    /* the mask is longer than the password: the end is cut, never
     * overflowed */
    redacted_in(8, "password=ab", "xxxxxab", "xxxxx**");
    redacted_in(10, "odbc:PWD=ab", "0123456ab", "0123456**");
}

static void test_percent_decode(void **state)
{
    (void)state;
    char out[8];
    assert_int_equal(percent_decode("a%40b%2f", 8, out, sizeof out), 0);
    assert_string_equal(out, "a@b/");
    /* not two hex digits: kept as written */
    assert_int_equal(percent_decode("%4g%", 4, out, sizeof out), 0);
    assert_string_equal(out, "%4g%");
    assert_int_equal(percent_decode("12345678", 8, out, sizeof out), -1);
    char form[] = "a+b%2Fc%e2%82%ac";
    assert_int_equal(percent_decode_form(form), 0);
    assert_string_equal(form, "a b/c\xe2\x82\xac");
    char bad[] = "a%4";
    assert_int_equal(percent_decode_form(bad), -1);
    char bad2[] = "%zz";
    assert_int_equal(percent_decode_form(bad2), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_postgresql_conninfo),
        cmocka_unit_test(test_postgresql_url),
        cmocka_unit_test(test_mysql_mariadb_url),
        cmocka_unit_test(test_odbc),
        cmocka_unit_test(test_no_password_leaves_message),
        cmocka_unit_test(test_redaction_respects_buffer),
        cmocka_unit_test(test_percent_decode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
