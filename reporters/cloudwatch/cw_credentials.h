/*
 * cw_credentials.h - the AWS credentials requests are signed with, first
 * found wins:
 *   1. the options access_key_id and secret_access_key (and
 *      session_token), which must be given together;
 *   2. AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN);
 *   3. a profile of the shared credentials file: the option profile, else
 *      AWS_PROFILE, else "default", of the file credentials_file, else
 *      AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
 * Finding none is an error: CloudWatch refuses unsigned requests.
 *
 * lib/objstore resolves the same chain for S3 but keeps it private to the
 * object-store client; this module has the interface a shared lib/ module
 * would have, so that it can be swapped for one (see README.md).
 *
 * Secrets never appear in messages: they say only where credentials came
 * from ("options", "environment", "profile ops").
 *
 * Ownership: the options are the caller's, read during the call. The
 * resolved strings are malloc'd, owned by *out, and wiped (overwritten,
 * then freed) by cw_credentials_wipe().
 */
#ifndef CW_CREDENTIALS_H
#define CW_CREDENTIALS_H

#include <stddef.h>

typedef struct cw_credential_options {
    const char *access_key_id; /* NULL or "": not given              */
    const char *secret_access_key;
    const char *session_token;
    const char *profile;
    const char *credentials_file;
} cw_credential_options;

typedef struct cw_credentials {
    char *access_key_id;
    char *secret_access_key;
    char *session_token; /* NULL: none                                  */
    char source[160];    /* where they came from, for messages         */
} cw_credentials;

/* 0 with *out filled, or -1 with err filled and *out empty. */
int cw_credentials_resolve(const cw_credential_options *opts,
                           cw_credentials *out, char *err, size_t err_size);

/* Overwrites and frees the strings; *c is empty afterwards. */
void cw_credentials_wipe(cw_credentials *c);

#endif
