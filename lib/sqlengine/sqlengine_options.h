/*
 * sqlengine_options.h - the `dsn` option of a checker that runs on every
 * engine this build supports; its description (shown by --list-plugins)
 * names those engines. Use it in place of NBAQ_PGCONN_DSN_OPTION_SPEC, with
 * NBAQ_PGCONN_TIMEOUT_OPTION_SPECS for the timeouts.
 */
#ifndef NBAQ_SQLENGINE_OPTIONS_H
#define NBAQ_SQLENGINE_OPTIONS_H

#include "nbaq.h"

#ifdef NBAQ_WITH_MARIADB
#define SQLENGINE_DSN_MARIADB ", mysql:// or mariadb:// (MariaDB/MySQL)"
#else
#define SQLENGINE_DSN_MARIADB ""
#endif
#ifdef NBAQ_WITH_ODBC
#define SQLENGINE_DSN_ODBC ", odbc:<connection string> (any ODBC driver)"
#else
#define SQLENGINE_DSN_ODBC ""
#endif

#define SQLENGINE_DSN_OPTION_SPEC                                              \
    {                                                                          \
        .name = "dsn", .type = NBAQ_OPT_STRING, .required = 1, .secret = 1,    \
        .description = "postgresql:// or libpq key=value "                     \
                       "(PostgreSQL)" SQLENGINE_DSN_MARIADB SQLENGINE_DSN_ODBC \
                       "; use ${ENV} for the password"                         \
    }

/* For a descriptor's description: "PostgreSQL, MariaDB/MySQL, ODBC". */
#define SQLENGINE_ENGINES_BUILT                                                \
    "PostgreSQL" SQLENGINE_ENGINE_MARIADB SQLENGINE_ENGINE_ODBC
#ifdef NBAQ_WITH_MARIADB
#define SQLENGINE_ENGINE_MARIADB ", MariaDB/MySQL"
#else
#define SQLENGINE_ENGINE_MARIADB ""
#endif
#ifdef NBAQ_WITH_ODBC
#define SQLENGINE_ENGINE_ODBC ", ODBC"
#else
#define SQLENGINE_ENGINE_ODBC ""
#endif

#endif
