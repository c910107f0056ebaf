/*
 * One request's life inside the client: headers and signing set up once,
 * then one curl easy handle per try, and the verdict on each try.
 */
#include "http_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#define DEFAULT_CONNECT_TIMEOUT_MS 10000
#define DEFAULT_TIMEOUT_MS 60000
#define DEFAULT_RETRY_BASE_MS 250
#define MAX_BACKOFF_MS 10000
#define MAX_RETRY_AFTER_S 30.0
#define DEFAULT_CAPTURE (1024 * 1024)

static const char *request_method(const nbaq_http_request *req)
{
    if (req->method != NULL)
        return req->method;
    return req->body != NULL ? "POST" : "GET";
}

static void describe_target(const http_transfer *t, char *out, size_t size)
{
    if (t->req->what != NULL)
        snprintf(out, size, "%s", t->req->what);
    else
        http_target_name(t->req->url, out, size);
}

static int sha256_hex(const void *data, size_t len, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    static const unsigned char empty = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;

    if (EVP_Digest(len ? data : &empty, len, md, &md_len, EVP_sha256(), NULL) !=
            1 ||
        md_len != 32)
        return -1;
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 0x0f];
    }
    hex[64] = '\0';
    return 0;
}

static int append_header(struct curl_slist **list, const char *line)
{
    struct curl_slist *grown = curl_slist_append(*list, line);
    if (grown == NULL)
        return -1;
    *list = grown;
    return 0;
}

static int add_signing_headers(http_transfer *t, char *err, size_t err_size)
{
    const nbaq_http_sigv4 *s = t->req->sigv4;
    char line[128];
    char hex[65];

    if (s->service != NULL && strcmp(s->service, "s3") == 0) {
        if (sha256_hex(t->req->body, t->req->body ? t->req->body_len : 0,
                       hex) != 0) {
            snprintf(err, err_size, "SHA-256 failed in libcrypto");
            return -1;
        }
        snprintf(line, sizeof line, "x-amz-content-sha256: %s", hex);
        if (append_header(&t->headers, line) != 0)
            goto oom;
    }
    if (s->session_token != NULL && s->session_token[0] != '\0') {
        size_t n = strlen(s->session_token) + 32;
        char *token_line = malloc(n);
        if (token_line == NULL)
            goto oom;
        snprintf(token_line, n, "x-amz-security-token: %s", s->session_token);
        int rc = append_header(&t->headers, token_line);
        memset(token_line, 0, n);
        free(token_line);
        if (rc != 0)
            goto oom;
    }
    return 0;
oom:
    snprintf(err, err_size, "out of memory");
    return -1;
}

int http_transfer_init(http_transfer *t, const nbaq_http_request *req,
                       nbaq_http_response *resp, char *err, size_t err_size)
{
    memset(t, 0, sizeof *t);
    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
    t->req = req;
    t->resp = resp;
    if (req->url == NULL || req->url[0] == '\0') {
        snprintf(err, err_size, "HTTP request without a URL");
        return -1;
    }
    for (size_t i = 0; req->headers != NULL && req->headers[i] != NULL; i++)
        if (append_header(&t->headers, req->headers[i]) != 0)
            goto oom;
    /* No "Expect: 100-continue" round trip before a body. Not when
     * signing: curl would sign the empty header it then does not send.  */
    if (req->body != NULL && req->sigv4 == NULL &&
        append_header(&t->headers, "Expect:") != 0)
        goto oom;
    if (req->sigv4 != NULL && add_signing_headers(t, err, err_size) != 0)
        return -1;
    return 0;
oom:
    snprintf(err, err_size, "out of memory");
    return -1;
}

void http_transfer_cleanup(http_transfer *t)
{
    if (t->easy != NULL)
        curl_easy_cleanup(t->easy);
    t->easy = NULL;
    curl_slist_free_all(t->headers);
    t->headers = NULL;
}

static void capture_reset(nbaq_http_response *resp)
{
    free(resp->body);
    resp->body = NULL;
    resp->body_len = 0;
    resp->body_truncated = 0;
    resp->retry_after_s = 0;
    resp->content_length = -1;
    resp->status = 0;
}

