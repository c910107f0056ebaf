#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgjail.h"
#include "clock.h"
#include "forkserver.h"
#include "log.h"
#include "status.h"
#include "text.h"

static int wake_pipe[2] = {-1, -1};
static cgjail jail; /* the cgroups of running jobs, when available */
static volatile sig_atomic_t stop_requested;

static void on_signal(int signo)
{
    int saved = errno;
    if (signo != SIGCHLD)
        stop_requested = 1;
    if (wake_pipe[1] >= 0) {
        ssize_t ignored = write(wake_pipe[1], "x", 1);
        (void)ignored;
    }
    errno = saved;
}

int runner_interrupted(void)
{
    return stop_requested != 0;
}

typedef struct saved_signals {
    struct sigaction chld, intr, term;
} saved_signals;

static int install_signals(saved_signals *saved, char *err, size_t err_size)
{
    if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
        return err_set(err, err_size, "cannot create a pipe: %s",
                       strerror(errno));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, &saved->chld);
    sigaction(SIGINT, &sa, &saved->intr);
    sigaction(SIGTERM, &sa, &saved->term);
    return 0;
}

static void restore_signals(const saved_signals *saved)
{
    sigaction(SIGCHLD, &saved->chld, NULL);
    sigaction(SIGINT, &saved->intr, NULL);
    sigaction(SIGTERM, &saved->term, NULL);
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    wake_pipe[0] = wake_pipe[1] = -1;
}

/* ------------------------------------------------------------------ */
/* Child                                                                */

static void child_start(job *j, int record_fd, int read_fd)
{
    close(read_fd);
    if (wake_pipe[0] >= 0) {
        close(wake_pipe[0]);
        close(wake_pipe[1]);
        wake_pipe[0] = wake_pipe[1] = -1;
    }
    int stdout_fd = runner_child_prepare(j->cgroup);
    record_writer_init(record_fd);
    j->child_main(j->arg, stdout_fd, j->deadline_ms);
    _exit(0); /* child_main never returns; this is a safety net */
}

/* ------------------------------------------------------------------ */
/* Parent: records                                                      */

static void set_bug(job_outcome *out, const char *text)
{
    if (out->bug)
        return; /* the first violation is the one to report */
    out->bug = strdup(text);
}

static void take_metric(job_outcome *out, const record *r)
{
    double value;
    if (r->len < sizeof value + 2) {
        set_bug(out, "protocol violation: short metric record");
        return;
    }
    memcpy(&value, r->payload, sizeof value);
    const char *name = (const char *)r->payload + sizeof value;
    size_t rest = r->len - sizeof value;
    size_t name_len = strnlen(name, rest);
    if (name_len >= rest || name_len == 0 || name_len > RECORD_NAME_MAX) {
        set_bug(out, "protocol violation: bad metric record");
        return;
    }
    const char *unit = name + name_len + 1;
    size_t unit_len = strnlen(unit, rest - name_len - 1);
    if (unit_len >= rest - name_len - 1 || unit_len > RECORD_UNIT_MAX) {
        set_bug(out, "protocol violation: bad metric unit");
        return;
    }
    size_t known;
    if (nameset_get(&out->metric_index, name, &known)) {
        raw_metric *m = &out->metrics[known]; /* the last value wins */
        char *unit_copy = strdup(unit);
        if (unit_copy) {
            free(m->unit);
            m->unit = unit_copy;
        }
        m->value = value;
        return;
    }
    if (out->metric_count >= RECORD_METRICS_MAX) {
        out->metrics_dropped++;
        return;
    }
    if (out->metric_count == out->metric_cap) {
        size_t cap = out->metric_cap ? out->metric_cap * 2 : 4;
        raw_metric *grown = realloc(out->metrics, cap * sizeof *grown);
        if (!grown) {
            out->metrics_dropped++;
            return;
        }
        out->metrics = grown;
        out->metric_cap = cap;
    }
    raw_metric *m = &out->metrics[out->metric_count];
    m->name = strdup(name);
    m->unit = strdup(unit);
    m->value = value;
    if (!m->name || !m->unit ||
        nameset_put(&out->metric_index, m->name, out->metric_count, NULL) < 0) {
        free(m->name);
        free(m->unit);
        out->metrics_dropped++;
        return;
    }
    out->metric_count++;
}

