"""`nbaq-host -c FILE alerts ...`: listing alerts, silencing and
unsilencing them by fingerprint or by check, the outbox, and the errors a
user can make. Alerts are made by real runs of nbaq-host (a failing
`exec` check, no channel)."""
import calendar
import json
import os
import re
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
import nbaq_test  # noqa: E402

CONFIG = """\
monitor: cli_test
history:
  url: history.db
checks:
  - name: orders
    plugin: exec
    severity: high
    options:
      command: [/bin/sh, -c, "echo orders late; exit 2"]
  - name: stock
    plugin: exec
    options:
      command: [/bin/sh, -c, "echo fine; exit 0"]
"""

def fingerprint(monitor, check, metric=None):
    """FNV-1a 64 over monitor NUL check NUL (metric:<name> or
    condition:status), as docs/alerts.md defines it: computed here
    independently of the host."""
    h = 0xcbf29ce484222325
    data = (monitor.encode() + b"\0" + check.encode() + b"\0" +
            (b"metric:" + metric.encode() if metric
             else b"condition:status"))
    for byte in data:
        h ^= byte
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


ORDERS = fingerprint("cli_test", "orders")


class AlertsCliTest(unittest.TestCase):
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)
        self.config = nbaq_test.write_file(self.dir, "m.yaml", CONFIG)

    def host(self, *args):
        return nbaq_test.run_host("--plugin-dir", nbaq_test.PLUGIN_DIR, "-c",
                                  self.config, *args, cwd=self.dir,
                                  env={"TMPDIR": self.dir})

    def alerts(self, *args):
        return self.host("alerts", *args)

    def run_once(self):
        result = self.host()
        self.assertEqual(result.returncode, 2, result.stderr)

    def test_list_shows_the_open_alert(self):
        result = self.alerts()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "cli_test: 0 open alerts\n")
        before = int(time.time())
        self.run_once()
        result = self.alerts("list")
        self.assertEqual(result.returncode, 0, result.stderr)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "cli_test: 1 open alert")
        self.assertEqual(lines[1].split(), [
            "FINGERPRINT", "SEVERITY", "STATE", "CHECK", "METRIC", "SINCE",
            "FAILING", "SILENCED", "UNTIL", "SUMMARY"])
        cells = re.split(r"\s{2,}", lines[2])
        self.assertEqual(cells[:5], [ORDERS, "high", "new", "orders", "-"])
        self.assertEqual(cells[6:], ["1", "-", "FAIL: orders late"])
        data = json.loads(self.alerts("list", "--json").stdout)
        self.assertEqual(data["monitor"], "cli_test")
        alert, = data["alerts"]
        self.assertEqual(alert["fingerprint"], ORDERS)
        self.assertIsNone(alert["metric"])
        self.assertEqual((alert["state"], alert["severity"],
                          alert["failing_runs"]), ("new", "high", 1))
        started = calendar.timegm(time.strptime(alert["started_at"][:19],
                                                "%Y-%m-%dT%H:%M:%S"))
        self.assertGreaterEqual(started, before - 1)
        self.assertLessEqual(started, time.time() + 1)
        self.assertEqual(alert["notified"], [])  # no channel configured

    def test_silence_by_fingerprint_then_unsilence(self):
        self.run_once()
        result = self.alerts("silence", ORDERS, "--until",
                             "2099-01-01T00:00", "--comment", "known")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout,
                         f"silenced alert {ORDERS} until "
                         "2099-01-01T00:00:00Z (silence 1)\n")
        self.run_once()
        listing = json.loads(self.alerts("list", "--json").stdout)
        alert, = listing["alerts"]
        self.assertEqual(alert["state"], "silenced")
        self.assertEqual(alert["silenced_until"], "2099-01-01T00:00:00.000Z")
        silences = json.loads(self.alerts("silences", "--json").stdout)
        self.assertEqual([(s["id"], s["fingerprint"], s["check"],
                           s["active"], s["comment"])
                          for s in silences["silences"]],
                         [(1, ORDERS, None, True, "known")])
        result = self.alerts("unsilence", ORDERS)
        self.assertEqual(result.stdout, "1 active silence ended\n")
        result = self.alerts("unsilence", ORDERS)
        self.assertEqual(result.stdout, "0 active silences ended\n")
        self.assertEqual(self.alerts("silences").stdout,
                         "cli_test: 0 active silences\n")
        ended = json.loads(self.alerts("silences", "--all",
                                       "--json").stdout)["silences"]
        self.assertEqual([s["active"] for s in ended], [False])
        # Two runs have seen it fail: firing, no longer silenced.
        alert, = json.loads(self.alerts("list", "--json").stdout)["alerts"]
        self.assertEqual((alert["state"], alert["failing_runs"]),
                         ("firing", 2))

    def test_ack_by_check_and_unsilence_by_id(self):
        result = self.alerts("ack", "--check", "orders", "--until", "90m")
        self.assertEqual(result.returncode, 0, result.stderr)
        until = re.search(r"until (\S+) \(silence (\d+)\)", result.stdout)
        self.assertIsNotNone(until, result.stdout)
        expected = time.time() + 90 * 60
        got = calendar.timegm(time.strptime(until.group(1),
                                            "%Y-%m-%dT%H:%M:%SZ"))
        self.assertAlmostEqual(got, expected, delta=120)
        self.run_once()
        alert, = json.loads(self.alerts("list", "--json").stdout)["alerts"]
        self.assertEqual(alert["state"], "silenced")
        result = self.alerts("unsilence", "--id", until.group(2))
        self.assertEqual(result.stdout, "1 active silence ended\n")

    def test_silence_of_an_unknown_fingerprint_is_kept_with_a_note(self):
        other = fingerprint("cli_test", "stock")
        result = self.alerts("silence", other, "--until", "1h")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn(f"note: monitor cli_test has no alert with fingerprint "
                      f"{other} now", result.stdout)

    def test_usage_errors(self):
        cases = [
            (["silence", "--check", "ordres", "--until", "1h"],
             "no check named 'ordres' in " + self.config +
             " (did you mean 'orders'?)"),
            (["silence", "--check", "orders"], "--until TIME is required"),
            (["silence", "--check", "orders", "--until", "2001-01-01"],
             "--until: '2001-01-01' is already past"),
            (["silence", "--check", "orders", "--until", "soon"],
             "--until: 'soon' is not a time to come"),
            (["silence", "XYZ", "--until", "1h"],
             "'XYZ' is not a fingerprint (16 lowercase hex digits"),
            (["silence", ORDERS, "--check", "orders", "--until", "1h"],
             "give a FINGERPRINT or --check NAME"),
            (["unsilence"], "give one of FINGERPRINT, --check NAME and --id"),
            (["mute"], "unknown command 'mute'"),
            (["list", "--bogus"], "unknown or incomplete option '--bogus'"),
            (["list", "--until", "1h"], "--until and --comment go with "
                                        "silence"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                result = self.alerts(*args)
                self.assertEqual(result.returncode, 64, result.stderr)
                self.assertIn(message, result.stderr)
                self.assertIn("(see 'alerts --help')", result.stderr)
        self.assertEqual(json.loads(self.alerts("silences", "--all",
                                                "--json").stdout)["silences"],
                         [])

    def test_help(self):
        result = self.alerts("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("alerts silence (FINGERPRINT | --check NAME)",
                      result.stdout)

    def test_outbox_is_empty_without_channels(self):
        self.run_once()
        self.assertEqual(self.alerts("outbox").stdout,
                         "cli_test: 0 notifications waiting\n")

    def test_shipped_example_policy_is_valid(self):
        path = os.path.join(nbaq_test.SOURCE_DIR, "config",
                            "alerts-example.yaml")
        result = nbaq_test.run_host("--plugin-dir", nbaq_test.PLUGIN_DIR,
                                    "-c", path, "--check-config")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, f"configuration OK: {path} "
                                        "(2 checks, 4 reporters)\n")
        self.assertEqual(result.stderr, "")

    def test_without_history_section(self):
        path = nbaq_test.write_file(self.dir, "bare.yaml",
                                    "monitor: bare\nchecks: []\n")
        result = nbaq_test.run_host("-c", path, "alerts", "list")
        self.assertEqual(result.returncode, 78)
        self.assertIn("no 'history' section: alerts are kept in the "
                      "history store", result.stderr)

    def test_store_that_cannot_be_opened(self):
        path = nbaq_test.write_file(self.dir, "gone.yaml",
                                    "monitor: gone\nhistory:\n"
                                    "  url: no/such/dir/h.db\n")
        result = nbaq_test.run_host("-c", path, "alerts", "list")
        self.assertEqual(result.returncode, 69)
        self.assertIn("no/such/dir/h.db", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
