/*
 * slack - the run's alerts as one Slack incoming-webhook message: a
 * header, a section per severity (most severe first), a context line with
 * the monitor and run, and a plain-text fallback for notifications.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "alertset.h"
#include "channel_post.h"
#include "channel_report.h"
#include "channel_text.h"
#include "channel_title.h"
#include "nbaq.h"
#include "status.h"
#include "reportfmt.h"

/* Slack's limits: a header's plain text 150 characters, a section's text
 * 3000. Names and summaries are cut well below, so that a section holds
 * a useful number of alerts; a group past the section's room ends with
 * "and N more". Bytes are counted, which is never less than characters. */
#define SLACK_HEADER_CHARS 150
#define SLACK_SECTION_BYTES 3000
#define SLACK_MORE_ROOM 40
#define SLACK_NAME_CHARS 80
#define SLACK_SUMMARY_CHARS 300

static const nbaq_option_spec slack_options[] = {
    {.name = "webhook_url",
     .type = NBAQ_OPT_URL,
     .required = 1,
     .description = "Slack incoming-webhook URL (https://hooks.slack.com/...)",
     .secret = 1},
    CHANNEL_HTTP_OPTIONS,
    NBAQ_OPTION_END};

/* Slack reads &, < and > as markup in every text object. */
static const char *escape_mrkdwn(long cp)
{
    switch (cp) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    default:
        return NULL;
    }
}

/* Inside `code`: as above, and a backtick would close the span. */
static const char *escape_mrkdwn_code(long cp)
{
    return cp == '`' ? "'" : escape_mrkdwn(cp);
}

static void append_code(textbuf *b, const char *name)
{
    textbuf_putc(b, '`');
    channel_text_append(b, name, SLACK_NAME_CHARS, escape_mrkdwn_code);
    textbuf_putc(b, '`');
}

/* Slack shows <!date^EPOCH^{format}|fallback> in each reader's time zone. */
static void append_date(textbuf *b, int64_t epoch_ms)
{
    char iso[REPORTFMT_TIME_SIZE];
    reportfmt_iso8601_utc(epoch_ms, iso, sizeof(iso));
    textbuf_printf(b, "<!date^%" PRId64 "^{date_short_pretty} {time}|%s>",
                   epoch_ms / 1000, iso);
}

static void append_alert_line(textbuf *b, const nbaq_alert *a)
{
    char state[16];
    const char *name = alert_state_label(a->state);
    size_t i = 0;
    for (; name[i] != '\0' && i + 1 < sizeof(state); i++)
        state[i] = (char)toupper((unsigned char)name[i]);
    state[i] = '\0';

    textbuf_printf(b, "\xE2\x80\xA2 *%s* ", state);
    append_code(b, a->check);
    if (a->metric != NULL && a->metric[0] != '\0') {
        textbuf_puts(b, " \xC2\xB7 ");
        append_code(b, a->metric);
    }
    textbuf_puts(b, ": ");
    channel_text_append(b, a->summary, SLACK_SUMMARY_CHARS, escape_mrkdwn);
    if (a->state == NBAQ_ALERT_RESOLVED) {
        char lasted[REPORTFMT_TIME_SIZE];
        reportfmt_duration(a->ended_ms - a->started_ms, lasted, sizeof(lasted));
        textbuf_printf(b, " \xE2\x80\x94 lasted %s", lasted);
    } else {
        textbuf_puts(b, " \xE2\x80\x94 since ");
        append_date(b, a->started_ms);
    }
}

/* The mrkdwn text of one severity's section, in b. */
static void group_text(textbuf *b, nbaq_severity severity,
                       const nbaq_alert *const *alerts, size_t n)
{
    textbuf_printf(b, "*%s (%zu)*", severity_title(severity), n);
    for (size_t i = 0; i < n; i++) {
        textbuf line;
        textbuf_init(&line);
        textbuf_putc(&line, '\n');
        append_alert_line(&line, alerts[i]);
        int fits = !textbuf_failed(&line) &&
                   b->len + line.len + SLACK_MORE_ROOM <= SLACK_SECTION_BYTES;
        if (fits)
            textbuf_append(b, line.data, line.len);
        textbuf_free(&line);
        if (!fits) {
            textbuf_printf(b, "\n_\xE2\x80\xA6 and %zu more_", n - i);
            return;
        }
    }
}

static cJSON *text_object(const char *type, const char *text)
{
    cJSON *o = cJSON_CreateObject();
    if (o != NULL) {
        cJSON_AddStringToObject(o, "type", type);
        cJSON_AddStringToObject(o, "text", text);
    }
    return o;
}

