/*
 * email - the run's alerts as one plain-text mail, sent over SMTP with
 * libcurl: smtp:// (optionally upgraded with STARTTLS) or smtps://, with
 * login when a username is set.
 *
 * The message is built here whole (headers, CRLF line ends, UTF-8 body in
 * 8bit); curl does the SMTP dialogue and the dot-stuffing.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "alert_format.h"
#include "alertset.h"
#include "channel_post.h"
#include "channel_text.h"
#include "channel_title.h"
#include "nbaq.h"
#include "status.h"
#include "reportfmt.h"
#include "textbuf.h"
#include "utf8.h"

/* Names and summaries are cut so that no line passes the 998 bytes
 * RFC 5322 allows (at most 4 bytes per character). */
#define EMAIL_NAME_CHARS 100
#define EMAIL_SUMMARY_CHARS 240
/* Bytes of text per RFC 2047 encoded word: 60 in base64, 75 in all. */
#define EMAIL_WORD_BYTES 45
#define EMAIL_RETRY_BASE_MS 250

static const nbaq_option_spec email_options[] = {
    {.name = "url",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "SMTP server: smtp://host:587 (see starttls) or "
                    "smtps://host:465"},
    {.name = "starttls",
     .type = NBAQ_OPT_BOOL,
     .default_value = "false",
     .description = "require STARTTLS on smtp:// before anything is sent"},
    {.name = "username",
     .type = NBAQ_OPT_STRING,
     .description = "SMTP login name; no login when unset"},
    {.name = "password",
     .type = NBAQ_OPT_STRING,
     .description = "SMTP password",
     .secret = 1},
    {.name = "ca_file",
     .type = NBAQ_OPT_STRING,
     .description = "PEM file of the CA that signed the server's "
                    "certificate (default: the system's)"},
    {.name = "from",
     .type = NBAQ_OPT_STRING,
     .required = 1,
     .description = "sender: nbaq@example.com or \"nbaq <nbaq@example.com>\""},
    {.name = "to",
     .type = NBAQ_OPT_STRING_LIST,
     .required = 1,
     .description = "recipients, in the same forms as from"},
    {.name = "subject_prefix",
     .type = NBAQ_OPT_STRING,
     .default_value = "[nbaq]",
     .description = "put before every subject"},
    {.name = "timeout",
     .type = NBAQ_OPT_DURATION,
     .default_value = "30s",
     .description = "time allowed for one attempt",
     .min = 100,
     .max = 600000},
    {.name = "retries",
     .type = NBAQ_OPT_INT,
     .default_value = "2",
     .description = "attempts after the first on timeouts, dropped "
                    "connections and 4xx replies",
     .min = 0,
     .max = 10},
    NBAQ_OPTION_END};

/* ------------------------------------------------------------------ */
/* Addresses                                                            */

/* A mailbox as written in the config, split: "Name <a@b>" or "a@b". */
typedef struct mailbox {
    char display[256]; /* "" when none                                 */
    char address[256];
} mailbox;

static void trim_copy(char *out, size_t size, const char *start, size_t len)
{
    while (len > 0 && isspace((unsigned char)*start)) {
        start++;
        len--;
    }
    while (len > 0 && isspace((unsigned char)start[len - 1]))
        len--;
    if (len >= size)
        len = size - 1;
    memcpy(out, start, len);
    out[len] = '\0';
}

static int address_is_valid(const char *a)
{
    const char *at = strchr(a, '@');
    if (at == NULL || at == a || at[1] == '\0')
        return 0;
    for (const char *p = a; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7f ||
            strchr("<>()[],;:\\\"", *p) != NULL)
            return 0;
    return 1;
}

