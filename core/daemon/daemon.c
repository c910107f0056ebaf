#include "daemon.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "board.h"
#include "clock.h"
#include "fleet_board.h"
#include "fleet_member.h"
#include "heartbeat.h"
#include "http.h"
#include "log.h"
#include "notify.h"
#include "round.h"
#include "schedule.h"
#include "snapshot.h"
#include "text.h"
#include "watchdog.h"
#include "watchdog_run.h"

#define MAX_POLL_WAIT_MS 60000
#define ROUND_GRACE_MS 60000
#define PUBLISH_GAP_MS 100
#define INTERRUPT_REPEAT_MS 200
/* Least wait before asking the fleet again for a run another member
 * holds right now. */
#define CLAIM_RETRY_MIN_MS 50

typedef struct daemon_state {
    const daemon_host *host;
    config *cfg;
    registry *reg;
    int owned; /* cfg and reg came from a reload: ours to free          */
    schedule sched;
    board board;
    snapshot_hub hub;
    daemon_stats stats;
    http_server *http;
    fleet_member fleet;
    heartbeat ping;
    watchdog_timer watchdog;
    int sigfd;
    sigset_t old_mask;
    round_proc *rounds;
    size_t round_count;
    size_t round_cap;
    size_t checks_running;
    int stop_requests; /* 1: finish running rounds; 2: interrupt them   */
    int dirty;         /* rounds changed the board since publish()      */
    int fleet_started;
    int64_t interrupted_mono_ms; /* the last SIGTERM sent to the rounds  */
    int64_t published_mono_ms;
    char bound[320];
} daemon_state;

/* ------------------------------------------------------------------ */
/* Publishing                                                           */

static void publish(daemon_state *d)
{
    int64_t mono = clock_mono_ms(), wall = clock_wall_ms();
    for (size_t i = 0; i < d->board.count; i++) {
        board_check *c = &d->board.checks[i];
        long k = schedule_find(&d->sched, c->name);
        c->next_run_ms = 0;
        if (k >= 0 && !d->stop_requests)
            c->next_run_ms = wall + (d->sched.entries[k].due_ms - mono);
    }
    d->stats.rounds_running = d->round_count;
    d->stats.fleet = &d->fleet;
    d->stats.heartbeats_sent = d->ping.sent;
    d->stats.heartbeats_failed = d->ping.failed;
    d->stats.stopping = d->stop_requests > 0;
    snapshot *s = snapshot_build(&d->board, &d->stats, d->cfg);
    if (!s) {
        log_msg(NBAQ_LOG_ERROR, NULL,
                "daemon: out of memory: the status served is not updated");
        return;
    }
    snapshot_hub_publish(&d->hub, s);
    d->dirty = 0;
    d->published_mono_ms = clock_mono_ms();
}

/* Rounds of many checks may end every few milliseconds: the snapshot is
 * rendered at most every PUBLISH_GAP_MS for them (a reload or a stop is
 * published at once). */
static void publish_if_due(daemon_state *d)
{
    if (d->dirty && clock_mono_ms() - d->published_mono_ms >= PUBLISH_GAP_MS)
        publish(d);
}

/* ------------------------------------------------------------------ */
/* Rounds                                                               */

static void mark_running(daemon_state *d, const char *const *names, size_t n,
                         int running)
{
    int64_t wall = clock_wall_ms();
    for (size_t i = 0; i < n; i++) {
        long k = schedule_find(&d->sched, names[i]);
        if (k >= 0 && running)
            schedule_started(&d->sched, (size_t)k, clock_mono_ms());
        else if (k >= 0)
            schedule_finished(&d->sched, (size_t)k);
        if (!running)
            fleet_member_release(&d->fleet, names[i]);
        board_check *c = board_find(&d->board, names[i]);
        if (c) {
            c->running = running;
            c->running_since_ms = running ? wall : 0;
        }
    }
}

