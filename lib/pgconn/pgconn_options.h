/*
 * pgconn_options.h - the connection options every PostgreSQL checker
 * declares, written once. In a checker's option array:
 *
 *     static const nbaq_option_spec options[] = {
 *         NBAQ_PGCONN_DSN_OPTION_SPEC,
 *         ... the checker's own options ...,
 *         NBAQ_PGCONN_TIMEOUT_OPTION_SPECS("60s", "the server cancels ..."),
 *         NBAQ_OPTION_END};
 *
 * Read them with api->opt_string(o, "dsn"), api->opt_int(o,
 * "connect_timeout") and api->opt_int(o, "statement_timeout") (ms).
 */
#ifndef NBAQ_PGCONN_OPTIONS_H
#define NBAQ_PGCONN_OPTIONS_H

#include "nbaq.h"

#define NBAQ_PGCONN_DSN_OPTION_SPEC                                            \
    {                                                                          \
        .name = "dsn", .type = NBAQ_OPT_STRING, .required = 1, .secret = 1,    \
        .description = "libpq connection string or postgresql:// URI; use "    \
                       "${ENV} for the password"                               \
    }

/* statement_default: a duration as written in YAML ("5m"). */
#define NBAQ_PGCONN_TIMEOUT_OPTION_SPECS(statement_default,                    \
                                         statement_description)                \
    {.name = "connect_timeout",                                                \
     .type = NBAQ_OPT_DURATION,                                                \
     .default_value = "10s",                                                   \
     .min = 1000,                                                              \
     .max = 3600000,                                                           \
     .description = "give up connecting after this long (whole seconds)"},     \
    {                                                                          \
        .name = "statement_timeout", .type = NBAQ_OPT_DURATION,                \
        .default_value = statement_default, .min = 1, .max = 86400000,         \
        .description = statement_description                                   \
    }

#endif