/* Parses text into m. Returns 0, or -1 with err naming where it was set. */
static int mailbox_parse(const char *text, mailbox *m, const char *where,
                         char *err, size_t err_size)
{
    memset(m, 0, sizeof(*m));
    if (text == NULL)
        text = "";
    const char *open = strchr(text, '<');
    const char *close = open ? strchr(open, '>') : NULL;
    if (strlen(text) >= sizeof(m->address) || strpbrk(text, "\r\n")) {
        snprintf(err, err_size,
                 "%s: mail address too long or holds a "
                 "line break",
                 where);
        return -1;
    }
    if (open != NULL && close != NULL && close[1] == '\0') {
        trim_copy(m->display, sizeof(m->display), text, (size_t)(open - text));
        trim_copy(m->address, sizeof(m->address), open + 1,
                  (size_t)(close - open - 1));
    } else {
        trim_copy(m->address, sizeof(m->address), text, strlen(text));
    }
    if (!address_is_valid(m->address) || strpbrk(m->display, "<>\"\\")) {
        snprintf(err, err_size,
                 "%s: '%s' is not a mail address (a@example.com or "
                 "Name <a@example.com>)",
                 where, text);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Headers                                                              */

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 0;
    return 1;
}

static void base64_append(textbuf *b, const unsigned char *in, size_t len)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        char out[4] = {digits[(v >> 18) & 63], digits[(v >> 12) & 63],
                       i + 1 < len ? digits[(v >> 6) & 63] : '=',
                       i + 2 < len ? digits[v & 63] : '='};
        textbuf_append(b, out, 4);
    }
}

/* Appends text as a header value: as it is when ASCII, else as RFC 2047
 * encoded words of whole characters, folded onto continuation lines.
 * text holds no line break (callers pass sanitised text).             */
static void header_text_append(textbuf *b, const char *text)
{
    if (is_ascii(text)) {
        textbuf_puts(b, text);
        return;
    }
    const char *p = text;
    int first = 1;
    while (*p != '\0') {
        size_t chunk = 0, len;
        while (p[chunk] != '\0') {
            utf8_decode(p + chunk, &len);
            if (chunk + len > EMAIL_WORD_BYTES)
                break;
            chunk += len;
        }
        textbuf_puts(b, first ? "=?UTF-8?B?" : "\r\n =?UTF-8?B?");
        base64_append(b, (const unsigned char *)p, chunk);
        textbuf_puts(b, "?=");
        p += chunk;
        first = 0;
    }
}

/* Untrusted text (a monitor name) as a header value: cleaned of line
 * breaks and invalid UTF-8, cut at max characters, encoded if needed. */
static void header_untrusted_append(textbuf *b, const char *text, size_t max)
{
    textbuf clean;
    textbuf_init(&clean);
    channel_text_append(&clean, text, max, NULL);
    if (!textbuf_failed(&clean) && clean.len > 0)
        header_text_append(b, clean.data);
    textbuf_free(&clean);
}

static void mailbox_append(textbuf *b, const mailbox *m)
{
    if (m->display[0] == '\0') {
        textbuf_puts(b, m->address);
        return;
    }
    if (is_ascii(m->display))
        textbuf_printf(b, "\"%s\"", m->display);
    else
        header_text_append(b, m->display);
    textbuf_printf(b, " <%s>", m->address);
}

/* "[nbaq] CRITICAL sales_pipeline: 3 alerts (...), 1 resolved (medium)",
 * or "[nbaq] RESOLVED ..." (lib/channel's title), cleaned of line breaks
 * and invalid UTF-8. */
static void subject_build(textbuf *b, const char *prefix, const nbaq_run *run,
                          const alertset *set)
{
    if (prefix != NULL && prefix[0] != '\0') {
        channel_text_append(b, prefix, EMAIL_NAME_CHARS, NULL);
        textbuf_putc(b, ' ');
    }
    channel_title_append(b, set, run->monitor, EMAIL_NAME_CHARS, NULL);
}

/* Characters safe in a Message-ID's left and right parts. */
static void id_part_append(textbuf *b, const char *s, size_t max)
{
    for (size_t i = 0; s[i] != '\0' && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        textbuf_putc(b, isalnum(c) || c == '.' || c == '-' ? (char)c : '_');
    }
}

static void message_id_append(textbuf *b, const nbaq_run *run,
                              const mailbox *from, int64_t now_ms)
{
    const char *domain = strchr(from->address, '@') + 1;
    textbuf_putc(b, '<');
    id_part_append(b, run->run_id, 64);
    textbuf_printf(b, ".%lld.%ld@", (long long)now_ms, (long)getpid());
    id_part_append(b, domain, 200);
    textbuf_putc(b, '>');
}

