/*
 * option_values.h - the checks behind the option types NBAQ_OPT_URL and
 * NBAQ_OPT_HTTP_HEADERS, so that --check-config refuses what a run would
 * refuse (or, worse, send).
 */
#ifndef NBAQ_CORE_OPTION_VALUES_H
#define NBAQ_CORE_OPTION_VALUES_H

#include <stddef.h>

/* 0 when url is scheme://host[:port][/path...] with a scheme among
 * schemes (NULL-terminated; NULL means http and https), a host, a port
 * of 1 to 65535 when given, no user:password@, no spaces or control
 * characters. Else -1 with reason (which never quotes the URL). */
int option_check_url(const char *url, const char *const *schemes, char *reason,
                     size_t reason_size);

/* 0 when name is an HTTP token and value holds no CR, LF, NUL or other
 * control character but tab. Else -1 with reason. */
int option_check_header(const char *name, const char *value, char *reason,
                        size_t reason_size);

#endif
