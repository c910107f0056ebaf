/*
 * aws_profile.h - one section of an AWS shared credentials file (INI:
 * "[name]" headers, "key = value" lines, '#' and ';' comments). Private
 * to lib/awscreds.
 *
 * Ownership: the values are malloc'd and owned by the aws_profile;
 * aws_profile_wipe() overwrites and frees them.
 */
#ifndef NBAQ_AWS_PROFILE_H
#define NBAQ_AWS_PROFILE_H

typedef struct aws_profile {
    char *access_key_id;     /* aws_access_key_id; NULL: not in the section */
    char *secret_access_key; /* aws_secret_access_key                       */
    char *session_token;     /* aws_session_token                           */
    int found;               /* the section exists                          */
} aws_profile;

/* Reads section [name] of the file at path into *p (zeroed first).
 * Returns 0 (p->found says whether the section exists), or -1 with errno
 * set when the file cannot be read or memory runs out (ENOMEM).         */
int aws_profile_read(const char *path, const char *name, aws_profile *p);

void aws_profile_wipe(aws_profile *p);

/* Overwrites the string, frees it and sets *s to NULL; NULL is fine.   */
void aws_secret_free(char **s);

#endif /* NBAQ_AWS_PROFILE_H */