static void take_status(job_outcome *out, const record *r)
{
    if (r->len < 2 || !status_is_valid(r->payload[0]) ||
        r->payload[r->len - 1] != '\0') {
        set_bug(out, "protocol violation: bad status record");
        return;
    }
    char *message = strndup((const char *)r->payload + 1, RECORD_MESSAGE_MAX);
    if (!message)
        return;
    free(out->message);
    out->message = message;
    out->status = (nbaq_status)r->payload[0];
    out->status_set = 1;
}

static void take_state(job_outcome *out, const record *r)
{
    const char *key = (const char *)r->payload;
    size_t key_len = strnlen(key, r->len);
    if (key_len == 0 || key_len >= r->len || key_len > RECORD_STATE_KEY_MAX ||
        r->payload[r->len - 1] != '\0') {
        set_bug(out, "protocol violation: bad state record");
        return;
    }
    const char *value = key + key_len + 1;
    if (strlen(value) > RECORD_STATE_VALUE_MAX) {
        set_bug(out, "protocol violation: state value too long");
        return;
    }
    if (!kvlist_get(&out->state, key) && out->state.count >= RECORD_STATE_MAX) {
        set_bug(out, "plugin bug: more than 64 state keys");
        return;
    }
    kvlist_set(&out->state, key, value);
}

static void take_record(job_outcome *out, const record *r)
{
    switch (r->type) {
    case RECORD_METRIC:
        take_metric(out, r);
        break;
    case RECORD_STATUS:
        take_status(out, r);
        break;
    case RECORD_STATE:
        take_state(out, r);
        break;
    case RECORD_BUG:
        if (r->len > 0 && r->payload[r->len - 1] == '\0') {
            char text[RECORD_MESSAGE_MAX + 1];
            text_copy(text, sizeof text, (const char *)r->payload);
            set_bug(out, text);
        }
        break;
    case RECORD_DONE:
        out->done = 1;
        break;
    case RECORD_BACKFILL: {
        const char *problem = backfill_take(&out->backfill, r->payload, r->len);
        if (problem)
            set_bug(out, problem);
        break;
    }
    default:
        set_bug(out, "protocol violation: unknown record type");
    }
}

/* ------------------------------------------------------------------ */
/* Parent: processes                                                    */

static void kill_group(job *j)
{
    if (j->pid > 0)
        kill(-j->pid, SIGKILL);
}