static int keep_round(daemon_state *d, const round_proc *r)
{
    if (d->round_count == d->round_cap) {
        size_t cap = d->round_cap ? d->round_cap * 2 : 8;
        round_proc *grown = realloc(d->rounds, cap * sizeof *grown);
        if (!grown)
            return -1;
        d->rounds = grown;
        d->round_cap = cap;
    }
    d->rounds[d->round_count++] = *r;
    return 0;
}

/* Keeps r (started now, killed past limit_ms); when it cannot be
 * tracked, stops it and waits for it, and returns -1. */
static int track_round(daemon_state *d, round_proc *r, int64_t limit_ms)
{
    r->started_mono_ms = clock_mono_ms();
    r->deadline_mono_ms = r->started_mono_ms + limit_ms;
    r->started_wall_ms = clock_wall_ms();
    if (keep_round(d, r) == 0)
        return 0;
    log_msg(NBAQ_LOG_ERROR, NULL, "daemon: out of memory");
    kill(-r->pid, SIGTERM);
    while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    round_free(r);
    return -1;
}

/* A round that outlives every timeout it holds is stuck: past this it is
 * killed, so that its checks can run again. */
static int64_t round_time_limit(const daemon_state *d, const char *const *names,
                                size_t n)
{
    int64_t limit = ROUND_GRACE_MS;
    for (size_t i = 0; i < n; i++) {
        const check_config *c = config_find_check(d->cfg, names[i]);
        limit += c ? c->timeout_ms : d->cfg->timeout_ms;
    }
    for (size_t i = 0; i < d->cfg->reporter_count; i++)
        limit +=
            d->cfg->reporters[i].enabled ? d->cfg->reporters[i].timeout_ms : 0;
    return limit;
}

/* Of the due entries idx[0..due), those whose run this member claims:
 * their names, in names; the others wait until the fleet says they may
 * be claimable. Returns how many were claimed. */
static size_t claim_due(daemon_state *d, const size_t *idx, size_t due,
                        const char **names)
{
    size_t n = 0;
    for (size_t i = 0; i < due; i++) {
        schedule_entry *e = &d->sched.entries[idx[i]];
        int64_t wait;
        if (fleet_member_claim(&d->fleet, e->name, e->interval_ms, &wait) ==
            1) {
            names[n++] = e->name;
            continue;
        }
        if (wait < CLAIM_RETRY_MIN_MS)
            wait = CLAIM_RETRY_MIN_MS;
        schedule_defer(&d->sched, idx[i], clock_mono_ms() + wait);
    }
    return n;
}

/* Starts the next round that is due; returns how many checks were due
 * (0: none is due, or no worker is free); those another member holds
 * are deferred. */
