"""nbaq-host --daemon: the schedule, reloads, stopping, readiness.

Every expectation comes from the config the test writes (intervals,
timeouts, what each check prints), read back from the SQLite history store
with Python's own sqlite3 and from /api/status.
"""
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import time
import unittest

from daemon_support import (HOST, PLUGIN_DIR, SOURCE_DIR, TEST_PLUGIN_DIR, Daemon,
                            check_runs, exec_check, temp_dir, wait_for,
                            write_file)


def header(db="history.db", workers=8, extra=""):
    return (f"monitor: sched\nworkers: {workers}\nhistory:\n  url: {db}\n"
            f"daemon:\n  listen: 127.0.0.1:0\n  jitter: 0.1\n{extra}checks:\n")


def diffs(rows):
    return [(b[0] - a[0]) / 1000.0 for a, b in zip(rows, rows[1:])]


class ScheduleTest(unittest.TestCase):
    def test_each_check_keeps_its_own_interval_and_never_overlaps(self):
        d = temp_dir(self)
        db = os.path.join(d, "history.db")
        yaml = header() + \
            exec_check("fast", "echo 'fast ok|n=1'", "1s") + \
            exec_check("every2", "echo 'two ok|n=2'", "2s") + \
            exec_check("slow", "sleep 1.5; echo 'slow ok|n=3'", "1s") + \
            exec_check("off", "echo never", "1s", extra="    enabled: false\n")
        daemon = Daemon(d, yaml)
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        wait_for(lambda: len(check_runs(db, "fast")) >= 7 and
                 len(check_runs(db, "every2")) >= 4 and
                 len(check_runs(db, "slow")) >= 4,
                 timeout=30, what="7 runs of fast, 4 of every2 and slow")

        # 1 s apart, each start up to 10% late (jitter); the margins leave
        # room for a loaded machine (fork and exec of sh), not for a wrong
        # interval: 0.5 s or 2 s gaps would fail.
        fast = diffs(check_runs(db, "fast"))
        for gap in fast:
            self.assertGreaterEqual(gap, 0.6, fast)
            self.assertLessEqual(gap, 1.9, fast)
        self.assertTrue(0.9 <= statistics.mean(fast) <= 1.35, fast)
        every2 = diffs(check_runs(db, "every2"))
        for gap in every2:
            self.assertGreaterEqual(gap, 1.6, every2)
            self.assertLessEqual(gap, 3.2, every2)

        slow = check_runs(db, "slow")
        for prev, nxt in zip(slow, slow[1:]):
            self.assertGreaterEqual(prev[1], 1400)  # it did sleep 1.5 s
            # never overlapping: the next run starts after this one ended
            self.assertGreaterEqual(nxt[0], prev[0] + prev[1], slow)
        self.assertEqual(check_runs(db, "off"), [])

        st = daemon.status()
        by_name = {c["name"]: c for c in st["checks"]}
        self.assertEqual(sorted(by_name), ["every2", "fast", "slow"])
        self.assertEqual(by_name["fast"]["interval_ms"], 1000)
        self.assertEqual(by_name["every2"]["interval_ms"], 2000)
        self.assertEqual(by_name["fast"]["status"], "PASS")
        self.assertEqual(by_name["fast"]["message"], "fast ok")
        self.assertEqual(by_name["fast"]["metrics"][0]["name"], "n")
        self.assertEqual(by_name["fast"]["metrics"][0]["value"], 1)
        stored = check_runs(db, "fast")
        self.assertGreaterEqual(by_name["fast"]["last_run_ms"], stored[-2][0])
        self.assertEqual(daemon.stop(), 0)