/* Reads what the pipe holds now. Returns 1 at end of file. */
static int drain(job *j)
{
    unsigned char buf[16384];
    for (;;) {
        ssize_t n = read(j->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return 0; /* EAGAIN: nothing more for now */
        if (n == 0)
            return 1;
        if (j->out.bug && strncmp(j->out.bug, "protocol", 8) == 0)
            continue; /* already condemned: discard */
        if (record_reader_feed(&j->reader, buf, (size_t)n) != 0) {
            set_bug(&j->out, "protocol violation: sent more than 8 MiB of "
                             "results");
            kill_group(j);
            continue;
        }
        record r;
        int rc;
        while ((rc = record_reader_next(&j->reader, &r)) == 1)
            take_record(&j->out, &r);
        if (rc < 0) {
            set_bug(&j->out, "protocol violation: record too long");
            kill_group(j);
        }
    }
}

static void finish(job *j, int wait_status)
{
    if (j->fd >= 0) {
        drain(j);
        close(j->fd);
        j->fd = -1;
    }
    kill_group(j); /* whatever the plugin left behind */
    cgjail_cell_release(&jail, &j->cgroup); /* and what left the group */
    if (WIFEXITED(wait_status)) {
        j->out.exited = 1;
        j->out.exit_code = WEXITSTATUS(wait_status);
    } else if (WIFSIGNALED(wait_status)) {
        j->out.signaled = 1;
        j->out.signal_number = WTERMSIG(wait_status);
    }
    j->out.duration_ms = clock_mono_ms() - j->mono_start_ms;
    record_reader_free(&j->reader);
    j->pid = 0;
}

/* Which fork servers are starting or running a job of this run. */
typedef struct server_slots {
    size_t count;
    unsigned char *busy;
} server_slots;

static int free_slot(const server_slots *slots)
{
    for (size_t i = 0; i < slots->count; i++) {
        if (!slots->busy[i])
            return (int)i;
    }
    return -1;
}

static void release_slot(server_slots *slots, job *j)
{
    if (j->server >= 0)
        slots->busy[j->server] = 0;
    j->server = -1;
}

/* Asks fork server `index` to start j's child; its pid is read later
 * (resolve_pid), so that several servers fork at the same time. */
static int start_by_server(job *j, int index, int record_fd)
{
    textbuf payload = TEXTBUF_INIT;
    j->encode(j, &payload);
    if (payload.failed) {
        textbuf_free(&payload);
        return -1;
    }
    forkserver_request req = {.plugin_name = j->plugin_name,
                              .plugin_path = j->plugin_path,
                              .cell = j->cgroup,
                              .deadline_ms = j->deadline_ms,
                              .record_fd = record_fd,
                              .payload = payload.data,
                              .payload_len = payload.len};
    char err[512];
    int rc = forkserver_send((size_t)index, &req, err, sizeof err);
    textbuf_free(&payload);
    if (rc != 0) {
        log_msg(NBAQ_LOG_DEBUG, j->label, "forked by the host: %s", err);
        return -1;
    }
    j->server = index;
    j->pid_pending = 1;
    j->answered = 0;
    return 0;
}

static pid_t fork_here(job *j, int fds[2])
{
    fflush(NULL); /* the child must not flush the parent's buffers again */
    pid_t pid = fork();
    if (pid == 0)
        child_start(j, fds[1], fds[0]);
    return pid;
}

static void start_failed(job *j, const char *why)
{
    j->out.start_failed = 1;
    free(j->out.bug);
    j->out.bug = strdup(why);
}

static int start(job *j, server_slots *slots)
{
    int fds[2];
    j->out.started_ms = clock_wall_ms();
    j->mono_start_ms = clock_mono_ms();
    j->deadline_ms = j->mono_start_ms + j->timeout_ms;
    j->fd = -1;
    j->server = -1;
    j->pid_pending = 0;
    if (pipe2(fds, O_CLOEXEC) != 0) {
        start_failed(j, "cannot create a pipe");
        return -1;
    }
    j->cgroup = cgjail_cell_take(&jail);
    if (j->before_fork)
        j->before_fork(j);
    int slot = j->encode ? free_slot(slots) : -1;
    pid_t pid = 0;
    if (slot >= 0 && start_by_server(j, slot, fds[1]) == 0)
        slots->busy[slot] = 1;
    else
        pid = fork_here(j, fds);
    int fork_errno = errno;
    if (j->after_fork)
        j->after_fork(j);
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        cgjail_cell_release(&jail, &j->cgroup);
        char text[128];
        snprintf(text, sizeof text, "cannot start a process: %s",
                 strerror(fork_errno));
        start_failed(j, text);
        return -1;
    }
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    j->fd = fds[0];
    if (!j->pid_pending) {
        setpgid(pid, pid); /* also in the child: whichever runs first */
        j->pid = pid;
        log_msg(NBAQ_LOG_DEBUG, j->label, "started (pid %d)", (int)pid);
    }
    return 0;
}

/* The pid of a child a fork server started, once: 0 when it is known
 * (or the host forked the job), 1 when the server has not answered yet
 * and `wait` is 0. Returns -1 when the server could not start it: the job
 * has then finished, as an ERROR. (A server that died between its clone
 * and its answer leaves a child whose pid the host never learns:
 * releasing the cell kills it where there is a cgroup; elsewhere it runs
 * to its end, unwatched.) */
static int resolve_pid(job *j, int wait)
{
    if (!j->pid_pending)
        return 0;
    char err[256];
    pid_t pid = forkserver_receive((size_t)j->server, wait, err, sizeof err);
    if (pid == 0)
        return 1;
    j->pid_pending = 0;
    if (pid < 0) {
        char text[512];
        snprintf(text, sizeof text, "could not start: %s", err);
        start_failed(j, text);
        if (j->fd >= 0)
            close(j->fd);
        j->fd = -1;
        cgjail_cell_release(&jail, &j->cgroup);
        j->out.duration_ms = clock_mono_ms() - j->mono_start_ms;
        return -1;
    }
    setpgid(pid, pid); /* the host is its parent (CLONE_PARENT) */
    j->pid = pid;
    log_msg(NBAQ_LOG_DEBUG, j->label, "started (pid %d, by fork server %d)",
            (int)pid, j->server);
    return 0;
}

