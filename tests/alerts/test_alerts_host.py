"""The alert lifecycle in the real nbaq-host, over several runs, with the
webhook channel POSTing to tests/channels' HTTP receiver.

Every run is its own nbaq-host process: what a run knows of earlier ones
comes from the history store (SQLite in a temporary directory; one
scenario on the ctest PostgreSQL fixture). The check is an `exec` command
whose exit code the test sets between runs (2 fails, 0 passes).
"""
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "channels"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import channel_test as ct  # noqa: E402  (the receiver, reused)
import nbaq_test  # noqa: E402

SANITIZER_MARKERS = ct.SANITIZER_MARKERS


def config_text(store_url, escalate_after_runs=0):
    escalate = (f"  escalate:\n    after_runs: {escalate_after_runs}\n"
                if escalate_after_runs else "")
    return f"""\
monitor: alerts_scenario
history:
  url: "{store_url}"
checks:
  - name: orders
    plugin: exec
    severity: high
    options:
      command: [/bin/sh, -c, "echo orders broken; exit $(cat code)"]
      cwd: .
reporters:
  - name: report
    plugin: json
    options:
      output: run.json
  - name: ops_webhook
    plugin: webhook
    options:
      url: ${{HOOK_URL}}
      hmac_secret: SECRETKEY
      retries: 0
      timeout: 5s
alerts:
{escalate}  routes:
    - channel: ops_webhook
"""


class Scenario:
    """A monitor in a temporary directory and its runs."""

    def __init__(self, test, store_url="history.db", escalate_after_runs=0):
        self.test = test
        self.dir = nbaq_test.temp_dir(test)
        self.config = nbaq_test.write_file(
            self.dir, "monitor.yaml",
            config_text(store_url, escalate_after_runs))

    def set_check(self, code):
        nbaq_test.write_file(self.dir, "code", f"{code}\n")

    def env(self, hook_url, **extra):
        env = {"HOOK_URL": hook_url, "TMPDIR": self.dir}
        env.update(extra)
        return env

    def run(self, hook_url, **extra):
        result = nbaq_test.run_host("--plugin-dir", nbaq_test.PLUGIN_DIR,
                                    "-c", self.config,
                                    env=self.env(hook_url, **extra),
                                    cwd=self.dir)
        self.check_output(result.stdout + result.stderr)
        return result

    def start(self, hook_url, **extra):
        """The host as a child process, for a test that kills it."""
        full = dict(os.environ)
        full.update(self.env(hook_url, **extra))
        return subprocess.Popen(
            [nbaq_test.HOST, "--plugin-dir", nbaq_test.PLUGIN_DIR, "-c",
             self.config], cwd=self.dir, env=full, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)

    def check_output(self, text):
        for marker in SANITIZER_MARKERS:
            self.test.assertNotIn(marker, text)
        self.test.assertNotIn("SECRETKEY", text)

    def report(self):
        with open(os.path.join(self.dir, "run.json")) as f:
            return json.load(f)

    def alerts(self, *args):
        # The config's ${HOOK_URL} must be set, though `alerts` sends
        # nothing.
        return nbaq_test.run_host("-c", self.config, "alerts", *args,
                                  env={"HOOK_URL": "http://unused/"},
                                  cwd=self.dir)


def sent(request):
    """(check, state, severity) of every alert of one webhook POST."""
    payload = request.json()
    return [(a["check"], a["state"], a["severity"])
            for group in payload["groups"] for a in group["alerts"]]


def hold_answers(receiver):
    """Makes receiver hold every answer (the request is recorded at once)
    until the returned event is set (or 30 s have passed)."""
    gate = threading.Event()
    server = receiver.http.server
    base = server.RequestHandlerClass

    class Held(base):
        def send_response(self, *args, **kwargs):
            gate.wait(30)
            super().send_response(*args, **kwargs)

    server.RequestHandlerClass = Held
    return gate


def report_alerts(report):
    """(check, state, severity, notify) of the json report's alerts (the
    report writes severities in capitals)."""
    return [(a["check"], a["state"], a["severity"], a["notify"])
            for a in report["alerts"]]


