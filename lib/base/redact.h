/*
 * redact.h - keeping the password of a connection string out of a
 * message: the one redactor of the history store, lib/pgconn and
 * lib/sqlengine. No driver library: it reads every form itself.
 *
 * The forms read (keywords in any case: every key ending in "password",
 * such as libpq's sslpassword, and the word "pwd"):
 *  - a URL's user info, any scheme: postgresql://user:PASSWORD@host,
 *    mysql://..., mariadb://... (as written and percent-decoded; an
 *    unencoded '@', '/' or '?' in the password is allowed for);
 *  - keyword=value, as PostgreSQL conninfo (password=VALUE,
 *    password = 'quoted \' value'), URL query parameters
 *    (?password=VALUE&..., percent-decoded too) and ODBC
 *    (PWD=VALUE; Password={braced; value}).
 * Every spelling a server or a driver may echo (as written, unquoted,
 * decoded) is replaced with "***", the longest first.
 */
#ifndef NBAQ_BASE_REDACT_H
#define NBAQ_BASE_REDACT_H

#include <stddef.h>

/* The mask a password becomes. */
#define REDACT_MASK "***"

/* Rewrites msg (NUL-terminated, in a buffer of size bytes) with every
 * password of conn masked. The text never grows past size: a mask at the
 * end is cut. When memory runs out, the whole message is replaced by a
 * notice that it was withheld. conn NULL or without a password: msg is
 * left as it is. */
void redact_connection_passwords(char *msg, size_t size, const char *conn);

#endif