static void stop_for_deadline(job *j, int timed_out)
{
    kill_group(j);
    int status = 0;
    while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out)
        j->out.timed_out = 1;
    else
        j->out.interrupted = 1;
    finish(j, status);
}

/* When the runner must next look at j without an event: its deadline,
 * or sooner the time by which its fork server must have answered. */
static int64_t next_look(const job *j)
{
    int64_t due = j->pid_pending ? forkserver_answer_due((size_t)j->server)
                                 : j->deadline_ms;
    return due < j->deadline_ms ? due : j->deadline_ms;
}

/* Checks one running job; returns 1 when it has finished. A job whose
 * pid is not known yet is looked at when something of it (its records,
 * a SIGCHLD) woke the runner, or when it has to be stopped, or when the
 * answer is overdue; only the last two wait for the answer. */
static int poll_job(job *j, int64_t now)
{
    int must_stop = stop_requested || now >= j->deadline_ms;
    int overdue = now >= next_look(j);
    if (j->pid_pending && !j->answered && !must_stop && !overdue)
        return 0;
    j->answered = 0;
    int resolved = resolve_pid(j, must_stop || overdue);
    if (resolved != 0)
        return resolved < 0;
    int status = 0;
    pid_t r = waitpid(j->pid, &status, WNOHANG);
    if (r == j->pid) {
        finish(j, status);
        return 1;
    }
    if (stop_requested) {
        stop_for_deadline(j, 0);
        return 1;
    }
    if (now >= j->deadline_ms) {
        stop_for_deadline(j, 1);
        return 1;
    }
    return 0;
}

/* Waits for a record, the end of a job (SIGCHLD, through the self-pipe)
 * or the next deadline. A fork server's answer does not wake the runner:
 * the child it started writes it before anything else, so it is there by
 * the time the child's records or its end are; reading it then saves the
 * host a wakeup per check. */
static void wait_for_events(job **running, size_t n)
{
    struct pollfd fds[1 + 1024];
    /* Where each job's record pipe is in fds (0: not polled; fds[0] is
     * the self-pipe). */
    size_t record_at[1024];
    size_t count = 0;
    fds[count++] = (struct pollfd){.fd = wake_pipe[0], .events = POLLIN};
    int64_t now = clock_mono_ms();
    int64_t next_deadline = -1;
    for (size_t i = 0; i < n; i++) {
        job *j = running[i];
        record_at[i] = 0;
        if (j->fd >= 0) {
            record_at[i] = count;
            fds[count++] = (struct pollfd){.fd = j->fd, .events = POLLIN};
        }
        int64_t look = next_look(j);
        if (next_deadline < 0 || look < next_deadline)
            next_deadline = look;
    }
    int timeout = -1;
    if (next_deadline >= 0)
        timeout = next_deadline <= now          ? 0
                  : next_deadline - now > 60000 ? 60000
                                                : (int)(next_deadline - now);
    if (poll(fds, count, timeout) < 0)
        return; /* EINTR: look again */
    int woken = fds[0].revents != 0;
    if (woken) {
        char buf[256];
        while (read(wake_pipe[0], buf, sizeof buf) > 0)
            ;
    }
    for (size_t i = 0; i < n; i++) {
        job *j = running[i];
        int records = record_at[i] && fds[record_at[i]].revents;
        if (woken || records)
            j->answered = 1;
        if (records && drain(j)) {
            close(j->fd);
            j->fd = -1;
        }
    }
}

static void notify_ended(job **ended, size_t *count)
{
    for (size_t i = 0; i < *count; i++) {
        if (ended[i]->on_done)
            ended[i]->on_done(ended[i]);
    }
    *count = 0;
}

/* The fork servers for the jobs a server may start, when they are worth
 * it; returns how many there are. */
