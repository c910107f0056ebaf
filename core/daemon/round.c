#include "round.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "history_calc.h"
#include "log.h"
#include "numfmt.h"
#include "run.h"
#include "status.h"
#include "text.h"
#include "escape.h"
#include "fdio.h"

/* The fd the round process writes its result to. */
#define RESULT_FD 3

/* ------------------------------------------------------------------ */
/* The run as JSON (in the round process)                              */

void round_add_text(cJSON *o, const char *key, const char *text)
{
    if (!text)
        text = "";
    textbuf scratch = TEXTBUF_INIT;
    const char *valid = textfmt_utf8_valid(&scratch, text);
    cJSON_AddStringToObject(o, key, valid ? valid : "");
    textbuf_free(&scratch);
}

static cJSON *number_or_text(double value)
{
    if (isnan(value))
        return cJSON_CreateString("NaN");
    if (isinf(value))
        return cJSON_CreateString(value > 0 ? "+Inf" : "-Inf");
    char text[TEXTFMT_NUMBER_SIZE]; /* cJSON keeps only 15 digits */
    textfmt_number_exact(text, sizeof text, value);
    return cJSON_CreateRaw(text);
}

/* A finite number, or nothing: the page draws only what is set. */
static void add_finite(cJSON *o, const char *key, double value)
{
    if (isfinite(value))
        cJSON_AddNumberToObject(o, key, value);
}

/* What the history rules judged (SDK 1.2): the expected band the
 * dashboard draws; absent when no rule judged the metric. */
static void encode_evidence(cJSON *o, const nbaq_evidence *e)
{
    static const char *const states[] = {"NONE", "LEARNING", "JUDGED", "OPEN"};
    if (e->state == NBAQ_JUDGEMENT_NONE || (unsigned)e->state > 3)
        return;
    cJSON *ev = cJSON_AddObjectToObject(o, "evidence");
    cJSON_AddStringToObject(ev, "state", states[e->state]);
    cJSON_AddNumberToObject(ev, "points_used", e->points_used);
    cJSON_AddNumberToObject(ev, "points_needed", e->points_needed);
    add_finite(ev, "expected", e->expected);
    add_finite(ev, "lower", e->lower);
    add_finite(ev, "upper", e->upper);
    add_finite(ev, "score", e->score);
    cJSON_AddStringToObject(ev, "season", e->season ? e->season : "none");
}

static cJSON *encode_metric(const nbaq_metric *m)
{
    cJSON *o = cJSON_CreateObject();
    round_add_text(o, "name", m->name);
    cJSON_AddItemToObject(o, "value", number_or_text(m->value));
    round_add_text(o, "unit", m->unit);
    cJSON_AddStringToObject(o, "status", status_name(m->status));
    round_add_text(o, "reason", m->reason);
    cJSON_AddBoolToObject(o, "anomalous", m->anomalous != 0);
    cJSON_AddStringToObject(o, "trend", trend_name(m->trend));
    encode_evidence(o, &m->evidence);
    return o;
}

static cJSON *encode_check(const nbaq_check_result *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", c->name);
    cJSON_AddStringToObject(o, "plugin", c->plugin);
    cJSON_AddStringToObject(o, "status", status_name(c->status));
    round_add_text(o, "message", c->message);
    cJSON_AddStringToObject(o, "severity", severity_name(c->severity));
    cJSON_AddNumberToObject(o, "started_ms", (double)c->started_ms);
    cJSON_AddNumberToObject(o, "duration_ms", (double)c->duration_ms);
    cJSON *metrics = cJSON_AddArrayToObject(o, "metrics");
    for (size_t i = 0; metrics && i < c->metric_count; i++)
        cJSON_AddItemToArray(metrics, encode_metric(c->metrics[i]));
    return o;
}

cJSON *round_encode_alert(const nbaq_alert *a)
{
    cJSON *o = cJSON_CreateObject();
    round_add_text(o, "fingerprint", a->fingerprint);
    cJSON_AddStringToObject(o, "check", a->check ? a->check : "");
    round_add_text(o, "metric", a->metric);
    round_add_text(o, "summary", a->summary);
    cJSON_AddStringToObject(o, "severity", severity_name(a->severity));
    cJSON_AddStringToObject(o, "state", alert_state_name(a->state));
    cJSON_AddNumberToObject(o, "started_ms", (double)a->started_ms);
    cJSON_AddNumberToObject(o, "ended_ms", (double)a->ended_ms);
    cJSON_AddNumberToObject(o, "silenced_until_ms",
                            (double)a->silenced_until_ms);
    cJSON_AddNumberToObject(o, "failing_runs", (double)a->failing_runs);
    return o;
}