typedef struct message_parts {
    const nbaq_run *run;
    const alertset *set;
    const mailbox *from;
    const mailbox *to;
    size_t to_count;
    const char *subject_prefix;
    int64_t now_ms;
} message_parts;

static void headers_build(textbuf *b, const message_parts *m)
{
    char date[ALERT_RFC5322_SIZE];
    alert_format_rfc5322(m->now_ms, date, sizeof(date));
    textbuf_printf(b, "Date: %s\r\nFrom: ", date);
    mailbox_append(b, m->from);
    textbuf_puts(b, "\r\nTo: ");
    for (size_t i = 0; i < m->to_count; i++) {
        if (i > 0)
            textbuf_puts(b, ",\r\n ");
        mailbox_append(b, &m->to[i]);
    }
    textbuf subject;
    textbuf_init(&subject);
    subject_build(&subject, m->subject_prefix, m->run, m->set);
    textbuf_puts(b, "\r\nSubject: ");
    if (!textbuf_failed(&subject))
        header_text_append(b, subject.data);
    else
        textbuf_puts(b, "nbaq alerts");
    textbuf_free(&subject);
    textbuf_puts(b, "\r\nMessage-ID: ");
    message_id_append(b, m->run, m->from, m->now_ms);
    textbuf_puts(b, "\r\nMIME-Version: 1.0\r\n"
                    "Content-Type: text/plain; charset=utf-8\r\n"
                    "Content-Transfer-Encoding: 8bit\r\n"
                    "Auto-Submitted: auto-generated\r\n"
                    "X-Nbaq-Monitor: ");
    header_untrusted_append(b, m->run->monitor, EMAIL_NAME_CHARS);
    textbuf_puts(b, "\r\nX-Nbaq-Run-Id: ");
    id_part_append(b, m->run->run_id, 200);
    textbuf_puts(b, "\r\n\r\n");
}

/* ------------------------------------------------------------------ */
/* Body                                                                 */

static void body_alert(textbuf *b, const nbaq_alert *a)
{
    char since[REPORTFMT_TIME_SIZE], until[REPORTFMT_TIME_SIZE];
    char lasted[REPORTFMT_TIME_SIZE];
    const char *state = alert_state_label(a->state);

    textbuf_puts(b, "  [");
    for (const char *p = state; *p; p++)
        textbuf_putc(b, (char)toupper((unsigned char)*p));
    textbuf_puts(b, "] ");
    channel_text_append(b, a->check, EMAIL_NAME_CHARS, NULL);
    if (a->metric != NULL && a->metric[0] != '\0') {
        textbuf_puts(b, " / ");
        channel_text_append(b, a->metric, EMAIL_NAME_CHARS, NULL);
    }
    textbuf_puts(b, "\r\n    ");
    channel_text_append(b, a->summary, EMAIL_SUMMARY_CHARS, NULL);
    reportfmt_iso8601_utc(a->started_ms, since, sizeof(since));
    if (a->state == NBAQ_ALERT_RESOLVED) {
        reportfmt_iso8601_utc(a->ended_ms, until, sizeof(until));
        reportfmt_duration(a->ended_ms - a->started_ms, lasted, sizeof(lasted));
        textbuf_printf(b, "\r\n    from %s to %s, lasted %s", since, until,
                       lasted);
    } else {
        textbuf_printf(b, "\r\n    since %s, failing %lu %s", since,
                       (unsigned long)a->failing_runs,
                       a->failing_runs == 1 ? "run" : "runs");
    }
    textbuf_printf(b, "\r\n    fingerprint ");
    channel_text_append(b, a->fingerprint, EMAIL_NAME_CHARS, NULL);
    textbuf_puts(b, "\r\n\r\n");
}