static size_t start_servers(const job *jobs, size_t count, unsigned workers)
{
    size_t servable = 0, nfiles = 0;
    forkserver_plugin_file *files = calloc(count ? count : 1, sizeof *files);
    if (!files)
        return 0;
    for (size_t i = 0; i < count; i++) {
        if (!jobs[i].encode)
            continue;
        servable++;
        /* Each file once: a run has many checks and few plugins. */
        size_t k = 0;
        while (k < nfiles && strcmp(files[k].path, jobs[i].plugin_path) != 0)
            k++;
        if (k == nfiles)
            files[nfiles++] = (forkserver_plugin_file){
                .name = jobs[i].plugin_name, .path = jobs[i].plugin_path};
    }
    size_t started = 0;
    if (forkserver_wanted(servable))
        started = forkserver_pool_start(
            servable < workers ? (unsigned)servable : workers, files, nfiles);
    free(files);
    return started;
}

int runner_run(job *jobs, size_t count, unsigned workers, char *err,
               size_t err_size)
{
    if (workers < 1)
        workers = 1;
    if (workers > 1024)
        workers = 1024;
    job **running = calloc(workers, sizeof *running);
    job **ended = calloc(workers, sizeof *ended);
    size_t ended_count = 0;
    if (!running || !ended) {
        free(running);
        free(ended);
        return err_set(err, err_size, "out of memory");
    }
    saved_signals saved;
    if (install_signals(&saved, err, err_size) != 0) {
        free(running);
        free(ended);
        return -1;
    }
    server_slots slots = {.count = 0};
    slots.count = start_servers(jobs, count, workers);
    slots.busy = calloc(slots.count ? slots.count : 1, 1);
    if (!slots.busy)
        slots.count = 0;
    cgjail_open(&jail);
    size_t next = 0, active = 0;
    while (next < count || active > 0) {
        while (active < workers && next < count) {
            job *j = &jobs[next++];
            if (stop_requested) {
                j->out.interrupted = 1;
                j->out.started_ms = clock_wall_ms();
                continue;
            }
            if (start(j, &slots) == 0)
                running[active++] = j;
        }
        /* The jobs that ended last round, once their slots are busy again. */
        notify_ended(ended, &ended_count);
        if (active == 0)
            continue;
        wait_for_events(running, active);
        int64_t now = clock_mono_ms();
        for (size_t i = 0; i < active;) {
            if (poll_job(running[i], now)) {
                release_slot(&slots, running[i]);
                if (!running[i]->out.start_failed) /* never ran: no on_done */
                    ended[ended_count++] = running[i];
                running[i] = running[--active];
            } else {
                i++;
            }
        }
    }
    notify_ended(ended, &ended_count);
    free(ended);
    free(slots.busy);
    forkserver_pool_stop();
    cgjail_close(&jail);
    restore_signals(&saved);
    free(running);
    return 0;
}

/* ------------------------------------------------------------------ */

void job_conclude(const job *j, nbaq_status *status, const char **message,
                  char *buf, size_t size)
{
    const job_outcome *o = &j->out;
    *status = NBAQ_ERROR;
    *message = buf;
    if (o->interrupted) {
        snprintf(buf, size, "interrupted");
    } else if (o->start_failed) {
        snprintf(buf, size, "%s", o->bug ? o->bug : "could not start");
    } else if (o->timed_out) {
        char d[64];
        text_format_duration(j->timeout_ms, d, sizeof d);
        snprintf(buf, size, "timed out after %s", d);
    } else if (o->bug) {
        snprintf(buf, size, "%s", o->bug);
    } else if (o->signaled) {
        snprintf(buf, size, "crashed: signal %d (%s)", o->signal_number,
                 strsignal(o->signal_number));
    } else if (o->exited && o->done && o->exit_code == 0) {
        if (!o->status_set) {
            snprintf(buf, size, "no status");
        } else {
            *status = o->status;
            *message = o->message ? o->message : "";
        }
    } else if (o->exited && o->exit_code == 0 && o->status_set) {
        *status = o->status; /* exit(0) after setting a status */
        *message = o->message ? o->message : "";
    } else if (o->exited) {
        snprintf(buf, size, "exited with code %d%s", o->exit_code,
                 o->status_set ? "" : " without a status");
    } else {
        snprintf(buf, size, "ended abnormally");
    }
}

void job_outcome_free(job_outcome *out)
{
    for (size_t i = 0; i < out->metric_count; i++) {
        free(out->metrics[i].name);
        free(out->metrics[i].unit);
    }
    free(out->metrics);
    nameset_free(&out->metric_index);
    free(out->message);
    free(out->bug);
    kvlist_free(&out->state);
    backfill_list_free(&out->backfill);
    memset(out, 0, sizeof *out);
}