cJSON *round_encode_run(const nbaq_run *run)
{
    cJSON *doc = cJSON_CreateObject();
    if (!doc)
        return NULL;
    cJSON_AddStringToObject(doc, "run_id", run->run_id);
    cJSON_AddNumberToObject(doc, "started_ms", (double)run->started_ms);
    cJSON_AddNumberToObject(doc, "finished_ms", (double)run->finished_ms);
    cJSON_AddStringToObject(doc, "status", status_name(run->status));
    cJSON_AddNumberToObject(doc, "history_saved", run->history_saved);
    cJSON *checks = cJSON_AddArrayToObject(doc, "checks");
    for (size_t i = 0; checks && i < run->check_count; i++)
        cJSON_AddItemToArray(checks, encode_check(run->checks[i]));
    cJSON *alerts = cJSON_AddArrayToObject(doc, "alerts");
    for (size_t i = 0; alerts && i < run->alert_count; i++)
        cJSON_AddItemToArray(alerts, round_encode_alert(run->alerts[i]));
    return doc;
}

/* ------------------------------------------------------------------ */
/* The round process                                                    */

static void capture_run(void *arg, const nbaq_run *run)
{
    cJSON **doc = arg;
    cJSON_Delete(*doc);
    *doc = round_encode_run(run);
}

static void child_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Keeps 0, 1, 2 and the result pipe (as RESULT_FD); closes the daemon's
 * sockets, signalfd and store connections, which are not the round's. */
static void child_fds(int fd)
{
    if (fd != RESULT_FD) {
        dup2(fd, RESULT_FD);
        close(fd);
    }
    fcntl(RESULT_FD, F_SETFD, FD_CLOEXEC);
    close_range(RESULT_FD + 1, ~0u, 0);
}

/* What a round runs: plugin checks by name, or one host-judged result. */
typedef struct round_work {
    const char *const *names;
    size_t count;
    nbaq_check_result *host_result; /* NULL: the checks names */
} round_work;

static _Noreturn void round_child(config *cfg, const round_work *w, int fd)
{
    setpgid(0, 0);
    child_signals();
    child_fds(fd);
    cJSON *doc = NULL;
    run_summary summary;
    char err[2048] = "";
    int rc = w->host_result
                 ? run_monitor_host_checks(cfg, &w->host_result, 1, capture_run,
                                           &doc, &summary, err, sizeof err)
                 : run_monitor_observed(cfg, w->names, w->count, capture_run,
                                        &doc, &summary, err, sizeof err);
    if (rc == 0 && !doc)
        rc = err_set(err, sizeof err, "out of memory");
    if (rc != 0) {
        cJSON_Delete(doc);
        doc = cJSON_CreateObject();
        round_add_text(doc, "error", err);
    } else {
        cJSON_AddNumberToObject(doc, "reporters_failed",
                                (double)summary.reporters_failed);
        cJSON_AddBoolToObject(doc, "interrupted", summary.interrupted != 0);
    }
    char *text = doc ? cJSON_PrintUnformatted(doc) : NULL;
    /* A failed write means the daemon is gone: nothing left to tell. */
    if (text)
        (void)fdio_write_all(RESULT_FD, text, strlen(text));
    fflush(NULL);
    _exit(rc == 0 && text ? 0 : 3);
}

/* ------------------------------------------------------------------ */
/* The daemon's side                                                    */

static int copy_names(round_proc *r, const char *const *names, size_t count)
{
    r->names = calloc(count ? count : 1, sizeof *r->names);
    if (!r->names)
        return -1;
    r->count = count;
    for (size_t i = 0; i < count; i++) {
        r->names[i] = strdup(names[i]);
        if (!r->names[i])
            return -1;
    }
    return 0;
}

static int spawn_work(config *cfg, const round_work *w, round_proc *r,
                      char *err, size_t err_size)
{
    memset(r, 0, sizeof *r);
    r->fd = -1;
    if (copy_names(r, w->names, w->count) != 0) {
        round_free(r);
        return err_set(err, err_size, "out of memory");
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        round_free(r);
        return err_set(err, err_size, "cannot create a pipe: %s",
                       strerror(errno));
    }
    fflush(NULL); /* the child must not flush the daemon's buffers again */
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        round_child(cfg, w, fds[1]);
    }
    close(fds[1]);
    if (pid < 0) {
        int e = errno;
        close(fds[0]);
        round_free(r);
        return err_set(err, err_size, "cannot start a round process: %s",
                       strerror(e));
    }
    setpgid(pid, pid); /* also in the child: whichever runs first */
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    r->pid = pid;
    r->fd = fds[0];
    return 0;
}

