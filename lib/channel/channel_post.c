#include "channel_post.h"

#include <stdio.h>
#include <string.h>

/* Copies at most CHANNEL_REPLY_EXCERPT bytes of body into out, replacing
 * anything outside printable ASCII (line breaks included) with a space. */
static void reply_excerpt(const char *body, size_t len, char *out,
                          size_t out_size)
{
    size_t n = 0;
    for (size_t i = 0; i < len && i < CHANNEL_REPLY_EXCERPT; i++) {
        if (n + 1 >= out_size)
            break;
        unsigned char c = (unsigned char)body[i];
        out[n++] = (c >= 0x20 && c < 0x7f) ? (char)c : ' ';
    }
    out[n] = '\0';
}

int channel_post(const nbaq_http_request *req, const char *who, int show_reply,
                 char *err, size_t err_size)
{
    nbaq_http_response resp;
    char http_err[NBAQ_ERR_SIZE] = "";
    int rc = nbaq_http_perform(req, &resp, http_err, sizeof(http_err));
    if (rc != 0) {
        snprintf(err, err_size, "%s: %s", who, http_err);
    } else if (resp.status < 200 || resp.status > 299) {
        char excerpt[CHANNEL_REPLY_EXCERPT + 1] = "";
        if (show_reply && resp.body != NULL) {
            const char *secrets[32];
            reply_excerpt(resp.body, resp.body_len, excerpt, sizeof(excerpt));
            nbaq_http_scrub(excerpt, sizeof(excerpt), secrets,
                            nbaq_http_request_secrets(req, secrets, 32));
        }
        snprintf(err, err_size, "%s: receiver answered HTTP %ld (%u %s)%s%s",
                 who, resp.status, resp.attempts,
                 resp.attempts == 1 ? "attempt" : "attempts",
                 excerpt[0] ? ": " : "", excerpt);
        rc = -1;
    }
    nbaq_http_response_free(&resp);
    return rc;
}

void channel_who(const nbaq_host_api *api, const nbaq_ctx *ctx,
                 const char *kind, char *buf, size_t size)
{
    snprintf(buf, size, "%s '%s'", kind, api->instance_name(ctx));
}

int channel_post_body(const nbaq_host_api *api, nbaq_ctx *ctx, const char *kind,
                      const char *url, const char *const *headers,
                      const char *body, int show_reply, char *err,
                      size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    nbaq_http_request req = {
        .method = "POST",
        .url = url,
        .headers = headers,
        .body = body,
        .body_len = strlen(body),
        .timeout_ms = api->opt_int(o, "timeout"),
        .max_retries = (unsigned)api->opt_int(o, "retries"),
    };
    char who[CHANNEL_WHO_SIZE];
    channel_who(api, ctx, kind, who, sizeof(who));
    return channel_post(&req, who, show_reply, err, err_size);
}
