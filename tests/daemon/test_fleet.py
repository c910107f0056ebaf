"""A fleet of nbaq-host --daemon processes on one PostgreSQL history
(docs/daemon.md, "A fleet of daemons"), and the daemon's watchdogs.

Three real daemons share a real PostgreSQL (the `postgres` fixture) with
1 s intervals and a 2 s lease. Runs are counted from the history store
(nbaq_check_results, read with psql), notifications from a webhook
receiver on 127.0.0.1, heartbeat pings from a small GET receiver. Every
wait is a bounded poll on a condition.
"""
import datetime
import http.server
import json
import os
import re
import signal
import subprocess
import sys
import time
import unittest
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "channels"))
import channel_test as ct  # noqa: E402
import nbaq_test  # noqa: E402
from daemon_support import (Daemon, exec_check, notified,  # noqa: E402
                            temp_dir, wait_for, webhook_channel, write_file)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reports"))
from chromium_cdp import Browser  # noqa: E402

INTERVAL_MS = 1000
LEASE_MS = 2000
# Forking a round, running an exec check and saving it, on a loaded
# 2-core machine: the slack allowed on top of the documented bounds.
SLACK_MS = 1500
CHECKS = ["alpha", "beta", "gamma", "broken"]


# The built-in watchdog (docs/daemon.md, "Watchdogs for the watcher"):
# a member dead after the lease (the default), a check stale after 4
# intervals here rather than the default 2, so that a run a loaded 2-core
# machine starts a second late is no alert (test_daemon_watchdog.c pins
# the exact rule).
WATCHDOG = "nbaq:watchdog"


def fleet_config(store_url, hook_url, comment=""):
    checks = "".join(exec_check(n, "echo ok; exit 0") for n in CHECKS[:3])
    checks += exec_check("broken", "echo broken; exit 2",
                         extra="    severity: high\n")
    return f"""{comment}monitor: fleet_demo
history:
  url: "{store_url}"
daemon:
  listen: 127.0.0.1:0
  jitter: 0
  fleet:
    lease: {LEASE_MS // 1000}s
  watchdog:
    interval: 1s
    stale_after: 4x
checks:
{checks}""" + webhook_channel(hook_url)


