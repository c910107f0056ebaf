/*
 * build_features.c - see build_features.h. NBAQ_WITHOUT_POSTGRESQL and
 * NBAQ_POSTGRESQL_PLUGINS ("a,b") come from core/CMakeLists.txt.
 */
#include "build_features.h"

#include <string.h>

#ifdef NBAQ_WITHOUT_POSTGRESQL
static int in_comma_list(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        size_t item = strcspn(p, ",");
        if (item == len && strncmp(p, name, len) == 0)
            return 1;
        p += item + (p[item] == ',');
    }
    return 0;
}

/* A PostgreSQL URI, or keyword/value text that starts with a libpq
 * keyword ("host=db dbname=x"): what lib/pgconn would hand to libpq. */
static int looks_like_postgresql(const char *url)
{
    static const char *const keywords[] = {"host",
                                           "hostaddr",
                                           "port",
                                           "dbname",
                                           "user",
                                           "password",
                                           "service",
                                           "sslmode",
                                           "options",
                                           "passfile",
                                           "connect_timeout",
                                           NULL};
    if (strncmp(url, "postgresql://", 13) == 0 ||
        strncmp(url, "postgres://", 11) == 0)
        return 1;
    for (size_t i = 0; keywords[i]; i++) {
        size_t len = strlen(keywords[i]);
        const char *rest = url + strspn(url, " ");
        if (strncmp(rest, keywords[i], len) == 0 &&
            rest[len + strspn(rest + len, " ")] == '=')
            return 1;
    }
    return 0;
}

const char *build_feature_missing_for_url(const char *url)
{
    if (url && looks_like_postgresql(url))
        return BUILD_WITHOUT_POSTGRESQL;
    return NULL;
}
#else
const char *build_feature_missing_for_url(const char *url)
{
    (void)url;
    return NULL;
}
#endif

const char *build_feature_missing_for_plugin(const char *name)
{
#ifdef NBAQ_WITHOUT_POSTGRESQL
    if (name && in_comma_list(NBAQ_POSTGRESQL_PLUGINS, name))
        return BUILD_WITHOUT_POSTGRESQL;
#else
    (void)name;
#endif
    return NULL;
}
