#include "cw_publish.h"

#include <stdio.h>
#include <string.h>

#define REPLY_CAPTURE (64 * 1024)
#define EXCERPT_MAX 200

static const char *const request_headers[] = {
    "Content-Type: application/x-www-form-urlencoded; charset=utf-8", NULL};

int cw_publisher_open(cw_publisher *p, const cw_config *cfg,
                      const nbaq_aws_credentials *creds, char *err,
                      size_t err_size)
{
    memset(p, 0, sizeof *p);
    p->cfg = cfg;
    p->sigv4 = (nbaq_http_sigv4){.access_key_id = creds->access_key_id,
                                 .secret_access_key = creds->secret_access_key,
                                 .session_token = creds->session_token,
                                 .region = cfg->region,
                                 .service = "monitoring"};
    p->secrets[0] = creds->secret_access_key;
    p->secrets[1] = creds->session_token;
    p->client = nbaq_http_client_new(err, err_size);
    return p->client != NULL ? 0 : -1;
}

void cw_publisher_close(cw_publisher *p)
{
    nbaq_http_client_free(p->client);
    p->client = NULL;
}

/* The text between <tag> and </tag> in body, or NULL; *len its length. */
static const char *xml_element(const char *body, const char *tag, size_t *len)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *start = body != NULL ? strstr(body, open) : NULL;
    if (start == NULL)
        return NULL;
    start += strlen(open);
    const char *end = strstr(start, close);
    if (end == NULL)
        return NULL;
    *len = (size_t)(end - start);
    return start;
}

/* Copies text into out, cut to EXCERPT_MAX bytes, with the credentials
 * and control characters scrubbed (lib/http).                          */
static void safe_excerpt(const cw_publisher *p, const char *text, size_t len,
                         char *out, size_t out_size)
{
    size_t n = len < EXCERPT_MAX ? len : EXCERPT_MAX;
    snprintf(out, out_size, "%.*s", (int)n, text);
    nbaq_http_scrub(out, out_size, p->secrets,
                    sizeof p->secrets / sizeof p->secrets[0]);
}

static void error_code(const nbaq_http_response *resp, char *code,
                       size_t code_size)
{
    size_t len = 0;
    const char *text = xml_element(resp->body, "Code", &len);
    size_t n = 0;
    for (size_t i = 0; text != NULL && i < len && n + 1 < code_size; i++)
        if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                   "0123456789._-:",
                   text[i]) != NULL)
            code[n++] = text[i];
    code[n] = '\0';
}

/* lib/http's retry_if: CloudWatch throttles with HTTP 400.             */
static int is_throttling(void *user, const nbaq_http_response *resp)
{
    char code[64];
    (void)user;
    if (resp->status != 400)
        return 0;
    error_code(resp, code, sizeof code);
    return strcmp(code, "Throttling") == 0 ||
           strcmp(code, "ThrottlingException") == 0 ||
           strcmp(code, "RequestLimitExceeded") == 0;
}

static void describe_refusal(const cw_publisher *p,
                             const nbaq_http_response *resp, const char *what,
                             char *err, size_t err_size)
{
    unsigned tries = resp->attempts;
    char code[64], message[EXCERPT_MAX + 1] = "";
    size_t len = 0;
    const char *text = xml_element(resp->body, "Message", &len);

    error_code(resp, code, sizeof code);
    if (text != NULL)
        safe_excerpt(p, text, len, message, sizeof message);
    snprintf(err, err_size, "%s to %s: HTTP %ld%s%s after %u %s%s%s", what,
             p->cfg->target, resp->status, code[0] ? " " : "", code, tries,
             tries == 1 ? "attempt" : "attempts", message[0] ? ": " : "",
             message);
}

int cw_publisher_send(cw_publisher *p, const char *body, size_t len,
                      size_t count, char *err, size_t err_size)
{
    const cw_config *cfg = p->cfg;
    char what[640], http_err[768];
    nbaq_http_response resp;
    nbaq_http_request req = {.method = "POST",
                             .url = cfg->url,
                             .headers = request_headers,
                             .body = body,
                             .body_len = len,
                             .sigv4 = &p->sigv4,
                             .timeout_ms = cfg->timeout_ms,
                             .max_retries = cfg->retries,
                             .retry_base_ms = cfg->retry_delay_ms,
                             .max_capture = REPLY_CAPTURE,
                             .what = cfg->target,
                             .retry_if = is_throttling};
    int rc = -1;

    p->requests++;
    snprintf(what, sizeof what, "PutMetricData request %zu (%zu metric data)",
             p->requests, count);
    if (nbaq_http_client_perform(p->client, &req, &resp, http_err,
                                 sizeof http_err) != 0) {
        snprintf(err, err_size, "%s: %s", what, http_err);
        p->give_up = 1;
    } else if (resp.status >= 200 && resp.status <= 299) {
        rc = 0;
    } else {
        describe_refusal(p, &resp, what, err, err_size);
        p->give_up = resp.status == 401 || resp.status == 403;
    }
    nbaq_http_response_free(&resp);
    if (rc != 0)
        p->failed++;
    return rc;
}