static size_t start_round(daemon_state *d)
{
    size_t workers = d->cfg->workers ? d->cfg->workers : 1;
    if (d->checks_running >= workers || d->sched.count == 0)
        return 0;
    size_t slots = workers - d->checks_running;
    if (slots > d->sched.count)
        slots = d->sched.count;
    size_t *idx = malloc(slots * sizeof *idx);
    const char **names = malloc(slots * sizeof *names);
    size_t due = idx && names ? schedule_due_round(&d->sched, clock_mono_ms(),
                                                   idx, slots)
                              : 0;
    size_t n = claim_due(d, idx, due, names);
    char err[512];
    round_proc r;
    if (n > 0)
        http_before_fork(d->http);
    if (n > 0 && round_spawn(d->cfg, names, n, &r, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: %s", err);
        mark_running(d, names, n, 1); /* this slot is lost... */
        board_fail(&d->board, names, n, err, clock_wall_ms(), 0);
        mark_running(d, names, n, 0); /* ...the next one will do */
        d->dirty = 1;
    } else if (n > 0) {
        if (track_round(d, &r, round_time_limit(d, names, n)) == 0) {
            log_msg(NBAQ_LOG_DEBUG, NULL,
                    "daemon: round of %zu check%s started (pid %d)", n,
                    n == 1 ? "" : "s", (int)r.pid);
            mark_running(d, names, n, 1);
            d->checks_running += n;
            d->dirty = 1;
        }
    }
    free(idx);
    free(names);
    return due;
}

/* The watchdog's round, when due (and claimed): outside the workers'
 * count, so that checks stuck on every worker still get reported. */
static void start_watchdog(daemon_state *d)
{
    nbaq_check_result *result = watchdog_poll(
        &d->watchdog, &d->fleet, &d->sched, d->cfg, clock_mono_ms());
    char err[512];
    round_proc r;
    if (!result)
        return;
    http_before_fork(d->http);
    if (round_spawn_host_check(d->cfg, result, &r, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: watchdog: %s", err);
        fleet_member_release(&d->fleet, WATCHDOG_CHECK);
        return;
    }
    if (track_round(d, &r, round_time_limit(d, NULL, 0)) != 0) {
        fleet_member_release(&d->fleet, WATCHDOG_CHECK);
        return;
    }
    watchdog_set_round(&d->watchdog, r.pid);
}

static void start_due(daemon_state *d)
{
    while (start_round(d) > 0)
        ;
}

static void finish_round(daemon_state *d, size_t i)
{
    round_proc *r = &d->rounds[i];
    const char *const *names = (const char *const *)r->names;
    char err[2048];
    cJSON *result = round_result(r, err, sizeof err);
    int64_t duration = clock_mono_ms() - r->started_mono_ms;
    if (result) {
        board_apply(&d->board, names, r->count, result);
        if (d->fleet.shared)
            fleet_board_stamp(&d->board, names, r->count, d->fleet.id);
        cJSON_Delete(result);
    } else {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: round of %zu check%s failed: %s",
                r->count, r->count == 1 ? "" : "s", err);
        board_fail(&d->board, names, r->count, err, r->started_wall_ms,
                   duration);
        d->stats.rounds_failed++;
    }
    mark_running(d, names, r->count, 0);
    if (r->pid == d->watchdog.round_pid)
        watchdog_set_round(&d->watchdog, 0);
    else
        d->checks_running -= r->count;
    d->stats.rounds++;
    d->stats.last_round_finished_ms = clock_wall_ms();
    d->stats.last_round_duration_ms = duration;
    log_msg(NBAQ_LOG_DEBUG, NULL, "daemon: round (pid %d) done in %lld ms",
            (int)r->pid, (long long)duration);
    round_free(r);
    d->rounds[i] = d->rounds[--d->round_count];
    d->dirty = 1;
}

static void kill_stuck_rounds(daemon_state *d)
{
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < d->round_count; i++) {
        round_proc *r = &d->rounds[i];
        if (!r->killed && now >= r->deadline_mono_ms) {
            log_msg(NBAQ_LOG_ERROR, NULL,
                    "daemon: round (pid %d) is stuck: killing it", (int)r->pid);
            kill(-r->pid, SIGKILL);
            r->killed = 1;
        }
    }
}

