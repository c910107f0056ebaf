/*
 * build_features.h - what this build of nbaq left out at configure time
 * (NBAQ_WITH_POSTGRESQL=OFF), so that a config asking for it is refused
 * with the reason instead of "not found".
 */
#ifndef NBAQ_BUILD_FEATURES_H
#define NBAQ_BUILD_FEATURES_H

#define BUILD_WITHOUT_POSTGRESQL                                               \
    "this nbaq was built without PostgreSQL support "                          \
    "(NBAQ_WITH_POSTGRESQL=OFF)"

/* NULL when this build can open the history store `url`, else why not. */
const char *build_feature_missing_for_url(const char *url);

/* NULL when this build may have the plugin `name`, else why it has not. */
const char *build_feature_missing_for_plugin(const char *name);

#endif