static void body_build(textbuf *b, const message_parts *m)
{
    char described[ALERTSET_DESCRIBE_SIZE];
    char now[REPORTFMT_TIME_SIZE];
    alertset_describe(m->set, described, sizeof(described));
    textbuf_puts(b, "Monitor ");
    channel_text_append(b, m->run->monitor, EMAIL_NAME_CHARS, NULL);
    textbuf_puts(b, ", run ");
    channel_text_append(b, m->run->run_id, EMAIL_NAME_CHARS, NULL);
    textbuf_printf(b, ":\r\n%s.\r\n\r\n", described);
    for (int s = NBAQ_SEVERITY_COUNT - 1; s >= 0; s--) {
        size_t n;
        const nbaq_alert *const *alerts =
            alertset_group(m->set, (nbaq_severity)s, &n);
        if (n == 0)
            continue;
        textbuf_printf(b, "%s (%zu)\r\n\r\n", severity_name((nbaq_severity)s),
                       n);
        for (size_t i = 0; i < n; i++)
            body_alert(b, alerts[i]);
    }
    textbuf_printf(b, "-- \r\nSent by nbaq at %s.\r\n",
                   reportfmt_iso8601_utc(m->now_ms, now, sizeof(now)));
}

/* ------------------------------------------------------------------ */
/* Sending                                                              */

typedef struct upload {
    const char *data;
    size_t left;
} upload;

static size_t upload_read(char *buffer, size_t size, size_t nitems, void *user)
{
    upload *u = user;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(buffer, u->data, n);
    u->data += n;
    u->left -= n;
    return n;
}

/* "smtp://host:port" of url: never its user, password or path. */
static void server_name(const char *url, char *out, size_t size)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    snprintf(out, size, "(bad SMTP URL)");
    if (u != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        if (curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
            CURLUE_OK)
            port = NULL;
        snprintf(out, size, "%s://%s%s%s", scheme, host, port ? ":" : "",
                 port ? port : "");
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

typedef struct smtp_job {
    const nbaq_host_api *api;
    const nbaq_options *options;
    const char *envelope_from;     /* "<a@b>"                       */
    struct curl_slist *recipients; /* "<a@b>" each                  */
    const char *message;
    size_t message_len;
} smtp_job;

/* One SMTP transaction. Returns the curl code; *reply is the server's
 * last reply code (0 when none). */
static CURLcode smtp_send_once(const smtp_job *job, long *reply)
{
    const nbaq_host_api *api = job->api;
    const nbaq_options *o = job->options;
    upload body = {job->message, job->message_len};
    CURL *curl = curl_easy_init();
    *reply = 0;
    if (curl == NULL)
        return CURLE_OUT_OF_MEMORY;
    curl_easy_setopt(curl, CURLOPT_URL, api->opt_string(o, "url"));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
                     (long)api->opt_int(o, "timeout"));
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, job->envelope_from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, job->recipients);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, upload_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &body);
    curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                     (curl_off_t)job->message_len);
    if (api->opt_bool(o, "starttls"))
        curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (api->opt_string(o, "ca_file") != NULL)
        curl_easy_setopt(curl, CURLOPT_CAINFO, api->opt_string(o, "ca_file"));
    if (api->opt_string(o, "username") != NULL) {
        curl_easy_setopt(curl, CURLOPT_USERNAME,
                         api->opt_string(o, "username"));
        const char *password = api->opt_string(o, "password");
        curl_easy_setopt(curl, CURLOPT_PASSWORD, password ? password : "");
    }
    CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, reply);
    curl_easy_cleanup(curl);
    return rc;
}

/* Worth another try within the run: the server or the path may heal. */
static int smtp_is_transient(CURLcode rc, long reply)
{
    if (reply >= 400 && reply < 500)
        return 1;
    return rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR ||
           rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING;
}

static void sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static int smtp_send(const smtp_job *job, const char *who, char *err,
                     size_t err_size)
{
    unsigned retries = (unsigned)job->api->opt_int(job->options, "retries");
    int64_t backoff = EMAIL_RETRY_BASE_MS;
    CURLcode rc;
    long reply;
    unsigned attempt = 0;
    for (;;) {
        attempt++;
        rc = smtp_send_once(job, &reply);
        if (rc == CURLE_OK)
            return 0;
        if (attempt > retries || !smtp_is_transient(rc, reply))
            break;
        sleep_ms(backoff);
        backoff *= 2;
    }
    char server[300];
    server_name(job->api->opt_string(job->options, "url"), server,
                sizeof(server));
    if (reply > 0)
        snprintf(err, err_size, "%s: %s: %s (SMTP reply %ld, %u %s)", who,
                 server, curl_easy_strerror(rc), reply, attempt,
                 attempt == 1 ? "attempt" : "attempts");
    else
        snprintf(err, err_size, "%s: %s: %s (%u %s)", who, server,
                 curl_easy_strerror(rc), attempt,
                 attempt == 1 ? "attempt" : "attempts");
    return -1;
}

