#include "aws_profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void aws_secret_free(char **s)
{
    if (*s == NULL)
        return;
    explicit_bzero(*s, strlen(*s));
    free(*s);
    *s = NULL;
}

void aws_profile_wipe(aws_profile *p)
{
    aws_secret_free(&p->access_key_id);
    aws_secret_free(&p->secret_access_key);
    aws_secret_free(&p->session_token);
    p->found = 0;
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

/* "key = value" inside the wanted section. -1: no memory.              */
static int take_setting(aws_profile *p, char *line)
{
    char *eq = strchr(line, '=');
    char **slot = NULL;

    if (eq == NULL)
        return 0;
    *eq = '\0';
    const char *key = strip(line);
    const char *value = strip(eq + 1);
    if (strcmp(key, "aws_access_key_id") == 0)
        slot = &p->access_key_id;
    else if (strcmp(key, "aws_secret_access_key") == 0)
        slot = &p->secret_access_key;
    else if (strcmp(key, "aws_session_token") == 0)
        slot = &p->session_token;
    if (slot == NULL)
        return 0;
    aws_secret_free(slot);
    *slot = strdup(value);
    return *slot != NULL ? 0 : -1;
}

int aws_profile_read(const char *path, const char *name, aws_profile *p)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    int inside = 0, rc = 0;

    memset(p, 0, sizeof *p);
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
            inside = strcmp(strip(t + 1), name) == 0;
            p->found |= inside;
        } else if (inside && take_setting(p, t) != 0) {
            rc = -1;
        }
    }
    if (line != NULL)
        explicit_bzero(line, cap);
    free(line);
    fclose(f);
    if (rc != 0) {
        aws_profile_wipe(p);
        errno = ENOMEM;
    }
    return rc;
}