class AlertScenarioTest(unittest.TestCase):
    def expect_posts(self, receiver, before, expected):
        """The receiver got exactly the POSTs `expected` since `before`."""
        got = [sent(r) for r in receiver.requests[before:]]
        self.assertEqual(got, expected)
        return len(receiver.requests)

    def lifecycle(self, store_url):
        s = Scenario(self, store_url, escalate_after_runs=3)
        with ct.Receiver() as receiver:
            url = receiver.url("/hook")
            seen = 0
            # 1. It fails: one notification, NEW, high.
            s.set_check(2)
            result = s.run(url)
            self.assertEqual(result.returncode, 2, result.stderr)
            seen = self.expect_posts(receiver, seen,
                                     [[("orders", "new", "high")]])
            body = receiver.requests[0].body
            mac = hmac.new(b"SECRETKEY", body, hashlib.sha256).hexdigest()
            self.assertEqual(receiver.requests[0].headers["X-Nbaq-Signature"],
                             "sha256=" + mac)
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "new", "HIGH", True)])
            summary = s.report()["alerts"][0]["summary"]
            self.assertEqual(summary, "FAIL: orders broken")
            # 2. It fails again: nothing sent (repeat interval 4h). Each
            # run is a new process: the restart remembers.
            result = s.run(url)
            self.assertEqual(result.returncode, 2, result.stderr)
            seen = self.expect_posts(receiver, seen, [])
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "firing", "HIGH", False)])
            # 3. The third consecutive failure escalates: one, critical.
            result = s.run(url)
            seen = self.expect_posts(receiver, seen,
                                     [[("orders", "escalated", "critical")]])
            # 4. Restart again, still failing: nothing twice.
            result = s.run(url)
            seen = self.expect_posts(receiver, seen, [])
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "firing", "CRITICAL", False)])
            # 5. It passes: one, resolved, with how long it lasted.
            s.set_check(0)
            result = s.run(url)
            self.assertEqual(result.returncode, 0, result.stderr)
            seen = self.expect_posts(receiver, seen,
                                     [[("orders", "resolved", "critical")]])
            resolved = receiver.requests[-1].json()["groups"][0]["alerts"][0]
            self.assertIn("duration_seconds", resolved)
            self.assertGreaterEqual(resolved["duration_seconds"], 0)
            # 6. Passing again: nothing, and no alert in the report.
            result = s.run(url)
            seen = self.expect_posts(receiver, seen, [])
            self.assertEqual(s.report()["alerts"], [])

    def test_fail_repeat_escalate_resolve_across_restarts(self):
        self.lifecycle("history.db")

    def test_same_lifecycle_on_postgresql(self):
        base = nbaq_test.service_env("postgres")["NBAQ_TEST_PG_URL"]
        name = f"nbaq_alerts_{os.getpid()}"
        admin = subprocess.run(
            [os.path.join(nbaq_test.service_env("postgres")
                          ["NBAQ_TEST_PG_BINDIR"], "psql"), base, "-qc",
             f"CREATE DATABASE {name}"], capture_output=True, text=True)
        self.assertEqual(admin.returncode, 0, admin.stderr)
        self.addCleanup(subprocess.run, [
            os.path.join(nbaq_test.service_env("postgres")
                         ["NBAQ_TEST_PG_BINDIR"], "psql"), base, "-qc",
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
            capture_output=True)
        self.lifecycle(base.rsplit("/", 1)[0] + "/" + name)

    def test_receiver_down_for_a_run_gets_it_on_the_next(self):
        s = Scenario(self)
        s.set_check(2)
        down = ct.refused_port()
        result = s.run(f"http://127.0.0.1:{down}/hook")
        # The check FAILs (2) but a notification was lost: 3.
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn("reporter 'ops_webhook' failed", result.stderr)
        entry = [c for c in s.report()["checks"]
                 if c["name"] == "channel:ops_webhook"]
        self.assertEqual(len(entry), 1, s.report()["checks"])
        self.assertEqual(entry[0]["status"], "ERROR")
        self.assertIn("1 notification not delivered", entry[0]["message"])
        self.assertEqual(s.report()["status"], "ERROR")
        outbox = json.loads(s.alerts("outbox", "--json").stdout)["outbox"]
        self.assertEqual([(o["channel"], o["state"], o["attempts"])
                          for o in outbox], [("ops_webhook", "new", 1)])
        with ct.Receiver() as receiver:
            # Back: the NEW of the run before arrives, once.
            result = s.run(receiver.url("/hook"))
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "new", "high")]])
            self.assertNotIn("channel:ops_webhook",
                             [c["name"] for c in s.report()["checks"]])
            result = s.run(receiver.url("/hook"))
            self.assertEqual(len(receiver.requests), 1)
        outbox = json.loads(s.alerts("outbox", "--json").stdout)["outbox"]
        self.assertEqual(outbox, [])

    @unittest.skipUnless(os.environ.get("NBAQ_TEST_HOOKS") == "ON",
                         "needs a host built with -DNBAQ_TEST_HOOKS=ON")
    def test_killed_after_the_outbox_commit_sends_on_next_run(self):
        s = Scenario(self)
        s.set_check(2)
        with ct.Receiver() as receiver:
            url = receiver.url("/hook")
            # The test hook kills the host right after the lifecycle and
            # its outbox rows are committed, before any reporter runs.
            result = s.run(url, NBAQ_TEST_CRASH_AT="outbox")
            self.assertEqual(result.returncode, -signal.SIGKILL,
                             result.stderr)
            self.assertEqual(receiver.requests, [])
            # The next run sends it: NEW, once, though the alert is
            # FIRING by now.
            result = s.run(url)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "new", "high")]])
            result = s.run(url)
            self.assertEqual(len(receiver.requests), 1)

    def test_killed_during_the_send_resends_once(self):
        s = Scenario(self)
        s.set_check(2)
        with ct.Receiver() as receiver:
            # Hold every answer until the host is dead: the POST arrives
            # but the host never learns that it did.
            gate = hold_answers(receiver)
            url = receiver.url("/hook")
            host = s.start(url)
            ct.wait_for(lambda: len(receiver.requests) == 1, timeout=60,
                        what="the first POST")
            host.kill()
            host.communicate(timeout=60)
            gate.set()
            # The one duplicate a crash may cause: the next run sends the
            # notification again, then never more.
            result = s.run(url)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "new", "high")]] * 2)
            result = s.run(url)
            self.assertEqual(len(receiver.requests), 2)

    def test_a_run_during_a_delivery_does_not_send_it_too(self):
        # Two overlapping runs on one SQLite store (as a daemon's rounds
        # are): the first holds its POST until released; the second runs
        # from start to end meanwhile and leaves the claimed row alone.
        s = Scenario(self)
        s.set_check(2)
        with ct.Receiver() as receiver:
            gate = hold_answers(receiver)
            self.addCleanup(gate.set)
            url = receiver.url("/hook")
            first = s.start(url)
            ct.wait_for(lambda: len(receiver.requests) == 1, timeout=60,
                        what="the first run's POST")
            second = s.run(url)
            self.assertEqual(second.returncode, 2, second.stderr)
            self.assertEqual(len(receiver.requests), 1)
            gate.set()
            out, errors = first.communicate(timeout=60)
            self.assertEqual(first.returncode, 2, errors)
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "new", "high")]])
            result = s.run(url)
            self.assertEqual(len(receiver.requests), 1)
        outbox = json.loads(s.alerts("outbox", "--json").stdout)["outbox"]
        self.assertEqual(outbox, [])

    def test_silenced_check_is_not_notified(self):
        s = Scenario(self)
        s.set_check(2)
        result = s.alerts("silence", "--check", "orders", "--until", "2h",
                          "--comment", "deploy")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("silenced every alert of check 'orders' until",
                      result.stdout)
        with ct.Receiver() as receiver:
            result = s.run(receiver.url("/hook"))
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual(receiver.requests, [])
            alert = s.report()["alerts"][0]
            self.assertEqual((alert["state"], alert["notify"]),
                             ("silenced", False))
            self.assertIsNotNone(alert["silenced_until"])
            # Unsilenced: the channel never heard of it, so it does now.
            result = s.alerts("unsilence", "--check", "orders")
            self.assertEqual(result.stdout, "1 active silence ended\n")
            result = s.run(receiver.url("/hook"))
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "firing", "high")]])

    def test_warning_then_fail_is_notified_once_as_escalated(self):
        # exec's nagios codes: 1 WARNING, 2 FAIL. The check is declared
        # high: WARNING maps to medium, FAIL to high (the defaults of
        # alerts.severity_from_status).
        s = Scenario(self)
        with ct.Receiver() as receiver:
            url = receiver.url("/hook")
            s.set_check(1)
            s.run(url)
            seen = self.expect_posts(receiver, 0,
                                     [[("orders", "new", "medium")]])
            s.set_check(2)
            s.run(url)
            seen = self.expect_posts(receiver, seen,
                                     [[("orders", "escalated", "high")]])
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "escalated", "HIGH", True)])
            s.run(url)
            seen = self.expect_posts(receiver, seen, [])
            # FAIL -> WARNING: lowered in the report, nobody paged.
            s.set_check(1)
            s.run(url)
            seen = self.expect_posts(receiver, seen, [])
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "firing", "MEDIUM", False)])
            listed = json.loads(s.alerts("list", "--json").stdout)["alerts"]
            self.assertEqual([(a["severity"], a["state"]) for a in listed],
                             [("medium", "firing")])

    def test_alternating_check_is_damped_after_two_notifications(self):
        s = Scenario(self)
        with ct.Receiver() as receiver:
            url = receiver.url("/hook")
            for run in range(10):
                s.set_check(2 if run % 2 == 0 else 0)
                s.run(url)
            # Ten runs F P F P ...: opened, resolved, then the second
            # short failure starts flapping (one notice); nothing after.
            self.assertEqual([sent(r) for r in receiver.requests], [
                [("orders", "new", "high")],
                [("orders", "resolved", "high")],
                [("orders", "flapping", "high")],
            ])
            self.assertEqual(report_alerts(s.report()),
                             [("orders", "flapping", "HIGH", False)])
            # The alternation stops on a lasting failure: three failing
            # runs (flapping.settle) and it is notified again.
            s.set_check(2)
            for _ in range(3):
                s.run(url)
            self.assertEqual([sent(r) for r in receiver.requests[3:]],
                             [[("orders", "firing", "high")]])


if __name__ == "__main__":
    unittest.main(verbosity=2)
