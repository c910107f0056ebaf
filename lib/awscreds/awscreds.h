/*
 * awscreds.h - where AWS credentials and the region come from, the way the
 * AWS CLI looks for them, for every plugin that signs AWS requests (the
 * object-store client for S3, the cloudwatch reporter).
 *
 * Credentials, first found wins:
 *   1. the caller's options access_key_id and secret_access_key (and
 *      session_token), which must be given together;
 *   2. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);
 *   3. a profile of the shared credentials file: the option profile, else
 *      AWS_PROFILE, else "default", of the file credentials_file, else
 *      AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials (keys
 *      aws_access_key_id, aws_secret_access_key, aws_session_token).
 *
 * A profile or a file named explicitly (option or environment) that
 * cannot be used is an error. Whether finding nothing is one is the
 * caller's choice (`required`):
 *   required = 0 (S3: public buckets take unsigned requests): none found
 *     is success with no credentials; an AWS_ACCESS_KEY_ID without
 *     AWS_SECRET_ACCESS_KEY (or the reverse), and a default credentials
 *     file that cannot be read, count as none there.
 *   required = 1 (CloudWatch refuses unsigned requests): none found is an
 *     error saying where credentials were looked for; so is one of the two
 *     AWS_* variables without the other, and a default credentials file
 *     that exists but cannot be read.
 *
 * Secrets never appear in messages: they name options, variables, files
 * and profiles, and say where credentials came from ("options",
 * "environment", "profile ops"), never a key.
 *
 * Ownership: options are the caller's, read during the call only. The
 * resolved strings are malloc'd and owned by the nbaq_aws_credentials;
 * nbaq_aws_credentials_wipe() overwrites and frees them. No function keeps
 * a pointer after it returns; none is thread-safe against setenv().
 */
#ifndef NBAQ_AWSCREDS_H
#define NBAQ_AWSCREDS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What the caller's configuration says; NULL or "": not given.          */
typedef struct nbaq_aws_credential_options {
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;
    const char *profile;
    const char *credentials_file;
} nbaq_aws_credential_options;

typedef struct nbaq_aws_credentials {
    char *access_key_id;     /* NULL: none found (required = 0 only)      */
    char *secret_access_key; /* NULL with access_key_id                   */
    char *session_token;     /* NULL: none                                */
    /* Where they came from, for messages: "options", "environment",
     * "profile <name>", or "none".                                      */
    char source[160];
} nbaq_aws_credentials;

/* Resolves the chain above into *out. Returns 0 (out->access_key_id NULL
 * when none was found and required is 0), or -1 with a one-line err and
 * *out empty. Reads the environment and at most one file.               */
int nbaq_aws_credentials_resolve(const nbaq_aws_credential_options *options,
                                 nbaq_aws_credentials *out, int required,
                                 char *err, size_t err_size);

/* Overwrites and frees the strings; *c is empty ("" source) afterwards.
 * A zeroed or already wiped struct is fine.                             */
void nbaq_aws_credentials_wipe(nbaq_aws_credentials *c);

/* The region: configured when given, else AWS_REGION, else
 * AWS_DEFAULT_REGION; NULL when none is set. *from_env (may be NULL) is
 * set to the variable's name when one was used, NULL otherwise. The
 * string is configured or the environment's: copy it before setenv().  */
const char *nbaq_aws_region(const char *configured, const char **from_env);

#ifdef __cplusplus
}
#endif

#endif /* NBAQ_AWSCREDS_H */
