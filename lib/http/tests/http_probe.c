/*
 * http_probe - one request through lib/http from the command line, for
 * the script tests.
 *
 *   http_probe [options] METHOD URL
 *     --header "Name: value"   (repeatable)
 *     --body TEXT
 *     --sigv4 REGION:SERVICE   credentials from NBAQ_PROBE_ACCESS_KEY,
 *                              NBAQ_PROBE_SECRET_KEY, NBAQ_PROBE_TOKEN
 *     --retries N  --timeout-ms N  --capture N  --what TEXT
 *     --retry-base-ms N        first backoff (default 50)
 *     --retry-if-body TEXT     also retry a response whose body holds TEXT
 *
 * Prints "status=N failure=NAME attempts=N body_len=N truncated=N
 * retry_wait_ms=N", then "error=TEXT" and "body=TEXT". Exit 0 when a
 * response arrived, else 1.
 */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADERS 32

static int body_holds(void *user, const nbaq_http_response *resp)
{
    return resp->body != NULL && strstr(resp->body, user) != NULL;
}

int main(int argc, char **argv)
{
    const char *headers[MAX_HEADERS + 1] = {0};
    size_t n_headers = 0;
    nbaq_http_request req = {0};
    nbaq_http_sigv4 sig = {0};
    char region[64], service[64];
    int i = 1;

    for (; i + 1 < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
        const char *k = argv[i] + 2, *v = argv[i + 1];
        if (strcmp(k, "header") == 0 && n_headers < MAX_HEADERS) {
            headers[n_headers++] = v;
        } else if (strcmp(k, "body") == 0) {
            req.body = v;
            req.body_len = strlen(v);
        } else if (strcmp(k, "sigv4") == 0 &&
                   sscanf(v, "%63[^:]:%63s", region, service) == 2) {
            sig.region = region;
            sig.service = service;
            sig.access_key_id = getenv("NBAQ_PROBE_ACCESS_KEY");
            sig.secret_access_key = getenv("NBAQ_PROBE_SECRET_KEY");
            sig.session_token = getenv("NBAQ_PROBE_TOKEN");
            req.sigv4 = &sig;
        } else if (strcmp(k, "retries") == 0) {
            req.max_retries = (unsigned)atoi(v);
        } else if (strcmp(k, "timeout-ms") == 0) {
            req.timeout_ms = atoll(v);
        } else if (strcmp(k, "capture") == 0) {
            req.max_capture = (size_t)atoll(v);
        } else if (strcmp(k, "what") == 0) {
            req.what = v;
        } else if (strcmp(k, "retry-base-ms") == 0) {
            req.retry_base_ms = atoll(v);
        } else if (strcmp(k, "retry-if-body") == 0) {
            req.retry_if = body_holds;
            req.user = (void *)v;
        } else {
            fprintf(stderr, "http_probe: unknown option %s\n", argv[i]);
            return 64;
        }
    }
    if (i + 2 != argc) {
        fprintf(stderr, "usage: http_probe [options] METHOD URL\n");
        return 64;
    }
    req.method = argv[i];
    req.url = argv[i + 1];
    req.headers = headers;
    if (req.retry_base_ms == 0)
        req.retry_base_ms = 50;

    nbaq_http_response resp;
    char err[1024] = "";
    int rc = nbaq_http_perform(&req, &resp, err, sizeof err);
    printf("status=%ld failure=%s attempts=%u body_len=%zu truncated=%d "
           "retry_wait_ms=%lld\n",
           resp.status, nbaq_http_failure_name(resp.failure), resp.attempts,
           resp.body_len, resp.body_truncated, (long long)resp.retry_wait_ms);
    printf("error=%s\n", err);
    printf("body=%s\n", resp.body ? resp.body : "");
    nbaq_http_response_free(&resp);
    return rc == 0 ? 0 : 1;
}
