#include "http_internal.h"

#include <stdio.h>
#include <time.h>

const char *nbaq_http_failure_name(nbaq_http_failure failure)
{
    switch (failure) {
    case NBAQ_HTTP_FAIL_NONE:
        return "ok";
    case NBAQ_HTTP_FAIL_CONNECT:
        return "connection refused";
    case NBAQ_HTTP_FAIL_DNS:
        return "host name does not resolve";
    case NBAQ_HTTP_FAIL_TLS:
        return "TLS failure";
    case NBAQ_HTTP_FAIL_TIMEOUT:
        return "timed out";
    case NBAQ_HTTP_FAIL_NETWORK:
        return "network error";
    case NBAQ_HTTP_FAIL_ABORTED:
        return "aborted";
    case NBAQ_HTTP_FAIL_OTHER:
        return "request failed";
    }
    return "request failed";
}

nbaq_http_failure http_failure_from_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OK:
        return NBAQ_HTTP_FAIL_NONE;
    case CURLE_COULDNT_CONNECT:
        return NBAQ_HTTP_FAIL_CONNECT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        return NBAQ_HTTP_FAIL_DNS;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
        return NBAQ_HTTP_FAIL_TLS;
    case CURLE_OPERATION_TIMEDOUT:
        return NBAQ_HTTP_FAIL_TIMEOUT;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
        return NBAQ_HTTP_FAIL_NETWORK;
    case CURLE_WRITE_ERROR:
    case CURLE_ABORTED_BY_CALLBACK:
        return NBAQ_HTTP_FAIL_ABORTED;
    default:
        return NBAQ_HTTP_FAIL_OTHER;
    }
}

void http_target_name(const char *url, char *out, size_t out_size)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;

    snprintf(out, out_size, "(bad URL)");
    if (u == NULL)
        return;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
            snprintf(out, out_size, "%s://%s:%s", scheme, host, port);
        else
            snprintf(out, out_size, "%s://%s", scheme, host);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

int64_t http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
