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
#endif

const char *build_feature_missing_for_url(const char *url)
{
#ifdef NBAQ_WITHOUT_POSTGRESQL
    if (url && (strncmp(url, "postgresql://", 13) == 0 ||
                strncmp(url, "postgres://", 11) == 0))
        return BUILD_WITHOUT_POSTGRESQL;
#else
    (void)url;
#endif
    return NULL;
}

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