static int capture(http_transfer *t, const char *data, size_t len)
{
    nbaq_http_response *resp = t->resp;
    size_t cap = t->req->max_capture ? t->req->max_capture : DEFAULT_CAPTURE;
    size_t room = cap > resp->body_len ? cap - resp->body_len : 0;
    size_t take = len < room ? len : room;

    if (take < len)
        resp->body_truncated = 1;
    if (take == 0)
        return 0;
    if (resp->body_len + take + 1 > t->body_cap) {
        /* The whole announced body at once: no copy as it grows.       */
        size_t want = resp->body_len + take + 1;
        if (resp->body == NULL && resp->content_length > 0 &&
            (uint64_t)resp->content_length < cap &&
            (size_t)resp->content_length + 1 > want)
            want = (size_t)resp->content_length + 1;
        char *grown = realloc(resp->body, want);
        if (grown == NULL)
            return -1;
        resp->body = grown;
        t->body_cap = want;
    }
    memcpy(resp->body + resp->body_len, data, take);
    resp->body_len += take;
    resp->body[resp->body_len] = '\0';
    return 0;
}

static int is_success(long status)
{
    return status >= 200 && status < 300;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *userdata)
{
    http_transfer *t = userdata;
    size_t len = size * nmemb;

    if (t->req->sink != NULL && is_success(t->resp->status)) {
        if (t->req->sink(t->req->user, data, len) != 0) {
            t->aborted = 1;
            return 0;
        }
        t->resp->sunk_bytes += len;
        return len;
    }
    return capture(t, data, len) == 0 ? len : 0;
}

static void parse_retry_after(nbaq_http_response *resp, const char *value)
{
    char *end = NULL;
    double seconds = strtod(value, &end);
    if (end != value && seconds > 0)
        resp->retry_after_s = seconds;
}

/* Called for each header line; a blank line ends a block. The final
 * block (not 1xx) is announced to on_head before its body arrives.     */
static size_t on_header(char *data, size_t size, size_t nmemb, void *userdata)
{
    http_transfer *t = userdata;
    size_t len = size * nmemb;

    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        t->in_head = 1;
        t->resp->retry_after_s = 0;
        return len;
    }
    if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
        char value[32];
        size_t n = len - 12 < sizeof value - 1 ? len - 12 : sizeof value - 1;
        memcpy(value, data + 12, n);
        value[n] = '\0';
        parse_retry_after(t->resp, value);
        return len;
    }
    if (t->in_head && (len <= 2 && (data[0] == '\r' || data[0] == '\n'))) {
        long status = 0;
        curl_off_t length = -1;
        t->in_head = 0;
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
        if (status >= 100 && status < 200)
            return len;
        curl_easy_getinfo(t->easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
        t->resp->status = status;
        t->resp->content_length = length;
        if (t->req->on_head != NULL &&
            t->req->on_head(t->req->user, status, length) != 0) {
            t->aborted = 1;
            return 0;
        }
    }
    return len;
}

static int set_method_and_body(http_transfer *t)
{
    const nbaq_http_request *req = t->req;
    const char *method = request_method(req);
    CURL *e = t->easy;
    int rc = 0;

    if (req->body != NULL) {
        rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body);
        rc |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                               (curl_off_t)req->body_len);
        if (strcmp(method, "POST") != 0)
            rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    } else if (strcmp(method, "HEAD") == 0) {
        rc |= curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
    } else if (strcmp(method, "GET") != 0) {
        rc |= curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
    }
    return rc;
}

static int set_signing(http_transfer *t)
{
    const nbaq_http_sigv4 *s = t->req->sigv4;
    char provider[160];
    int rc = 0;

    if (s == NULL)
        return 0;
    snprintf(provider, sizeof provider, "aws:amz:%s:%s",
             s->region ? s->region : "us-east-1",
             s->service ? s->service : "s3");
    rc |= curl_easy_setopt(t->easy, CURLOPT_AWS_SIGV4, provider);
    rc |= curl_easy_setopt(t->easy, CURLOPT_USERNAME,
                           s->access_key_id ? s->access_key_id : "");
    rc |= curl_easy_setopt(t->easy, CURLOPT_PASSWORD,
                           s->secret_access_key ? s->secret_access_key : "");
    return rc;
}