class ReloadTest(unittest.TestCase):
    def test_good_config_applies_and_broken_one_is_rejected(self):
        d = temp_dir(self)
        db = os.path.join(d, "history.db")
        daemon = Daemon(d, header() + exec_check("a", "echo 'a ok|x=1'", "1s"))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        wait_for(lambda: (daemon.check("a") or {}).get("runs", 0) >= 1,
                 what="a first run of a")

        # A good config: a new check b, and a runs every 2 s now.
        write_file(d, "monitor.yaml", header() +
                   exec_check("a", "echo 'a ok|x=1'", "2s") +
                   exec_check("b", "echo 'b ok|y=2'", "1s"))
        mark = len(daemon.log())
        daemon.signal(signal.SIGHUP)
        daemon.wait_log(r"configuration reloaded: 2 checks", after=mark)
        wait_for(lambda: (daemon.check("b") or {}).get("runs", 0) >= 2,
                 what="two runs of the new check b")
        st = daemon.status()
        self.assertEqual(st["daemon"]["reloads"], 1)
        self.assertTrue(st["daemon"]["last_reload"]["ok"])
        self.assertEqual(daemon.check("a")["interval_ms"], 2000)
        self.assertEqual(daemon.check("b")["metrics"][0]["value"], 2)

        # A broken one: a typo in a key; then a plugin that does not exist.
        write_file(d, "monitor.yaml", header() +
                   exec_check("a", "echo a", "2s").replace("interval:",
                                                           "intervall:"))
        mark = len(daemon.log())
        daemon.signal(signal.SIGHUP)
        m = daemon.wait_log(r"reload rejected, the running configuration "
                            r"stays: (.*)", after=mark)
        self.assertIn("unknown key 'intervall'", m.group(1))
        self.assertIn("did you mean 'interval'", m.group(1))
        st = daemon.status()
        self.assertEqual(st["daemon"]["reload_failures"], 1)
        self.assertFalse(st["daemon"]["last_reload"]["ok"])
        self.assertIn("intervall", st["daemon"]["last_reload"]["error"])
        status, _, metrics = daemon.request("/metrics")
        self.assertEqual(status, 200)
        self.assertIn(b'nbaq_daemon_config_last_reload_successful'
                      b'{monitor="sched"} 0\n', metrics)

        write_file(d, "monitor.yaml", header() +
                   "  - name: c\n    plugin: no_such_plugin\n")
        mark = len(daemon.log())
        daemon.signal(signal.SIGHUP)
        m = daemon.wait_log(r"reload rejected.*: (.*)", after=mark)
        self.assertIn("no_such_plugin", m.group(1))

        # The old configuration runs on: b keeps running, c never appears.
        runs_b = len(check_runs(db, "b"))
        wait_for(lambda: len(check_runs(db, "b")) >= runs_b + 2,
                 what="b running on after the rejected reloads")
        self.assertEqual(sorted(c["name"] for c in daemon.status()["checks"]),
                         ["a", "b"])
        self.assertEqual(daemon.status()["daemon"]["reload_failures"], 2)
        self.assertIsNone(daemon.proc.poll())
        self.assertEqual(daemon.stop(), 0)


class StopTest(unittest.TestCase):
    def start_in_flight(self, script, timeout):
        """script: a shell script for exec, or None for a check that hangs
        until the host kills it (tp_misbehave of tests/integration)."""
        d = temp_dir(self)
        db = os.path.join(d, "history.db")
        extra = f"    timeout: {timeout}\n"
        if script is None:
            check = ("  - name: inflight\n    plugin: tp_misbehave\n"
                     "    interval: 1s\n" + extra +
                     "    options: {mode: hang}\n")
        else:
            check = exec_check("inflight", script, "1s", extra=extra)
        dirs = f"plugin_dirs: [{PLUGIN_DIR}, {TEST_PLUGIN_DIR}]\n"
        daemon = Daemon(d, dirs + header() + check)
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        wait_for(lambda: (daemon.check("inflight") or {}).get("running"),
                 what="the check running")
        return daemon, db

    def assert_store_consistent(self, db):
        conn = sqlite3.connect(db)
        try:
            self.assertEqual(conn.execute("PRAGMA integrity_check").fetchone(),
                             ("ok",))
            orphans = conn.execute(
                "SELECT count(*) FROM nbaq_runs r WHERE NOT EXISTS "
                "(SELECT 1 FROM nbaq_check_results c WHERE c.run = r.id)"
            ).fetchone()[0]
            self.assertEqual(orphans, 0)
        finally:
            conn.close()

    def test_sigterm_lets_the_running_check_finish(self):
        daemon, db = self.start_in_flight("sleep 2; echo 'done|slept=2'", "20s")
        # The runs before this one are saved (a check never overlaps its
        # previous run); this one is not yet.
        saved_before = len(check_runs(db, "inflight"))
        daemon.signal(signal.SIGTERM)
        # While it drains, /healthz says so, and no new round starts.
        status, _, body = daemon.request("/healthz")
        self.assertEqual((status, body), (503, b'{"status":"stopping"}'))
        self.assertEqual(daemon.wait_exit(timeout=20), 0)
        runs = check_runs(db, "inflight")
        # The one in flight finished and was saved; none started after it.
        self.assertEqual(len(runs), saved_before + 1)
        last = runs[-1]
        self.assertEqual(last[2:], ("PASS", "done"))
        self.assertGreaterEqual(last[1], 1500)
        self.assert_store_consistent(db)
        self.assertTrue(any("stopped after" in line for line in daemon.log()))

    def test_sigterm_waits_for_the_check_timeout(self):
        daemon, db = self.start_in_flight(None, "2s")
        began = time.monotonic()
        daemon.signal(signal.SIGTERM)
        self.assertEqual(daemon.wait_exit(timeout=20), 0)
        self.assertLess(time.monotonic() - began, 10)
        last = check_runs(db, "inflight")[-1]
        self.assertEqual(last[2:], ("ERROR", "timed out after 2s"))
        self.assert_store_consistent(db)

    def test_second_sigterm_interrupts_the_running_check(self):
        daemon, db = self.start_in_flight(None, "50s")
        daemon.signal(signal.SIGTERM)
        daemon.wait_log(r"SIGTERM: stopping when the running rounds")
        daemon.signal(signal.SIGTERM)
        began = time.monotonic()
        self.assertEqual(daemon.wait_exit(timeout=20), 3)
        self.assertLess(time.monotonic() - began, 10)
        last = check_runs(db, "inflight")[-1]
        self.assertEqual(last[2:], ("ERROR", "interrupted"))
        self.assert_store_consistent(db)