/* ------------------------------------------------------------------ */
/* The report                                                           */

/* Reads from and to; fills the envelope. Returns 0 or -1 with err. */
static int addresses_read(const nbaq_host_api *api, const nbaq_options *o,
                          mailbox *from, mailbox **to, size_t *to_count,
                          struct curl_slist **recipients, char *err,
                          size_t err_size)
{
    if (mailbox_parse(api->opt_string(o, "from"), from,
                      api->opt_location(o, "from"), err, err_size) != 0)
        return -1;
    *to_count = api->opt_count(o, "to");
    *to = calloc(*to_count ? *to_count : 1, sizeof(**to));
    if (*to == NULL) {
        snprintf(err, err_size, "out of memory reading recipients");
        return -1;
    }
    for (size_t i = 0; i < *to_count; i++) {
        char envelope[sizeof((*to)->address) + 2];
        if (mailbox_parse(api->opt_list_string(o, "to", i), &(*to)[i],
                          api->opt_location(o, "to"), err, err_size) != 0)
            return -1;
        snprintf(envelope, sizeof(envelope), "<%s>", (*to)[i].address);
        struct curl_slist *grown = curl_slist_append(*recipients, envelope);
        if (grown == NULL) {
            snprintf(err, err_size, "out of memory reading recipients");
            return -1;
        }
        *recipients = grown;
    }
    if (*to_count == 0) {
        snprintf(err, err_size, "%s: no recipient in 'to'",
                 api->opt_location(o, NULL));
        return -1;
    }
    return 0;
}

static int email_deliver(const nbaq_host_api *api, nbaq_ctx *ctx,
                         const nbaq_run *run, const alertset *set, char *err,
                         size_t err_size)
{
    const nbaq_options *o = api->options(ctx);
    mailbox from, *to = NULL;
    size_t to_count = 0;
    struct curl_slist *recipients = NULL;
    textbuf message;
    textbuf_init(&message);
    int rc = addresses_read(api, o, &from, &to, &to_count, &recipients, err,
                            err_size);
    if (rc == 0) {
        message_parts parts = {
            run,           set,
            &from,         to,
            to_count,      api->opt_string(o, "subject_prefix"),
            alert_now_ms()};
        headers_build(&message, &parts);
        body_build(&message, &parts);
        if (textbuf_failed(&message)) {
            snprintf(err, err_size, "out of memory building the mail");
            rc = -1;
        }
    }
    if (rc == 0) {
        char envelope_from[sizeof(from.address) + 2];
        char who[CHANNEL_WHO_SIZE];
        snprintf(envelope_from, sizeof(envelope_from), "<%s>", from.address);
        channel_who(api, ctx, "email", who, sizeof(who));
        smtp_job job = {api,          o,          envelope_from, recipients,
                        message.data, message.len};
        rc = smtp_send(&job, who, err, err_size);
        if (rc == 0)
            api->log(ctx, NBAQ_LOG_INFO,
                     "email: sent %zu alerts to %zu "
                     "recipients",
                     set->count, to_count);
    }
    textbuf_free(&message);
    curl_slist_free_all(recipients);
    free(to);
    return rc;
}

static int email_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, char *err, size_t err_size)
{
    alertset set;
    if (alertset_init(&set, run, err, err_size) != 0)
        return -1;
    int rc = 0;
    if (set.count > 0) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        rc = email_deliver(api, ctx, run, &set, err, err_size);
    }
    alertset_free(&set);
    return rc;
}

static const nbaq_plugin_descriptor email_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "email",
    .version = "1.0.0",
    .description = "mail the run's alerts as plain text over SMTP",
    .options = email_options,
    .report = email_report,
};

NBAQ_PLUGIN(email_descriptor)