int http_transfer_start_try(http_transfer *t, char *err, size_t err_size)
{
    const nbaq_http_request *req = t->req;
    int64_t connect_ms = req->connect_timeout_ms > 0
                             ? req->connect_timeout_ms
                             : DEFAULT_CONNECT_TIMEOUT_MS;
    int64_t timeout_ms =
        req->timeout_ms > 0 ? req->timeout_ms : DEFAULT_TIMEOUT_MS;
    int rc = 0;

    capture_reset(t->resp);
    t->body_cap = 0;
    t->errbuf[0] = '\0';
    t->in_head = 0;
    t->aborted = 0;
    t->easy = curl_easy_init();
    if (t->easy == NULL) {
        snprintf(err, err_size, "cannot create a curl handle");
        return -1;
    }
    CURL *e = t->easy;
    rc |= curl_easy_setopt(e, CURLOPT_URL, req->url);
    rc |= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    rc |= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    rc |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)connect_ms);
    rc |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
    rc |= curl_easy_setopt(e, CURLOPT_USERAGENT, "nbaq/0.1");
    rc |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    rc |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    rc |= curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    rc |= curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    rc |= curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    rc |= curl_easy_setopt(e, CURLOPT_PRIVATE, t);
    if (req->ca_file != NULL && req->ca_file[0] != '\0')
        rc |= curl_easy_setopt(e, CURLOPT_CAINFO, req->ca_file);
    rc |= set_method_and_body(t);
    rc |= set_signing(t);
    if (rc != 0) {
        char target[256];
        describe_target(t, target, sizeof target);
        snprintf(err, err_size, "%s %s: curl does not support a setting",
                 request_method(req), target);
        curl_easy_cleanup(e);
        t->easy = NULL;
        return -1;
    }
    t->resp->attempts++;
    return 0;
}

static int64_t backoff_ms(const http_transfer *t)
{
    int64_t base = t->req->retry_base_ms > 0 ? t->req->retry_base_ms
                                             : DEFAULT_RETRY_BASE_MS;
    int64_t delay = base;
    double after = t->resp->retry_after_s;

    if (after > 0 && after <= MAX_RETRY_AFTER_S)
        return (int64_t)(after * 1000.0);
    for (unsigned i = 1; i < t->resp->attempts && delay < MAX_BACKOFF_MS; i++)
        delay *= 2;
    return delay < MAX_BACKOFF_MS ? delay : MAX_BACKOFF_MS;
}

static int response_is_retryable(const http_transfer *t)
{
    long status = t->resp->status;

    if (status >= 500 || status == 429)
        return 1;
    return t->req->retry_if != NULL &&
           t->req->retry_if(t->req->user, t->resp) != 0;
}

static int failure_is_retryable(nbaq_http_failure f)
{
    return f == NBAQ_HTTP_FAIL_TIMEOUT || f == NBAQ_HTTP_FAIL_NETWORK;
}

static void fill_failure_text(http_transfer *t, nbaq_http_failure f,
                              CURLcode rc)
{
    char target[256];
    const char *detail = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
    const char *tries = t->resp->attempts > 1 ? " after retries" : "";

    describe_target(t, target, sizeof target);
    if (f == NBAQ_HTTP_FAIL_ABORTED)
        snprintf(t->err, sizeof t->err, "%s %s: stopped by the reader",
                 request_method(t->req), target);
    else
        snprintf(t->err, sizeof t->err, "%s %s: %s%s (%s)",
                 request_method(t->req), target, nbaq_http_failure_name(f),
                 tries, detail);
}

http_try_outcome http_transfer_end_try(http_transfer *t, CURLcode rc,
                                       int64_t *delay_ms)
{
    nbaq_http_failure f = http_failure_from_curl(rc);
    int may_retry = t->resp->attempts <= t->req->max_retries &&
                    t->resp->sunk_bytes == 0 && !t->aborted;

    if (rc == CURLE_OK)
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &t->resp->status);
    curl_easy_cleanup(t->easy);
    t->easy = NULL;

    if (t->aborted)
        f = NBAQ_HTTP_FAIL_ABORTED;
    if (f == NBAQ_HTTP_FAIL_NONE) {
        if (may_retry && response_is_retryable(t)) {
            *delay_ms = backoff_ms(t);
            return HTTP_TRY_RETRY;
        }
        t->resp->failure = NBAQ_HTTP_FAIL_NONE;
        t->err[0] = '\0';
        return HTTP_TRY_DONE;
    }
    if (may_retry && failure_is_retryable(f)) {
        *delay_ms = backoff_ms(t);
        return HTTP_TRY_RETRY;
    }
    t->resp->failure = f;
    fill_failure_text(t, f, rc);
    return HTTP_TRY_DONE;
}
