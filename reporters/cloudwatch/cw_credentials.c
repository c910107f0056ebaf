#include "cw_credentials.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static void wipe(char **s)
{
    if (*s == NULL)
        return;
    volatile char *p = *s;
    while (*p != '\0')
        *p++ = '\0';
    free(*s);
    *s = NULL;
}

void cw_credentials_wipe(cw_credentials *c)
{
    wipe(&c->access_key_id);
    wipe(&c->secret_access_key);
    wipe(&c->session_token);
    c->source[0] = '\0';
}

static int keep(cw_credentials *out, const char *id, const char *secret,
                const char *token, const char *source, char *err,
                size_t err_size)
{
    out->access_key_id = strdup(id);
    out->secret_access_key = strdup(secret);
    out->session_token = given(token) ? strdup(token) : NULL;
    if (out->access_key_id == NULL || out->secret_access_key == NULL ||
        (given(token) && out->session_token == NULL)) {
        cw_credentials_wipe(out);
        snprintf(err, err_size, "out of memory");
        return -1;
    }
    snprintf(out->source, sizeof out->source, "%s", source);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The shared credentials file: INI sections "[name]" of key = value.     */

typedef struct profile_entry {
    char *id, *secret, *token;
    int found;
} profile_entry;

static void profile_entry_wipe(profile_entry *e)
{
    wipe(&e->id);
    wipe(&e->secret);
    wipe(&e->token);
}

static char *strip(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

/* key = value inside the wanted section. -1: no memory. */
static int take_setting(profile_entry *e, char *line)
{
    char *eq = strchr(line, '=');
    char **slot = NULL;

    if (eq == NULL)
        return 0;
    *eq = '\0';
    const char *key = strip(line);
    const char *value = strip(eq + 1);
    if (strcmp(key, "aws_access_key_id") == 0)
        slot = &e->id;
    else if (strcmp(key, "aws_secret_access_key") == 0)
        slot = &e->secret;
    else if (strcmp(key, "aws_session_token") == 0)
        slot = &e->token;
    if (slot == NULL)
        return 0;
    wipe(slot);
    *slot = strdup(value);
    return *slot != NULL ? 0 : -1;
}

/* Reads section [profile] of path into e. -1 with errno when the file
 * cannot be read (or memory runs out: ENOMEM).                           */
static int read_profile(const char *path, const char *profile, profile_entry *e)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int inside = 0, rc = 0;

    if (f == NULL)
        return -1;
    while (rc == 0 && getline(&line, &cap, f) >= 0) {
        char *t = strip(line);
        if (t[0] == '#' || t[0] == ';' || t[0] == '\0')
            continue;
        if (t[0] == '[') {
            char *close = strchr(t, ']');
            if (close != NULL)
                *close = '\0';
            inside = strcmp(strip(t + 1), profile) == 0;
            e->found |= inside;
        } else if (inside && take_setting(e, t) != 0) {
            errno = ENOMEM;
            rc = -1;
        }
    }
    if (line != NULL)
        memset(line, 0, cap);
    free(line);
    fclose(f);
    return rc;
}

typedef struct profile_choice {
    const char *name;
    char path[4096];
    int name_explicit, path_explicit;
} profile_choice;

static void choose_profile(const cw_credential_options *o, profile_choice *c)
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

static void none_found(const profile_choice *c, char *err, size_t err_size)
{
    snprintf(err, err_size,
             "no AWS credentials: set access_key_id and secret_access_key, "
             "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile "
             "[%s] in %s",
             c->name, c->path[0] ? c->path : "~/.aws/credentials");
}

static int from_profile(const cw_credential_options *o, cw_credentials *out,
                        char *err, size_t err_size)
{
    profile_choice c;
    profile_entry e = {0};
    int rc = -1;

    choose_profile(o, &c);
    if (c.path[0] == '\0' || read_profile(c.path, c.name, &e) != 0) {
        if (c.path[0] != '\0' && (errno != ENOENT || c.path_explicit))
            snprintf(err, err_size, "credentials file %s: %s", c.path,
                     strerror(errno));
        else
            none_found(&c, err, err_size);
    } else if (!e.found) {
        if (c.name_explicit)
            snprintf(err, err_size, "credentials file %s has no profile [%s]",
                     c.path, c.name);
        else
            none_found(&c, err, err_size);
    } else if (!given(e.id) || !given(e.secret)) {
        snprintf(err, err_size,
                 "credentials file %s, profile [%s]: aws_access_key_id and "
                 "aws_secret_access_key are both needed",
                 c.path, c.name);
    } else {
        char source[160];
        snprintf(source, sizeof source, "profile %s", c.name);
        rc = keep(out, e.id, e.secret, e.token, source, err, err_size);
    }
    profile_entry_wipe(&e);
    return rc;
}

int cw_credentials_resolve(const cw_credential_options *o, cw_credentials *out,
                           char *err, size_t err_size)
{
    const char *env_id = getenv("AWS_ACCESS_KEY_ID");
    const char *env_secret = getenv("AWS_SECRET_ACCESS_KEY");

    memset(out, 0, sizeof *out);
    if (given(o->access_key_id) != given(o->secret_access_key)) {
        snprintf(err, err_size,
                 "access_key_id and secret_access_key must "
                 "be given together");
        return -1;
    }
    if (given(o->access_key_id))
        return keep(out, o->access_key_id, o->secret_access_key,
                    o->session_token, "options", err, err_size);
    if (given(env_id) != given(env_secret)) {
        snprintf(err, err_size, "%s is set but %s is not",
                 given(env_id) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
                 given(env_id) ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
        return -1;
    }
    if (given(env_id))
        return keep(out, env_id, env_secret, getenv("AWS_SESSION_TOKEN"),
                    "environment", err, err_size);
    return from_profile(o, out, err, err_size);
}