class ReadinessTest(unittest.TestCase):
    def test_systemd_notifications(self):
        d = temp_dir(self)
        path = os.path.join(d, "notify.sock")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind(path)
        sock.settimeout(15)
        daemon = Daemon(d, header() + exec_check("a", "echo ok", "1s"),
                        env={"NOTIFY_SOCKET": path})
        self.addCleanup(daemon.stop)
        ready = sock.recv(4096).decode()
        self.assertIn("READY=1", ready.splitlines())
        port = daemon.wait_listening()
        self.assertIn(f"STATUS=listening on 127.0.0.1:{port}", ready)
        daemon.signal(signal.SIGHUP)
        self.assertEqual(sock.recv(4096), b"RELOADING=1")
        self.assertEqual(sock.recv(4096), b"READY=1")
        daemon.signal(signal.SIGTERM)
        self.assertEqual(sock.recv(4096), b"STOPPING=1")
        self.assertEqual(daemon.wait_exit(), 0)


class CommandLineTest(unittest.TestCase):
    def run_host(self, yaml, *args):
        d = temp_dir(self)
        path = write_file(d, "monitor.yaml", yaml)
        return subprocess.run([HOST, "-c", path, *args], capture_output=True,
                              text=True, timeout=30)

    def test_usage_errors(self):
        yaml = header() + exec_check("a", "echo ok")
        r = self.run_host(yaml, "--daemon", "--only", "a")
        self.assertEqual(r.returncode, 64, r.stderr)
        self.assertIn("--daemon runs every enabled check", r.stderr)
        r = self.run_host(yaml, "--daemon", "history")
        self.assertEqual(r.returncode, 64, r.stderr)

    def test_config_errors(self):
        r = self.run_host(header().replace("127.0.0.1:0", "localhost") +
                          exec_check("a", "echo ok"), "--daemon")
        self.assertEqual(r.returncode, 78)
        self.assertIn("daemon: 'listen' expected host:port", r.stderr)
        r = self.run_host(header() + exec_check("a", "echo ok", "500ms"),
                          "--daemon")
        self.assertEqual(r.returncode, 78)
        self.assertIn("'interval' must be at least 1s", r.stderr)
        r = self.run_host(header(extra="  jiter: 0.2\n") +
                          exec_check("a", "echo ok"), "--daemon")
        self.assertEqual(r.returncode, 78)
        self.assertIn("unknown key 'jiter' in daemon (did you mean 'jitter'?)",
                      r.stderr)
        r = self.run_host(header(extra="  token: two words\n") +
                          exec_check("a", "echo ok"), "--check-config")
        self.assertEqual(r.returncode, 78)
        self.assertIn("'token' may hold visible ASCII", r.stderr)
        self.assertNotIn("two words", r.stderr)

    def test_the_bundled_daemon_example_is_valid(self):
        path = os.path.join(SOURCE_DIR, "config", "daemon.yaml")
        r = subprocess.run([HOST, "-c", path, "--check-config"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("(3 checks, 1 reporters)", r.stdout)

    def test_busy_port_is_a_start_failure(self):
        busy = socket.socket()
        self.addCleanup(busy.close)
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = self.run_host(header().replace("127.0.0.1:0", f"127.0.0.1:{port}")
                          + exec_check("a", "echo ok"), "--daemon")
        self.assertEqual(r.returncode, 3)
        self.assertIn(f"cannot listen on 127.0.0.1:{port}", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