static void reap(daemon_state *d)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (heartbeat_reaped(&d->ping, pid, status))
            continue;
        for (size_t i = 0; i < d->round_count; i++) {
            if (d->rounds[i].pid == pid) {
                d->rounds[i].exited = 1;
                d->rounds[i].wait_status = status;
                finish_round(d, i);
                break;
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Reload                                                               */

static int sync_schedule(daemon_state *d, const config *cfg)
{
    size_t n = 0;
    const char **names = malloc((cfg->check_count + 1) * sizeof *names);
    int64_t *intervals = malloc((cfg->check_count + 1) * sizeof *intervals);
    int rc = -1;
    if (names && intervals) {
        for (size_t i = 0; i < cfg->check_count; i++) {
            const check_config *c = &cfg->checks[i];
            if (!c->enabled)
                continue;
            names[n] = c->name;
            intervals[n++] = board_interval_of(cfg, c);
        }
        rc = schedule_sync(&d->sched, names, intervals, n, cfg->daemon.jitter,
                           clock_mono_ms());
    }
    free(names);
    free(intervals);
    return rc;
}

static void reload_failed(daemon_state *d, const char *err)
{
    log_msg(NBAQ_LOG_ERROR, NULL,
            "reload rejected, the running configuration stays: %s", err);
    d->stats.reload_failures++;
    d->stats.last_reload_ok = 0;
    d->stats.last_reload_ms = clock_wall_ms();
    text_copy(d->stats.last_reload_error, sizeof d->stats.last_reload_error,
              err);
}

static void warn_restart_needed(const config *old, const config *cfg)
{
    if (strcmp(old->daemon.listen, cfg->daemon.listen) != 0)
        log_msg(NBAQ_LOG_WARN, NULL,
                "daemon.listen changed to %s: restart nbaq-host to apply it "
                "(still listening on %s)",
                cfg->daemon.listen, old->daemon.listen);
    if (old->daemon.max_connections != cfg->daemon.max_connections)
        log_msg(NBAQ_LOG_WARN, NULL,
                "daemon.max_connections changed: restart nbaq-host to apply "
                "it");
}

static void release_generation(config *cfg, registry *reg)
{
    config_free(cfg);
    if (reg) {
        registry_free(reg);
        free(reg);
    }
}

static void reload(daemon_state *d)
{
    log_msg(NBAQ_LOG_INFO, NULL, "SIGHUP: reloading %s", d->stats.config_path);
    notify_send("RELOADING=1");
    config *cfg = NULL;
    registry *reg = NULL;
    char err[4096];
    if (d->host->load(d->host->load_arg, &cfg, &reg, err, sizeof err) != 0) {
        reload_failed(d, err);
    } else if (board_sync(&d->board, cfg) != 0) {
        release_generation(cfg, reg);
        reload_failed(d, "out of memory");
    } else if (sync_schedule(d, cfg) != 0) {
        board_sync(&d->board, d->cfg);
        release_generation(cfg, reg);
        reload_failed(d, "out of memory");
    } else {
        warn_restart_needed(d->cfg, cfg);
        if (d->owned)
            release_generation(d->cfg, d->reg);
        d->cfg = cfg;
        d->reg = reg;
        d->owned = 1;
        fleet_member_reload(&d->fleet, cfg);
        d->stats.config_path = cfg->absolute_path;
        d->stats.reloads++;
        d->stats.last_reload_ok = 1;
        d->stats.last_reload_error[0] = '\0';
        d->stats.last_reload_ms = d->stats.config_loaded_ms = clock_wall_ms();
        log_msg(NBAQ_LOG_INFO, NULL,
                "configuration reloaded: %zu check%s scheduled, %zu "
                "reporter%s",
                d->board.count, d->board.count == 1 ? "" : "s",
                cfg->reporter_count, cfg->reporter_count == 1 ? "" : "s");
    }
    publish(d);
    notify_send("READY=1");
}

/* ------------------------------------------------------------------ */
/* Signals                                                              */

/*
 * A round process heeds SIGTERM only while its checks or reporters run
 * (round.h): one sent while it still opens its store would be lost. So
 * once asked to interrupt, the daemon repeats the signal every
 * INTERRUPT_REPEAT_MS until the rounds are gone.
 */
static void interrupt_rounds(daemon_state *d)
{
    for (size_t i = 0; i < d->round_count; i++)
        kill(-d->rounds[i].pid, SIGTERM);
    d->interrupted_mono_ms = clock_mono_ms();
}

static void request_stop(daemon_state *d, int signo)
{
    d->stop_requests++;
    if (d->stop_requests == 1) {
        log_msg(NBAQ_LOG_INFO, NULL,
                "SIG%s: stopping when the running rounds (%zu) finish; the "
                "same signal again interrupts them",
                sigabbrev_np(signo), d->round_count);
        notify_send("STOPPING=1");
        publish(d);
    } else if (d->stop_requests == 2) {
        log_msg(NBAQ_LOG_WARN, NULL,
                "SIG%s again: interrupting the running checks",
                sigabbrev_np(signo));
        interrupt_rounds(d);
    }
}

static void handle_signals(daemon_state *d)
{
    struct signalfd_siginfo info;
    while (read(d->sigfd, &info, sizeof info) == (ssize_t)sizeof info) {
        switch (info.ssi_signo) {
        case SIGTERM:
        case SIGINT:
            request_stop(d, (int)info.ssi_signo);
            break;
        case SIGHUP:
            if (!d->stop_requests)
                reload(d);
            break;
        default: /* SIGCHLD: reaped below */
            break;
        }
    }
}

static int setup_signals(daemon_state *d, char *err, size_t err_size)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &set, &d->old_mask) != 0)
        return err_set(err, err_size, "cannot block signals: %s",
                       strerror(errno));
    d->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
    if (d->sigfd < 0) {
        sigprocmask(SIG_SETMASK, &d->old_mask, NULL);
        return err_set(err, err_size, "cannot create a signalfd: %s",
                       strerror(errno));
    }
    signal(SIGPIPE, SIG_IGN); /* a client that went away is no reason */
    return 0;
}

