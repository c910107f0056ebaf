/*
 * lib/awscreds: the order of the credential chain, what `required`
 * changes, the errors a user meets (none of them holding a secret), and
 * the region lookup. Each test sets the environment it needs; HOME points
 * at a temporary directory so that no developer's ~/.aws is read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "awscreds.h"

typedef struct fixture {
    char home[64];
    char path[128];         /* <home>/creds.ini */
    char default_path[128]; /* <home>/.aws/credentials, not created */
} fixture;

static const char *const aws_variables[] = {
    "AWS_ACCESS_KEY_ID",           "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",           "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION",
    "AWS_DEFAULT_REGION",          NULL};

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

enum { ERR_SIZE = 512 };

static int resolve(const nbaq_aws_credential_options *o, int required,
                   nbaq_aws_credentials *c, char err[ERR_SIZE])
{
    return nbaq_aws_credentials_resolve(o, c, required, err, ERR_SIZE);
}

/* Resolves o, expecting access key `key` from `source`; wipes them.     */
static void assert_found(const nbaq_aws_credential_options *o, int required,
                         const char *key, const char *source)
{
    char err[ERR_SIZE] = "";
    nbaq_aws_credentials c;

    assert_int_equal(resolve(o, required, &c, err), 0);
    assert_string_equal(c.access_key_id, key);
    assert_string_equal(c.source, source);
    nbaq_aws_credentials_wipe(&c);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->home, sizeof fx->home, "/tmp/nbaq-awscreds-XXXXXX");
    assert_non_null(mkdtemp(fx->home));
    snprintf(fx->path, sizeof fx->path, "%s/creds.ini", fx->home);
    snprintf(fx->default_path, sizeof fx->default_path, "%s/.aws/credentials",
             fx->home);
    write_text(fx->path,
               "# comment\n[default]\naws_access_key_id = DEFKEY\n"
               "aws_secret_access_key = defsecret\n\n; another\n"
               "[other]\naws_access_key_id=OTHERKEY\n"
               "aws_secret_access_key=othersecret\naws_session_token = tok\n"
               "[half]\naws_access_key_id = HALFKEY\n");
    for (size_t i = 0; aws_variables[i] != NULL; i++)
        unsetenv(aws_variables[i]);
    setenv("HOME", fx->home, 1);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char aws_dir[128];
    remove(fx->default_path);
    snprintf(aws_dir, sizeof aws_dir, "%s/.aws", fx->home);
    rmdir(aws_dir);
    remove(fx->path);
    rmdir(fx->home);
    free(fx);
    return 0;
}