int round_spawn(config *cfg, const char *const *names, size_t count,
                round_proc *r, char *err, size_t err_size)
{
    round_work w = {names, count, NULL};
    return spawn_work(cfg, &w, r, err, err_size);
}

int round_spawn_host_check(config *cfg, nbaq_check_result *result,
                           round_proc *r, char *err, size_t err_size)
{
    const char *name = result->name;
    round_work w = {&name, 1, result};
    return spawn_work(cfg, &w, r, err, err_size);
}

int round_read(round_proc *r)
{
    char buf[65536];
    while (r->fd >= 0) {
        ssize_t n = read(r->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 0; /* EAGAIN: nothing more for now */
        if (n == 0) {
            close(r->fd);
            r->fd = -1;
            return 1;
        }
        if (r->output.len + (size_t)n > ROUND_OUTPUT_MAX)
            r->overflow = 1;
        if (!r->overflow)
            textbuf_append(&r->output, buf, (size_t)n);
    }
    return 1;
}

static int describe_exit(const round_proc *r, char *err, size_t err_size)
{
    int st = r->wait_status;
    if (r->killed)
        return err_set(err, err_size,
                       "the round process was killed: it ran past %lld s, "
                       "the sum of its checks' and reporters' timeouts "
                       "plus a minute",
                       (long long)(r->deadline_mono_ms - r->started_mono_ms) /
                           1000);
    if (WIFSIGNALED(st))
        return err_set(err, err_size,
                       "the round process was killed by signal %d (%s)",
                       WTERMSIG(st), strsignal(WTERMSIG(st)));
    if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
        return err_set(err, err_size, "the round process exited with code %d",
                       WEXITSTATUS(st));
    return 0;
}

/* cJSON prints numbers with 15 digits (and takes DBL_MAX for equal to
 * its overflow to Infinity), so numbers that need more are turned into raw
 * text as they are parsed: /api/status then serves them exactly.
 * valuedouble stays, for /metrics. */
static void keep_exact_numbers(cJSON *item)
{
    for (; item; item = item->next) {
        if (item->child)
            keep_exact_numbers(item->child);
        if (!cJSON_IsNumber(item) ||
            (item->valuedouble == floor(item->valuedouble) &&
             fabs(item->valuedouble) < 1e15))
            continue;
        char text[TEXTFMT_NUMBER_SIZE];
        textfmt_number_exact(text, sizeof text, item->valuedouble);
        char *copy = strdup(text);
        if (!copy)
            continue;
        item->type = cJSON_Raw;
        item->valuestring = copy;
    }
}

cJSON *round_result(round_proc *r, char *err, size_t err_size)
{
    round_read(r); /* whatever is left (a grandchild may hold the pipe) */
    if (r->overflow) {
        err_set(err, err_size, "the round's result is larger than %u MiB",
                ROUND_OUTPUT_MAX >> 20);
        return NULL;
    }
    if (r->output.failed) {
        err_set(err, err_size, "out of memory reading the round's result");
        return NULL;
    }
    cJSON *doc = r->output.len
                     ? cJSON_ParseWithLength(r->output.data, r->output.len)
                     : NULL;
    const cJSON *error =
        doc ? cJSON_GetObjectItemCaseSensitive(doc, "error") : NULL;
    if (cJSON_IsString(error)) {
        err_set(err, err_size, "%s", error->valuestring);
        cJSON_Delete(doc);
        return NULL;
    }
    if (!cJSON_IsObject(doc) ||
        !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "checks"))) {
        cJSON_Delete(doc);
        if (describe_exit(r, err, err_size) == 0)
            err_set(err, err_size, "the round process sent no result");
        return NULL;
    }
    keep_exact_numbers(doc->child);
    return doc;
}

void round_free(round_proc *r)
{
    if (r->fd >= 0)
        close(r->fd);
    r->fd = -1;
    for (size_t i = 0; r->names && i < r->count; i++)
        free(r->names[i]);
    free(r->names);
    r->names = NULL;
    textbuf_free(&r->output);
}