def psql(url, sql):
    env = nbaq_test.service_env("postgres")
    out = subprocess.run(
        [os.path.join(env["NBAQ_TEST_PG_BINDIR"], "psql"), url, "-qtAc", sql],
        capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        if "does not exist" in out.stderr:  # not migrated yet
            return []
        raise AssertionError(out.stderr)
    return [line.split("|") for line in out.stdout.splitlines() if line]


def run_starts(url):
    """{check: [started_ms, ...]} of every stored run, oldest first."""
    runs = {name: [] for name in CHECKS}
    for check, started in psql(
            url, "SELECT check_name, started_ms FROM nbaq_check_results"
                 " ORDER BY started_ms"):
        runs.setdefault(check, []).append(int(started))
    return runs


def claims_total(daemon):
    """nbaq_fleet_claims_total of the member, from its /metrics."""
    text = daemon.request("/metrics")[2].decode()
    m = re.search(r'^nbaq_fleet_claims_total\{monitor="fleet_demo",'
                  r'member="[^"]+:%d"\} (\d+)$' % daemon.proc.pid, text,
                  re.MULTILINE)
    if not m:
        raise AssertionError("no nbaq_fleet_claims_total in /metrics")
    return int(m.group(1))


def pid_of(member):
    return int(member.rsplit(":", 1)[1])


class PingReceiver:
    """Records the time of every GET (the healthchecks.io-style ping)."""

    def __init__(self):
        self.times = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                receiver.times.append(time.monotonic())
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            def log_message(self, *args):
                pass

        self.server = nbaq_test.LoopbackHttpServer(Handler)

    def url(self):
        return self.server.url("/ping/key")

    def close(self):
        self.server.stop()


class FleetTest(unittest.TestCase):
    def start_fleet(self, url, hook_url):
        dirs = [temp_dir(self) for _ in range(3)]
        # The third member runs a config that differs (a comment): a
        # rolling change half done.
        texts = [fleet_config(url, hook_url)] * 2 + [
            fleet_config(url, hook_url, "# version 2\n")]
        daemons = [Daemon(d, t) for d, t in zip(dirs, texts)]
        for d in daemons:
            self.addCleanup(d.stop)
            d.wait_listening()
        return daemons

    def assert_dashboard_shows(self, daemon, dead_pid):
        """The page's fleet panel (headless Chromium): every member, the
        dead one not heartbeating."""
        browser = Browser()
        self.addCleanup(browser.close)
        browser.call("Runtime.enable")
        browser.call("Page.enable")
        browser.call("Page.navigate",
                     {"url": f"http://127.0.0.1:{daemon.port}/"})
        browser.wait_event("Page.loadEventFired")
        rows_js = ("[...document.querySelectorAll('#fleet tbody tr')]"
                   ".map(tr => [...tr.cells].map(c => c.textContent))")

        def rows():
            found = browser.evaluate(rows_js)
            return found if len(found) == 3 else None
        table = daemon.wait(rows, timeout=20, what="the fleet panel")
        states = {r[0].split(" ")[0]: r[1] for r in table}
        self.assertEqual(
            sorted(pid_of(m) for m, st in states.items()
                   if st == "not heartbeating"), [dead_pid], table)
        self.assertFalse(browser.evaluate(
            "document.getElementById('fleet-section').hidden"))

    def assert_runs_once_per_interval(self, runs, since_ms, until_ms):
        for check in CHECKS:
            starts = [s for s in runs[check] if since_ms <= s <= until_ms]
            gaps = [b - a for a, b in zip(starts, starts[1:])]
            # A run claimed twice would start twice in one slot.
            self.assertTrue(all(g >= INTERVAL_MS // 2 for g in gaps),
                            f"{check} ran twice in one interval: {starts}")
            slots = (until_ms - since_ms) // INTERVAL_MS
            self.assertGreaterEqual(len(starts), slots - 2, (check, starts))

    def test_fleet_shares_runs_survives_kill_and_hands_over(self):
        url = nbaq_test.pg_database(self, "nbaq_fleet_")
        with ct.Receiver() as receiver:
            started = time.monotonic()
            daemons = self.start_fleet(url, receiver.url("/hook"))
            by_pid = {d.proc.pid: d for d in daemons}
            t0 = int(time.time() * 1000)
            wait_for(lambda: all(len(v) >= 5
                                 for v in run_starts(url).values()),
                     timeout=20, what="five runs of every check")
            t1 = int(time.time() * 1000)
            self.assert_runs_once_per_interval(run_starts(url), t0, t1)

            # One view of the fleet from any member.
            status = daemons[1].status()["fleet"]
            self.assertTrue(status["shared"])
            self.assertEqual(sorted(m["pid"] for m in status["members"]
                                    if m["alive"]), sorted(by_pid))
            self.assertEqual(status["config_versions"], 2)
            self.assertEqual(
                [m["same_config"] for m in status["members"]
                 if m["pid"] == daemons[2].proc.pid], [False])
            checks = {c["check"]: c for c in status["checks"]}
            self.assertEqual(sorted(checks), sorted(CHECKS + [WATCHDOG]))
            for c in checks.values():
                self.assertIn(pid_of(c["last_member"]), by_pid)
            # Each member's own claims: together, every stored run once
            # (plus those still running when the counters were read), and
            # the watchdog's runs, which are not stored: one a second.
            stored_before = sum(len(v) for v in run_starts(url).values())
            claims = [claims_total(d) for d in daemons]
            stored_after = sum(len(v) for v in run_starts(url).values())
            watchdog_runs = int(time.monotonic() - started) + 1
            self.assertGreaterEqual(sum(claims), stored_before, claims)
            self.assertLessEqual(sum(claims),
                                 stored_after + len(CHECKS) + watchdog_runs,
                                 claims)

            # The failing check: one NEW notification, whoever ran it.
            wait_for(lambda: len(receiver.requests) >= 1, timeout=10,
                     what="the notification of the failing check")
            self.assertEqual(notified(receiver), [("broken", None, "new")])

            # kill -9 the member that ran `broken` last.
            victim_pid = pid_of(checks["broken"]["last_member"])
            victim = by_pid[victim_pid]
            victim.proc.kill()
            victim.proc.wait(timeout=10)
            killed_ms = int(time.time() * 1000)
            survivors = [d for d in daemons if d is not victim]
            wait_for(lambda: all(
                sum(s > killed_ms for s in v) >= 3
                for v in run_starts(url).values()),
                timeout=LEASE_MS / 1000 + 10, what="runs after the kill")
            runs = run_starts(url)
            for check in CHECKS:
                before = [s for s in runs[check] if s <= killed_ms]
                after = [s for s in runs[check] if s > killed_ms]
                self.assertLessEqual(after[0] - before[-1],
                                     INTERVAL_MS + LEASE_MS + SLACK_MS,
                                     f"{check} resumed too late: {runs[check]}")
            # From the run that took over (late in its slot when a lease
            # had to expire; the next slot may then follow closely), one
            # run per interval again.
            resumed = max(min(s for s in runs[c] if s > killed_ms)
                          for c in CHECKS)
            self.assert_runs_once_per_interval(runs, resumed + 1,
                                               int(time.time() * 1000))
            # A survivor's watchdog raises the dead member's alert, once,
            # through the lifecycle and the channel; the checks it held
            # were taken over in time: no stale alert.
            member_metric = None
            for m in status["members"]:
                if m["pid"] == victim_pid:
                    member_metric = "member:" + m["member"]
            wait_for(lambda: (WATCHDOG, member_metric, "new")
                     in notified(receiver), timeout=LEASE_MS / 1000 + 10,
                     what="the watchdog's alert for the killed member")
            sent = notified(receiver)
            self.assertEqual(sent.count(("broken", None, "new")), 1, sent)
            self.assertEqual(
                [n for n in sent if n[0] == WATCHDOG],
                [(WATCHDOG, member_metric, "new")])
            self.assertEqual(len([n for n in sent if n[0] == "broken"]), 1,
                             sent)
            # The survivors see the dead member: not alive, up 0.
            def dead_seen():
                fleet = survivors[0].status()["fleet"]
                return [m for m in fleet["members"]
                        if m["pid"] == victim_pid and not m["alive"]]
            survivors[0].wait(dead_seen, timeout=LEASE_MS / 1000 + 5,
                              what="the killed member seen as gone")
            self.assert_dashboard_shows(survivors[0], victim_pid)
            metrics = survivors[1].request("/metrics")[2].decode()
            self.assertRegex(metrics, r'nbaq_fleet_member_up\{monitor='
                             r'"fleet_demo",member="[^"]+:%d"\} 0'
                             % victim_pid)

            # SIGTERM hands over: exit 0, no lease left, marked stopped.
            leaving, last = survivors
            leaving.signal(signal.SIGTERM)
            self.assertEqual(leaving.wait_exit(30), 0)
            left_ms = int(time.time() * 1000)
            leases = psql(url, "SELECT count(*) FROM nbaq_fleet_schedule"
                               f" WHERE lease_owner LIKE '%:{leaving.proc.pid}'")
            self.assertEqual(leases, [["0"]])
            stopped = psql(url, "SELECT count(*) FROM nbaq_fleet_members"
                                " WHERE stopped_ms IS NOT NULL"
                                f" AND pid = {leaving.proc.pid}")
            self.assertEqual(stopped, [["1"]])
            last.wait(lambda: all(sum(s > left_ms for s in v) >= 2
                                  for v in run_starts(url).values()),
                      timeout=10, what="every check on the last member")
            runs = run_starts(url)
            for check in CHECKS:
                before = [s for s in runs[check] if s <= left_ms]
                after = [s for s in runs[check] if s > left_ms]
                # Released at once: no lease to wait for.
                self.assertLessEqual(after[0] - before[-1],
                                     INTERVAL_MS + SLACK_MS, runs[check])
            # A clean stop is no failure: no alert for that member; and
            # still one notification of the failing check.
            sent = notified(receiver)
            self.assertFalse([n for n in sent
                              if n[1] and n[1].endswith(
                                  ":%d" % leaving.proc.pid)], sent)
            self.assertEqual([n for n in sent if n[0] == "broken"],
                             [("broken", None, "new")])
            self.assertEqual([n for n in sent if n[0] == WATCHDOG],
                             [(WATCHDOG, member_metric, "new")])
            # The dead member's row removed once dealt with: resolved.
            psql(url, "DELETE FROM nbaq_fleet_members"
                      f" WHERE pid = {victim_pid}")
            wait_for(lambda: (WATCHDOG, member_metric, "resolved")
                     in notified(receiver), timeout=10,
                     what="the dead member's alert resolved")

    def test_every_member_shows_each_checks_last_result(self):
        """/api/status of any member lists the last result of each check,
        whichever member ran it, with that member's name."""
        url = nbaq_test.pg_database(self, "nbaq_fleet_results_")
        checks = (exec_check("ok_check", "echo 'fine|rows=7'; exit 0",
                             interval="1h") +
                  exec_check("bad_check", "echo broken; exit 2",
                             interval="1h"))
        text = (f"monitor: results_demo\nhistory:\n  url: \"{url}\"\n"
                "daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n"
                "  fleet: {lease: 2s}\n"
                # no watchdog round: the second member runs no round
                "  watchdog: {enabled: false}\n"
                "checks:\n" + checks)
        first = Daemon(temp_dir(self), text)
        self.addCleanup(first.stop)
        first.wait_listening()

        def results(daemon):
            found = {c["name"]: c for c in daemon.status()["checks"]
                     if c["status"]}
            return found if len(found) == 2 else None
        own = first.wait(lambda: results(first), timeout=20,
                         what="both checks run on the first member")
        member = first.status()["fleet"]["member"]
        # Each check runs once an hour: the first member ran both; the
        # second, started after, runs neither, yet shows both.
        second = Daemon(temp_dir(self), text)
        self.addCleanup(second.stop)
        second.wait_listening()
        shown = second.wait(lambda: results(second), timeout=20,
                            what="both checks on the second member")
        self.assertEqual(second.status()["daemon"]["rounds"], 0)
        for name, check in shown.items():
            self.assertEqual(check["member"], member, check)
            self.assertEqual(own[name]["member"], member)
            self.assertEqual(check["last_run_ms"], own[name]["last_run_ms"])
            self.assertEqual(check["status"], own[name]["status"])
        self.assertEqual(shown["bad_check"]["status"], "FAIL")
        self.assertEqual(shown["bad_check"]["message"], "broken")
        self.assertEqual(
            [(m["name"], m["value"]) for m in shown["ok_check"]["metrics"]],
            [("rows", 7)])

    def test_every_member_shows_the_fleets_open_alerts(self):
        """An alert opened by one member's round is open in the other
        member's /api/status and /metrics, read from the shared store,
        and resolves there when a round of the first resolves it."""
        url = nbaq_test.pg_database(self, "nbaq_fleet_alerts_")
        hold = os.path.join(temp_dir(self), "hold")
        open(hold, "w").close()
        receiver = ct.Receiver()
        receiver.__enter__()
        self.addCleanup(receiver.__exit__)
        hook = receiver.url("/hook")

        def text(interval):
            check = exec_check(
                "flaky", f"if [ -e {hold} ]; then echo down; exit 2; fi; "
                "echo up", interval=interval, extra="    severity: high\n")
            return (f"monitor: alerts_demo\nhistory:\n  url: \"{url}\"\n"
                    "daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n"
                    "  fleet: {lease: 2s}\n"
                    # no watchdog round: the second member runs no round
                    "  watchdog: {enabled: false}\n"
                    "checks:\n" + check + webhook_channel(hook))

        def open_alerts(daemon):
            return [(a["check"], a["state"], a["severity"], a["summary"])
                    for a in daemon.status()["alerts"]["active"]]

        def gauge_high(daemon):
            metrics = daemon.request("/metrics")[2].decode()
            found = re.search(r'^nbaq_alerts_open\{monitor="alerts_demo",'
                              r'severity="HIGH"\} (\S+)$', metrics, re.M)
            return float(found.group(1)) if found else None

        expected = [("flaky", "NEW", "HIGH", "FAIL: down")]
        # Once an hour: the first member runs the check; the second,
        # started after, waits for the next slot and runs nothing.
        first = Daemon(temp_dir(self), text("1h"))
        self.addCleanup(first.stop)
        first.wait_listening()
        first.wait(lambda: open_alerts(first) == expected, timeout=20,
                   what="the alert open on the first member")
        second = Daemon(temp_dir(self), text("1h"))
        self.addCleanup(second.stop)
        second.wait_listening()
        second.wait(lambda: open_alerts(second) == expected, timeout=20,
                    what="the first member's alert on the second")
        self.assertEqual(second.status()["alerts"]["counts"]["HIGH"], 1)
        self.assertEqual(gauge_high(second), 1)

        # The first member runs it every second from now on (its next
        # slot in the shared schedule made due), and it passes: resolved
        # there, and gone from the second member too.
        os.remove(hold)
        psql(url, "UPDATE nbaq_fleet_schedule SET next_slot_ms = 0"
                  " WHERE check_name = 'flaky'")
        write_file(first.directory, "monitor.yaml", text("1s"))
        first.signal(signal.SIGHUP)
        first.wait(lambda: open_alerts(first) == [], timeout=20,
                   what="the alert resolved on the first member")
        second.wait(lambda: open_alerts(second) == [], timeout=20,
                    what="the alert resolved on the second member")
        self.assertEqual(gauge_high(second), 0)
        self.assertEqual(second.status()["daemon"]["rounds"], 0)
        self.assertEqual(second.stop(), 0)
        self.assertEqual(first.stop(), 0)
        self.assertEqual(notified(receiver), [("flaky", None, "new"),
                                              ("flaky", None, "resolved")])

    def test_sqlite_second_daemon_refused_and_heartbeat_pings(self):
        directory = temp_dir(self)
        pings = PingReceiver()
        self.addCleanup(pings.close)
        text = ("monitor: solo\nhistory:\n  url: history.db\n"
                "daemon:\n  listen: 127.0.0.1:0\n"
                f"  heartbeat:\n    url: \"{pings.url()}\"\n"
                "    interval: 1s\nchecks:\n" +
                exec_check("alpha", "echo ok; exit 0"))
        first = Daemon(directory, text)
        self.addCleanup(first.stop)
        first.wait_listening()
        # A ping each interval: four within a little over three seconds.
        first.wait(lambda: len(pings.times) >= 4, timeout=10,
                   what="four heartbeat pings")
        # Alone, results are this daemon's: no member is named.
        self.assertEqual([c["member"] for c in first.status()["checks"]],
                         [None])
        gaps = [b - a for a, b in zip(pings.times, pings.times[1:])]
        self.assertTrue(all(g >= 0.5 for g in gaps), gaps)
        # The ping URL is a secret: never in the log.
        self.assertFalse([line for line in first.log() if "/ping/key" in line])

        second = Daemon(directory, text)
        self.addCleanup(second.stop)
        self.assertEqual(second.wait_exit(15), 3)
        second.stop()  # joins its log reader: every line is in
        message = "\n".join(second.log())
        self.assertIn("is used by another nbaq daemon (pid %d"
                      % first.proc.pid, message)
        self.assertIn("use a postgresql:// history for a fleet", message)
        # The first one goes on.
        count = len(pings.times)
        first.wait(lambda: len(pings.times) > count, timeout=5,
                   what="pings after the refusal")
        self.assertEqual(first.stop(), 0)

    def test_watchdog_alert_always_fires_in_alertmanager(self):
        base = nbaq_test.service_env("alertmanager")[
            "NBAQ_TEST_ALERTMANAGER_URL"]
        monitor = "wd_" + uuid.uuid4().hex[:12]  # ours alone on the server
        text = (f"monitor: {monitor}\n"
                "daemon:\n  listen: 127.0.0.1:0\n"
                f"  heartbeat:\n    alertmanager: \"{base}\"\n"
                "    interval: 1s\nchecks:\n" +
                exec_check("alpha", "echo ok; exit 0"))
        daemon = Daemon(temp_dir(self), text)
        self.addCleanup(daemon.stop)
        daemon.wait_listening()

        def watchdog():
            query = urllib.parse.urlencode(
                {"filter": f'monitor="{monitor}"'})
            with urllib.request.urlopen(f"{base}/api/v2/alerts?{query}",
                                        timeout=10) as r:
                alerts = [a for a in json.load(r)
                          if a["labels"]["alertname"] == "Watchdog"]
            return alerts[0] if alerts else None
        first = daemon.wait(watchdog, timeout=10, what="the Watchdog alert")
        self.assertEqual(first["status"]["state"], "active")
        self.assertEqual(first["labels"]["severity"], "none")
        self.assertEqual(first["labels"]["member"].rsplit(":", 1)[1],
                         str(daemon.proc.pid))
        # It ends on its own three intervals after the last post, unless
        # renewed: each post moves endsAt on.
        ends = parse_time(first["endsAt"])
        self.assertLessEqual(ends - time.time(), 3 * 1 + 1)
        renewed = daemon.wait(
            lambda: (lambda a: a if a and parse_time(a["endsAt"]) > ends
                     else None)(watchdog()),
            timeout=10, what="the Watchdog alert renewed")
        self.assertEqual(renewed["status"]["state"], "active")
        self.assertEqual(daemon.stop(), 0)


def parse_time(text):
    """Alertmanager's RFC 3339 time as epoch seconds."""
    return datetime.datetime.fromisoformat(
        text.replace("Z", "+00:00")).timestamp()


if __name__ == "__main__":
    unittest.main(verbosity=2)