static void test_credentials_order(void **state)
{
    fixture *fx = *state;
    char err[ERR_SIZE];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {0};

    cfg.credentials_file = fx->path;
    setenv("AWS_ACCESS_KEY_ID", "ENVKEY", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
    cfg.access_key_id = "OPTKEY";
    cfg.secret_access_key = "optsecret";
    assert_found(&cfg, 0, "OPTKEY", "options");

    cfg.access_key_id = cfg.secret_access_key = NULL;
    assert_found(&cfg, 0, "ENVKEY", "environment");

    unsetenv("AWS_ACCESS_KEY_ID");
    assert_found(&cfg, 0, "DEFKEY", "profile default");

    cfg.profile = "other";
    assert_int_equal(resolve(&cfg, 0, &c, err), 0);
    assert_string_equal(c.secret_access_key, "othersecret");
    assert_string_equal(c.session_token, "tok");
    nbaq_aws_credentials_wipe(&c);

    cfg.profile = "missing";
    assert_int_equal(resolve(&cfg, 0, &c, err), -1);
    assert_non_null(strstr(err, "has no profile [missing]"));

    cfg.profile = NULL;
    cfg.access_key_id = "ONLYKEY";
    assert_int_equal(resolve(&cfg, 0, &c, err), -1);
    assert_string_equal(err, "access_key_id and secret_access_key must be "
                             "given together");
}

static void test_session_token_from_options_and_environment(void **state)
{
    char err[ERR_SIZE];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {
        .access_key_id = "K", .secret_access_key = "S", .session_token = "T"};
    (void)state;

    assert_int_equal(resolve(&cfg, 1, &c, err), 0);
    assert_string_equal(c.session_token, "T");
    nbaq_aws_credentials_wipe(&c);
    assert_null(c.access_key_id);
    assert_null(c.secret_access_key);
    assert_null(c.session_token);
    assert_string_equal(c.source, "");

    memset(&cfg, 0, sizeof cfg);
    setenv("AWS_ACCESS_KEY_ID", "EK", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "ES", 1);
    setenv("AWS_SESSION_TOKEN", "ET", 1);
    assert_int_equal(resolve(&cfg, 1, &c, err), 0);
    assert_string_equal(c.session_token, "ET");
    nbaq_aws_credentials_wipe(&c);
    nbaq_aws_credentials_wipe(&c); /* twice is fine */
}

static void test_none_found_depends_on_required(void **state)
{
    fixture *fx = *state;
    char err[ERR_SIZE], expected[512];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {0};

    /* HOME has no .aws/credentials */
    assert_int_equal(resolve(&cfg, 0, &c, err), 0);
    assert_null(c.access_key_id);
    assert_string_equal(c.source, "none");

    assert_int_equal(resolve(&cfg, 1, &c, err), -1);
    snprintf(expected, sizeof expected,
             "no AWS credentials: set access_key_id and secret_access_key, "
             "or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or profile "
             "[default] in %s",
             fx->default_path);
    assert_string_equal(err, expected);

    /* a file whose [default] section is absent: the same */
    cfg.credentials_file = fx->path;
    write_text(fx->path, "[other]\naws_access_key_id = X\n");
    assert_int_equal(resolve(&cfg, 0, &c, err), 0);
    assert_null(c.access_key_id);
    assert_int_equal(resolve(&cfg, 1, &c, err), -1);
    assert_non_null(strstr(err, "no AWS credentials"));
}

static void test_half_environment(void **state)
{
    fixture *fx = *state;
    char err[ERR_SIZE];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {.credentials_file = fx->path};

    setenv("AWS_ACCESS_KEY_ID", "LONEKEY", 1);
    /* optional: the pair is incomplete, so the profile is used */
    assert_found(&cfg, 0, "DEFKEY", "profile default");
    /* required: the user is told which half is missing */
    assert_int_equal(resolve(&cfg, 1, &c, err), -1);
    assert_string_equal(err,
                        "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY "
                        "is not");
    unsetenv("AWS_ACCESS_KEY_ID");
    setenv("AWS_SECRET_ACCESS_KEY", "lonesecret", 1);
    assert_int_equal(resolve(&cfg, 1, &c, err), -1);
    assert_string_equal(err,
                        "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID "
                        "is not");
    assert_null(strstr(err, "lonesecret"));
}

static void test_files_that_cannot_be_used(void **state)
{
    fixture *fx = *state;
    char err[ERR_SIZE], expected[512], missing[160];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {0};

    snprintf(missing, sizeof missing, "%s/missing.ini", fx->home);
    /* a file named explicitly must exist, required or not */
    for (int required = 0; required <= 1; required++) {
        cfg.credentials_file = missing;
        assert_int_equal(resolve(&cfg, required, &c, err), -1);
        snprintf(expected, sizeof expected,
                 "credentials file %s: No such file or directory", missing);
        assert_string_equal(err, expected);
        cfg.credentials_file = NULL;
        setenv("AWS_SHARED_CREDENTIALS_FILE", missing, 1);
        assert_int_equal(resolve(&cfg, required, &c, err), -1);
        assert_string_equal(err, expected);
        unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    }

    /* a profile named explicitly, and no default file */
    setenv("AWS_PROFILE", "ops", 1);
    assert_int_equal(resolve(&cfg, 0, &c, err), -1);
    snprintf(expected, sizeof expected,
             "credentials file %s: No such file or directory",
             fx->default_path);
    assert_string_equal(err, expected);
    assert_int_equal(resolve(&cfg, 1, &c, err), -1);
    assert_non_null(strstr(err, "no AWS credentials"));
    assert_non_null(strstr(err, "profile [ops] in "));

    /* a section with only one of the two keys */
    cfg.credentials_file = fx->path;
    setenv("AWS_PROFILE", "half", 1);
    assert_int_equal(resolve(&cfg, 0, &c, err), -1);
    snprintf(expected, sizeof expected,
             "credentials file %s, profile [half]: aws_access_key_id and "
             "aws_secret_access_key are both needed",
             fx->path);
    assert_string_equal(err, expected);
    assert_null(strstr(err, "HALFKEY"));
}

static void test_default_file_under_home(void **state)
{
    fixture *fx = *state;
    char err[ERR_SIZE], aws_dir[128];
    nbaq_aws_credentials c;
    nbaq_aws_credential_options cfg = {0};

    snprintf(aws_dir, sizeof aws_dir, "%s/.aws", fx->home);
    assert_int_equal(mkdir(aws_dir, 0700), 0);
    write_text(fx->default_path, "[default]\r\naws_access_key_id = HOMEKEY\r\n"
                                 "aws_secret_access_key = homesecret\r\n");
    assert_int_equal(resolve(&cfg, 1, &c, err), 0);
    assert_string_equal(c.access_key_id, "HOMEKEY");
    assert_string_equal(c.secret_access_key, "homesecret");
    assert_null(c.session_token);
    assert_string_equal(c.source, "profile default");
    nbaq_aws_credentials_wipe(&c);
}

static void test_region(void **state)
{
    const char *from_env = "unset";
    (void)state;

    assert_null(nbaq_aws_region(NULL, &from_env));
    assert_null(from_env);
    assert_null(nbaq_aws_region("", NULL));
    setenv("AWS_DEFAULT_REGION", "eu-central-1", 1);
    assert_string_equal(nbaq_aws_region(NULL, &from_env), "eu-central-1");
    assert_string_equal(from_env, "AWS_DEFAULT_REGION");
    setenv("AWS_REGION", "ap-south-1", 1);
    assert_string_equal(nbaq_aws_region("", &from_env), "ap-south-1");
    assert_string_equal(from_env, "AWS_REGION");
    assert_string_equal(nbaq_aws_region("us-west-2", &from_env), "us-west-2");
    assert_null(from_env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_credentials_order, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_session_token_from_options_and_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_none_found_depends_on_required,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_half_environment, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files_that_cannot_be_used, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_file_under_home, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_region, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
