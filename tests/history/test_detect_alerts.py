#!/usr/bin/env python3
"""What a level shift does to the alerts, end to end: the real nbaq-host
at chosen hourly times (NBAQ_NOW), an `exec` check printing a number the
test sets, the anomaly rule, and the webhook channel POSTing to the HTTP
receiver of tests/channels on 127.0.0.1. The store is SQLite.

- A lasting drop: one notification while it lasts, one when it recovers.
- An accepted new level: resolved, and not re-opened by the same value.
"""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "channels"))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import channel_test as ct  # noqa: E402  (the receiver, reused)
import nbaq_test  # noqa: E402

HOUR_MS = 3600 * 1000
T0_MS = 1767225600000  # 2026-01-01T00:00:00Z
MIN_HISTORY = 5

CONFIG = """\
monitor: level
history:
  url: history.db
checks:
  - name: orders
    plugin: exec
    severity: high
    options:
      command: [/bin/sh, -c, "cat value"]
      cwd: .
      mode: number
      metric: rows
    thresholds:
      rows:
        anomaly: {min_history: 5, seasonal: none, status_below: fail}
reporters:
  - name: report
    plugin: json
    options:
      output: run.json
  - name: ops_webhook
    plugin: webhook
    options:
      url: ${HOOK_URL}
      retries: 0
      timeout: 5s
alerts:
  routes:
    - channel: ops_webhook
"""


def sent(request):
    """(check, metric, state) of every alert of one webhook POST."""
    payload = request.json()
    return [(a["check"], a.get("metric", ""), a["state"])
            for group in payload["groups"] for a in group["alerts"]]


class LevelShiftAlerts(unittest.TestCase):
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)
        self.config = nbaq_test.write_file(self.dir, "monitor.yaml", CONFIG)
        self.hour = 0
        self.seen = 0

    def host(self, *args, at_ms, hook="http://unused/"):
        result = nbaq_test.run_host(
            "--plugin-dir", nbaq_test.PLUGIN_DIR, "-c", self.config, *args,
            env={"HOOK_URL": hook, "NBAQ_NOW": str(at_ms)}, cwd=self.dir)
        for marker in ct.SANITIZER_MARKERS:
            self.assertNotIn(marker, result.stdout + result.stderr)
        return result

    def run_value(self, receiver, value, code):
        """One hourly run printing value; returns the rows metric."""
        nbaq_test.write_file(self.dir, "value", f"{value}\n")
        self.now = T0_MS + self.hour * HOUR_MS
        self.hour += 1
        result = self.host(at_ms=self.now, hook=receiver.url("/hook"))
        self.assertEqual(result.returncode, code, result.stderr)
        with open(os.path.join(self.dir, "run.json")) as f:
            report = json.load(f)
        return report["checks"][0]["metrics"][0]

    def posts_since(self, receiver):
        got = [sent(r) for r in receiver.requests[self.seen:]]
        self.seen = len(receiver.requests)
        return got

    def steady(self, receiver):
        for _ in range(MIN_HISTORY + 1):
            self.run_value(receiver, 1000, 0)
        self.assertEqual(self.posts_since(receiver), [])

    def test_lasting_drop_notifies_once_then_once_on_recovery(self):
        with ct.Receiver() as receiver:
            self.steady(receiver)
            rows = self.run_value(receiver, 600, 2)
            self.assertEqual(rows["status"], "FAIL")
            self.assertEqual(self.posts_since(receiver),
                             [[("orders", "rows", "new")]])
            # Still 600 for two more hours: open, nothing sent again.
            for _ in range(2):
                rows = self.run_value(receiver, 600, 2)
                self.assertEqual(rows["evidence"]["state"], "open")
                self.assertEqual(self.posts_since(receiver), [])
            # Back to 1000: one notification, resolved.
            rows = self.run_value(receiver, 1000, 0)
            self.assertEqual(rows["status"], "PASS")
            self.assertEqual(self.posts_since(receiver),
                             [[("orders", "rows", "resolved")]])
            self.run_value(receiver, 1000, 0)
            self.assertEqual(self.posts_since(receiver), [])

    def test_accepted_level_resolves_and_does_not_reopen(self):
        with ct.Receiver() as receiver:
            self.steady(receiver)
            self.run_value(receiver, 600, 2)
            self.run_value(receiver, 600, 2)
            self.assertEqual(self.posts_since(receiver),
                             [[("orders", "rows", "new")]])
            accept = self.host("history", "accept", "--check", "orders",
                               "--metric", "rows", "--by", "oncall",
                               at_ms=self.now + HOUR_MS // 2)
            self.assertEqual(accept.returncode, 0, accept.stderr)
            # The same 600: the alert resolves, once.
            rows = self.run_value(receiver, 600, 0)
            self.assertEqual(rows["status"], "PASS")
            self.assertIsNotNone(rows["evidence"]["accepted_at"])
            self.assertEqual(self.posts_since(receiver),
                             [[("orders", "rows", "resolved")]])
            # And it stays resolved at the new level.
            for _ in range(MIN_HISTORY):
                self.run_value(receiver, 600, 0)
            self.assertEqual(self.posts_since(receiver), [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
