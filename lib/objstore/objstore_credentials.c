/*
 * Where S3 credentials come from, first found wins: the check's options,
 * the AWS_* environment, a profile of the shared credentials file. The
 * values are never printed; messages say only where they came from.
 */
#include "objstore_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void wipe_string(char **s)
{
    if (*s != NULL) {
        memset(*s, 0, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void objstore_credentials_wipe(objstore_credentials *c)
{
    wipe_string(&c->access_key_id);
    wipe_string(&c->secret_access_key);
    wipe_string(&c->session_token);
}

static int take(objstore_credentials *out, const char *id, const char *secret,
                const char *token, char *err, size_t err_size)
{
    out->access_key_id = strdup(id);
    out->secret_access_key = strdup(secret);
    out->session_token = nonempty(token) ? strdup(token) : NULL;
    if (out->access_key_id == NULL || out->secret_access_key == NULL ||
        (nonempty(token) && out->session_token == NULL)) {
        objstore_credentials_wipe(out);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    return 0;
}

static char *trim(char *s)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

typedef struct profile_values {
    char *id, *secret, *token;
    int found;
} profile_values;

static void profile_values_wipe(profile_values *v)
{
    wipe_string(&v->id);
    wipe_string(&v->secret);
    wipe_string(&v->token);
}

static void take_line(profile_values *v, char *line)
{
    char *eq = strchr(line, '=');
    char **slot = NULL;

    if (eq == NULL)
        return;
    *eq = '\0';
    char *key = trim(line), *value = trim(eq + 1);
    if (strcmp(key, "aws_access_key_id") == 0)
        slot = &v->id;
    else if (strcmp(key, "aws_secret_access_key") == 0)
        slot = &v->secret;
    else if (strcmp(key, "aws_session_token") == 0)
        slot = &v->token;
    if (slot != NULL) {
        wipe_string(slot);
        *slot = strdup(value);
    }
}

/* Reads [profile] of an INI file. Returns 0 (v->found says whether the
 * section exists), or -1 when the file cannot be read (errno set).     */
static int read_profile(const char *path, const char *profile,
                        profile_values *v)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int in_section = 0;

    if (f == NULL)
        return -1;
    while (getline(&line, &cap, f) > 0) {
        char *t = trim(line);
        if (t[0] == '#' || t[0] == ';' || t[0] == '\0')
            continue;
        if (t[0] == '[') {
            char *close = strchr(t, ']');
            if (close != NULL)
                *close = '\0';
            in_section = strcmp(trim(t + 1), profile) == 0;
            v->found |= in_section;
            continue;
        }
        if (in_section)
            take_line(v, t);
    }
    if (line != NULL)
        memset(line, 0, cap);
    free(line);
    fclose(f);
    return 0;
}

static int from_profile(const nbaq_objstore_config *cfg,
                        objstore_credentials *out, char *err, size_t err_size)
{
    const char *env_profile = getenv("AWS_PROFILE");
    const char *env_file = getenv("AWS_SHARED_CREDENTIALS_FILE");
    const char *home = getenv("HOME");
    int explicit_profile = nonempty(cfg->profile) || nonempty(env_profile);
    int explicit_file = nonempty(cfg->credentials_file) || nonempty(env_file);
    const char *profile = nonempty(cfg->profile)  ? cfg->profile
                          : nonempty(env_profile) ? env_profile
                                                  : "default";
    char path[4096];
    profile_values v = {0};
    int rc = 0;

    if (nonempty(cfg->credentials_file))
        snprintf(path, sizeof path, "%s", cfg->credentials_file);
    else if (nonempty(env_file))
        snprintf(path, sizeof path, "%s", env_file);
    else if (nonempty(home))
        snprintf(path, sizeof path, "%s/.aws/credentials", home);
    else
        path[0] = '\0';

    if (path[0] == '\0' || read_profile(path, profile, &v) != 0) {
        if (!explicit_file && !explicit_profile)
            return 0; /* no file: unsigned requests */
        snprintf(err, err_size, "credentials file %s: %s", path,
                 path[0] ? strerror(errno) : "no HOME");
        return -1;
    }
    if (!v.found) {
        if (explicit_profile) {
            snprintf(err, err_size, "credentials file %s has no profile [%s]",
                     path, profile);
            rc = -1;
        }
    } else if (!nonempty(v.id) || !nonempty(v.secret)) {
        snprintf(err, err_size,
                 "credentials file %s, profile [%s]: aws_access_key_id and "
                 "aws_secret_access_key are both needed",
                 path, profile);
        rc = -1;
    } else {
        rc = take(out, v.id, v.secret, v.token, err, err_size);
        snprintf(out->source_buf, sizeof out->source_buf, "profile %s",
                 profile);
        out->source = out->source_buf;
    }
    profile_values_wipe(&v);
    return rc;
}

int objstore_credentials_resolve(const nbaq_objstore_config *cfg,
                                 objstore_credentials *out, char *err,
                                 size_t err_size)
{
    const char *env_id = getenv("AWS_ACCESS_KEY_ID");
    const char *env_secret = getenv("AWS_SECRET_ACCESS_KEY");

    memset(out, 0, sizeof *out);
    out->source = "none";
    if (nonempty(cfg->access_key_id) != nonempty(cfg->secret_access_key)) {
        snprintf(err, err_size,
                 "access_key_id and secret_access_key must be "
                 "given together");
        return -1;
    }
    if (nonempty(cfg->access_key_id)) {
        out->source = "options";
        return take(out, cfg->access_key_id, cfg->secret_access_key,
                    cfg->session_token, err, err_size);
    }
    if (nonempty(env_id) && nonempty(env_secret)) {
        out->source = "environment";
        return take(out, env_id, env_secret, getenv("AWS_SESSION_TOKEN"), err,
                    err_size);
    }
    return from_profile(cfg, out, err, err_size);
}