/* ------------------------------------------------------------------ */
/* The loop                                                             */

static int poll_timeout(daemon_state *d)
{
    int64_t now = clock_mono_ms();
    int64_t wait = MAX_POLL_WAIT_MS;
    int64_t next = schedule_next_due(&d->sched);
    size_t workers = d->cfg->workers ? d->cfg->workers : 1;
    if (!d->stop_requests && next != INT64_MAX && d->checks_running < workers)
        wait = next <= now ? 0 : next - now;
    for (size_t i = 0; i < d->round_count; i++) {
        int64_t left = d->rounds[i].deadline_mono_ms - now;
        if (!d->rounds[i].killed && left < wait)
            wait = left < 0 ? 0 : left;
    }
    if (d->stop_requests > 1 && wait > INTERRUPT_REPEAT_MS)
        wait = INTERRUPT_REPEAT_MS;
    if (d->dirty) {
        int64_t left = d->published_mono_ms + PUBLISH_GAP_MS - now;
        if (left < wait)
            wait = left < 0 ? 0 : left;
    }
    int64_t ticks[3] = {fleet_member_next_tick(&d->fleet),
                        heartbeat_next(&d->ping, &d->cfg->daemon),
                        d->stop_requests ? INT64_MAX
                                         : watchdog_next(&d->watchdog, d->cfg)};
    for (size_t i = 0; i < 3; i++) {
        if (ticks[i] != INT64_MAX && ticks[i] - now < wait)
            wait = ticks[i] <= now ? 0 : ticks[i] - now;
    }
    int64_t http = http_timeout_ms(d->http);
    if (http >= 0 && http < wait)
        wait = http;
    return wait > MAX_POLL_WAIT_MS ? MAX_POLL_WAIT_MS : (int)wait;
}

static int run_loop(daemon_state *d)
{
    struct pollfd *fds = NULL;
    size_t fds_cap = 0;
    for (;;) {
        if (!d->stop_requests) {
            start_watchdog(d);
            start_due(d);
        }
        if (d->stop_requests && d->round_count == 0)
            break;
        if (fds_cap < d->round_count + 2) {
            size_t cap = d->round_count + 16;
            struct pollfd *grown = realloc(fds, cap * sizeof *grown);
            if (!grown) {
                free(fds);
                return -1;
            }
            fds = grown;
            fds_cap = cap;
        }
        size_t n = 0;
        fds[n++] = (struct pollfd){.fd = d->sigfd, .events = POLLIN};
        fds[n++] = (struct pollfd){.fd = http_fd(d->http), .events = POLLIN};
        for (size_t i = 0; i < d->round_count; i++)
            fds[n++] = (struct pollfd){.fd = d->rounds[i].fd, .events = POLLIN};
        if (poll(fds, n, poll_timeout(d)) < 0 && errno != EINTR) {
            log_msg(NBAQ_LOG_ERROR, NULL, "daemon: poll: %s", strerror(errno));
            free(fds);
            return -1;
        }
        if (fds[0].revents)
            handle_signals(d);
        http_run(d->http);
        for (size_t i = 0; i < d->round_count; i++) {
            if (d->rounds[i].fd >= 0)
                round_read(&d->rounds[i]);
        }
        kill_stuck_rounds(d);
        /* Also while stopping: the claims of running rounds stay ours. */
        if (fleet_member_tick(&d->fleet, clock_mono_ms())) {
            fleet_board_merge(&d->board, d->fleet.results,
                              d->fleet.result_count);
            if (d->fleet.alerts)
                board_set_alerts(&d->board, d->fleet.alerts);
            d->dirty = 1;
        }
        heartbeat_identity me = {d->cfg->monitor, d->fleet.id,
                                 d->stats.started_ms};
        heartbeat_tick(&d->ping, &d->cfg->daemon, &me, clock_mono_ms());
        if (d->stop_requests > 1 &&
            clock_mono_ms() - d->interrupted_mono_ms >= INTERRUPT_REPEAT_MS)
            interrupt_rounds(d);
        reap(d);
        publish_if_due(d);
    }
    free(fds);
    return 0;
}