static cJSON *header_block(const char *headline)
{
    textbuf b;
    textbuf_init(&b);
    channel_text_append(&b, headline, SLACK_HEADER_CHARS - 1, NULL);
    cJSON *block = cJSON_CreateObject();
    if (block != NULL && !textbuf_failed(&b)) {
        cJSON_AddStringToObject(block, "type", "header");
        cJSON_AddItemToObject(block, "text", text_object("plain_text", b.data));
    }
    textbuf_free(&b);
    return block;
}

static cJSON *section_block(const alertset *set, nbaq_severity severity)
{
    size_t n;
    const nbaq_alert *const *alerts = alertset_group(set, severity, &n);
    textbuf b;
    textbuf_init(&b);
    group_text(&b, severity, alerts, n);
    cJSON *block = NULL;
    if (!textbuf_failed(&b) && (block = cJSON_CreateObject()) != NULL) {
        cJSON_AddStringToObject(block, "type", "section");
        cJSON_AddItemToObject(block, "text", text_object("mrkdwn", b.data));
    }
    textbuf_free(&b);
    return block;
}

static cJSON *context_block(const nbaq_run *run)
{
    textbuf b;
    textbuf_init(&b);
    textbuf_puts(&b, "nbaq \xC2\xB7 monitor *");
    channel_text_append(&b, run->monitor, SLACK_NAME_CHARS, escape_mrkdwn);
    textbuf_puts(&b, "* \xC2\xB7 run ");
    append_code(&b, run->run_id);
    cJSON *block = NULL;
    cJSON *elements = NULL;
    if (!textbuf_failed(&b) && (block = cJSON_CreateObject()) != NULL) {
        cJSON_AddStringToObject(block, "type", "context");
        elements = cJSON_AddArrayToObject(block, "elements");
        cJSON_AddItemToArray(elements, text_object("mrkdwn", b.data));
    }
    textbuf_free(&b);
    return block;
}

static char *payload_build(const nbaq_host_api *api, nbaq_ctx *ctx,
                           const nbaq_run *run, const alertset *set,
                           int64_t now_ms)
{
    (void)api;
    (void)ctx;
    (void)now_ms;
    /* lib/channel's title: the header as plain text, the notification
     * fallback in mrkdwn. */
    textbuf title, fallback;
    textbuf_init(&title);
    textbuf_init(&fallback);
    channel_title_append(&title, set, run->monitor, SLACK_NAME_CHARS, NULL);
    channel_title_append(&fallback, set, run->monitor, SLACK_NAME_CHARS,
                         escape_mrkdwn);

    char *text = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *blocks = root ? cJSON_AddArrayToObject(root, "blocks") : NULL;
    int ok = blocks != NULL && !textbuf_failed(&title) &&
             !textbuf_failed(&fallback) &&
             cJSON_AddStringToObject(root, "text", fallback.data) &&
             cJSON_AddItemToArray(blocks, header_block(title.data));
    for (int s = NBAQ_SEVERITY_COUNT - 1; ok && s >= 0; s--)
        if (set->by_severity[s] > 0)
            ok = cJSON_AddItemToArray(blocks,
                                      section_block(set, (nbaq_severity)s));
    if (ok && cJSON_AddItemToArray(blocks, context_block(run)))
        text = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    textbuf_free(&title);
    textbuf_free(&fallback);
    return text;
}

static int slack_send(const nbaq_host_api *api, nbaq_ctx *ctx, const char *body,
                      size_t alerts, int64_t now_ms, char *err, size_t err_size)
{
    (void)now_ms;
    const char *const headers[] = {"Content-Type: application/json", NULL};
    const char *url = api->opt_string(api->options(ctx), "webhook_url");
    /* Slack answers errors with a short code ("invalid_payload"). */
    int rc = channel_post_body(api, ctx, "slack", url, headers, body, 1, err,
                               err_size);
    if (rc == 0)
        api->log(ctx, NBAQ_LOG_INFO, "slack: delivered %zu alerts", alerts);
    return rc;
}

static const channel_poster slack_poster = {
    .payload = "Slack message", .build = payload_build, .send = slack_send};

static int slack_report(const nbaq_host_api *api, nbaq_ctx *ctx,
                        const nbaq_run *run, char *err, size_t err_size)
{
    return channel_post_report(api, ctx, run, &slack_poster, err, err_size);
}

static const nbaq_plugin_descriptor slack_descriptor = {
    NBAQ_DESCRIPTOR_HEADER,
    .kind = NBAQ_KIND_REPORTER,
    .name = "slack",
    .version = "1.0.0",
    .description = "post the run's alerts to a Slack incoming webhook",
    .options = slack_options,
    .report = slack_report,
};

NBAQ_PLUGIN(slack_descriptor)
