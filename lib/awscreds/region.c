#include "awscreds.h"

#include <stdlib.h>

static int given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

const char *nbaq_aws_region(const char *configured, const char **from_env)
{
    static const char *const variables[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};

    if (from_env != NULL)
        *from_env = NULL;
    if (given(configured))
        return configured;
    for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++) {
        const char *value = getenv(variables[i]);
        if (given(value)) {
            if (from_env != NULL)
                *from_env = variables[i];
            return value;
        }
    }
    return NULL;
}
