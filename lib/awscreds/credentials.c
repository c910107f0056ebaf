/*
 * The credential chain of awscreds.h: options, the AWS_* environment, a
 * profile of the shared credentials file.
 */
#include "awscreds.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_profile.h"

static int given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

void nbaq_aws_credentials_wipe(nbaq_aws_credentials *c)
{
    aws_secret_free(&c->access_key_id);
    aws_secret_free(&c->secret_access_key);
    aws_secret_free(&c->session_token);
    c->source[0] = '\0';
}

static int keep(nbaq_aws_credentials *out, const char *id, const char *secret,
                const char *token, const char *source, char *err,
                size_t err_size)
{
    out->access_key_id = strdup(id);
    out->secret_access_key = strdup(secret);
    out->session_token = given(token) ? strdup(token) : NULL;
    if (out->access_key_id == NULL || out->secret_access_key == NULL ||
        (given(token) && out->session_token == NULL)) {
        nbaq_aws_credentials_wipe(out);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    snprintf(out->source, sizeof out->source, "%s", source);
    return 0;
}

/* Which profile of which file, and whether either was named.            */
typedef struct profile_choice {
    const char *name;
    char path[4096]; /* "" when there is no HOME to find the default   */
    int name_explicit, path_explicit;
} profile_choice;

static void choose_profile(const nbaq_aws_credential_options *o,
                           profile_choice *c)
{
    const char *env_profile = getenv("AWS_PROFILE");
    const char *env_file = getenv("AWS_SHARED_CREDENTIALS_FILE");
    const char *home = getenv("HOME");

    c->name_explicit = given(o->profile) || given(env_profile);
    c->name = given(o->profile)    ? o->profile
              : given(env_profile) ? env_profile
                                   : "default";
    c->path_explicit = given(o->credentials_file) || given(env_file);
    if (given(o->credentials_file))
        snprintf(c->path, sizeof c->path, "%s", o->credentials_file);
    else if (given(env_file))
        snprintf(c->path, sizeof c->path, "%s", env_file);
    else if (given(home))
        snprintf(c->path, sizeof c->path, "%s/.aws/credentials", home);
    else
        c->path[0] = '\0';
}

/* Nothing found: an error when required, else success without keys.    */
static int none_found(const profile_choice *c, nbaq_aws_credentials *out,
                      int required, char *err, size_t err_size)
{
    if (!required) {
        snprintf(out->source, sizeof out->source, "none");
        return 0;
    }
    snprintf(err, err_size,
             "no AWS credentials: set access_key_id and secret_access_key, "
             "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile "
             "[%s] in %s",
             c->name, c->path[0] ? c->path : "~/.aws/credentials");
    return -1;
}

/* The file could not be read (errno says why). A file or profile named
 * explicitly must be usable; the default file may be missing, and when
 * credentials are optional it may be unreadable too.                    */
static int unreadable_file(const profile_choice *c, nbaq_aws_credentials *out,
                           int required, char *err, size_t err_size)
{
    int missing = c->path[0] == '\0' || errno == ENOENT;

    if (c->path[0] != '\0' && errno == ENOMEM) {
        snprintf(err, err_size, "out of memory reading credentials file %s",
                 c->path);
        return -1;
    }
    if (!c->path_explicit && missing && required)
        return none_found(c, out, required, err, err_size);
    if (!c->path_explicit && !c->name_explicit && !required)
        return none_found(c, out, required, err, err_size);
    if (c->path[0] == '\0')
        snprintf(err, err_size,
                 "credentials file: HOME is not set, so "
                 "~/.aws/credentials cannot be found (profile [%s])",
                 c->name);
    else
        snprintf(err, err_size, "credentials file %s: %s", c->path,
                 strerror(errno));
    return -1;
}

static int from_profile(const nbaq_aws_credential_options *o,
                        nbaq_aws_credentials *out, int required, char *err,
                        size_t err_size)
{
    profile_choice c;
    aws_profile p;
    int rc = -1;

    choose_profile(o, &c);
    if (c.path[0] == '\0' || aws_profile_read(c.path, c.name, &p) != 0)
        return unreadable_file(&c, out, required, err, err_size);
    if (!p.found) {
        if (c.name_explicit)
            snprintf(err, err_size, "credentials file %s has no profile [%s]",
                     c.path, c.name);
        else
            rc = none_found(&c, out, required, err, err_size);
    } else if (!given(p.access_key_id) || !given(p.secret_access_key)) {
        snprintf(err, err_size,
                 "credentials file %s, profile [%s]: aws_access_key_id and "
                 "aws_secret_access_key are both needed",
                 c.path, c.name);
    } else {
        char source[sizeof out->source];
        snprintf(source, sizeof source, "profile %s", c.name);
        rc = keep(out, p.access_key_id, p.secret_access_key, p.session_token,
                  source, err, err_size);
    }
    aws_profile_wipe(&p);
    return rc;
}

int nbaq_aws_credentials_resolve(const nbaq_aws_credential_options *o,
                                 nbaq_aws_credentials *out, int required,
                                 char *err, size_t err_size)
{
    const char *env_id = getenv("AWS_ACCESS_KEY_ID");
    const char *env_secret = getenv("AWS_SECRET_ACCESS_KEY");

    memset(out, 0, sizeof *out);
    if (given(o->access_key_id) != given(o->secret_access_key)) {
        snprintf(err, err_size,
                 "access_key_id and secret_access_key must be given "
                 "together");
        return -1;
    }
    if (given(o->access_key_id))
        return keep(out, o->access_key_id, o->secret_access_key,
                    o->session_token, "options", err, err_size);
    if (given(env_id) && given(env_secret))
        return keep(out, env_id, env_secret, getenv("AWS_SESSION_TOKEN"),
                    "environment", err, err_size);
    if (required && given(env_id) != given(env_secret)) {
        snprintf(err, err_size, "%s is set but %s is not",
                 given(env_id) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                 given(env_id) ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
        return -1;
    }
    return from_profile(o, out, required, err, err_size);
}