static void fill_stats(daemon_state *d)
{
    memset(&d->stats, 0, sizeof d->stats);
    d->stats.version = d->host->version;
    d->stats.config_path = d->cfg->absolute_path;
    d->stats.pid = (int)getpid();
    d->stats.started_ms = d->stats.config_loaded_ms = clock_wall_ms();
    d->stats.last_reload_ok = 1;
}

static int start(daemon_state *d)
{
    char err[1024];
    d->fleet_started = 1; /* stopped even when it failed half-way */
    if (fleet_member_start(&d->fleet, d->cfg, d->host->version, err,
                           sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: %s", err);
        return -1;
    }
    if (board_init(&d->board) != 0 || board_sync(&d->board, d->cfg) != 0 ||
        sync_schedule(d, d->cfg) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: out of memory");
        return -1;
    }
    if (http_start(&d->cfg->daemon, &d->hub, &d->http, d->bound,
                   sizeof d->bound, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "%s", err);
        return -1;
    }
    publish(d);
    log_msg(NBAQ_LOG_INFO, NULL,
            "daemon: listening on http://%s/ (%zu check%s scheduled, pid %d)",
            d->bound, d->board.count, d->board.count == 1 ? "" : "s",
            d->stats.pid);
    char ready[512];
    snprintf(ready, sizeof ready, "READY=1\nSTATUS=listening on %s, %zu checks",
             d->bound, d->board.count);
    notify_send(ready);
    return 0;
}

daemon_result daemon_run(const daemon_host *host)
{
    notify_init();
    daemon_state d = {
        .host = host, .cfg = host->cfg, .reg = host->reg, .sigfd = -1};
    char err[512];
    snapshot_hub_init(&d.hub);
    schedule_init(&d.sched, 0);
    fill_stats(&d);
    daemon_result result = DAEMON_START_FAILED;
    if (setup_signals(&d, err, sizeof err) != 0) {
        log_msg(NBAQ_LOG_ERROR, NULL, "daemon: %s", err);
    } else if (start(&d) == 0 && run_loop(&d) == 0) {
        result = d.stop_requests > 1 ? DAEMON_INTERRUPTED : DAEMON_STOPPED;
        log_msg(NBAQ_LOG_INFO, NULL, "daemon: stopped after %llu round%s",
                (unsigned long long)d.stats.rounds,
                d.stats.rounds == 1 ? "" : "s");
    }
    for (size_t i = 0; i < d.round_count; i++) { /* only after a failure */
        kill(-d.rounds[i].pid, SIGKILL);
        while (waitpid(d.rounds[i].pid, NULL, 0) < 0 && errno == EINTR)
            ;
        round_free(&d.rounds[i]);
    }
    free(d.rounds);
    watchdog_timer_free(&d.watchdog);
    if (d.fleet_started)
        fleet_member_stop(&d.fleet);
    http_stop(d.http);
    snapshot_hub_free(&d.hub);
    board_free(&d.board);
    schedule_free(&d.sched);
    if (d.owned)
        release_generation(d.cfg, d.reg);
    if (d.sigfd >= 0) {
        close(d.sigfd);
        sigprocmask(SIG_SETMASK, &d.old_mask, NULL);
    }
    return result;
}
