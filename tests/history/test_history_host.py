#!/usr/bin/env python3
"""History through the real nbaq-host: runs repeated on one config judge a
value against the earlier ones (anomaly and change rules), the JSON report
carries the history fields, check state survives between runs, the
`history` command shows what was stored, and a broken store does not stop
the checks. Every scenario runs on SQLite and on PostgreSQL (fixture
`postgres`).

Expected numbers are worked out by hand in the comments.
"""
import json
import os
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

TEST_PLUGIN_DIR = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")

# Eight earlier values: median 100 (the anomaly baseline), spread +-2.
BASELINE = [100, 102, 98, 101, 99, 100, 102, 98]


def config_yaml(url, rows, extra_rule=""):
    return f"""monitor: shop
history:
  url: {json.dumps(url)}
checks:
  - name: orders
    plugin: tp_healthy
    options:
      metrics: {{rows: "{rows}"}}
      unit: rows
      count_runs: true
    thresholds:
      rows:
        better: higher
        anomaly: {{min_history: 7, seasonal: none}}
        change: {{fail_pct: 40}}{extra_rule}
reporters:
  - plugin: json
    options:
      output: report.json
"""


class HistoryScenarios:
    """Mixed into one TestCase per store kind; store_url() names a fresh
    store for each test."""

    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)

    def host(self, *args, rows=100):
        nbaq_test.write_file(self.dir, "monitor.yaml",
                             config_yaml(self.store_url(), rows))
        return nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "--plugin-dir",
            TEST_PLUGIN_DIR, *args)

    def run_value(self, rows):
        proc = self.host(rows=rows)
        with open(os.path.join(self.dir, "report.json")) as f:
            report = json.load(f)
        check = report["checks"][0]
        metrics = {m["name"]: m for m in check["metrics"]}
        return proc, report, check, metrics

    def test_anomaly_then_change_across_runs(self):
        for i, value in enumerate(BASELINE):
            proc, report, check, metrics = self.run_value(value)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(report["history_saved"])
            self.assertEqual(metrics["runs"]["value"], i + 1)  # state kept
        rows = metrics["rows"]
        self.assertEqual(rows["previous"], 102)  # the seventh value
        self.assertEqual(len(rows["history"]), 8)
        self.assertEqual([p[1] for p in rows["history"]], BASELINE)

        # 40 against the median 100 of the eight (docs/detection.md):
        # -60%, far outside any band; change (40 - 98) / 98 = -59.2%
        proc, report, check, metrics = self.run_value(40)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        rows = metrics["rows"]
        self.assertEqual(rows["status"], "FAIL")
        self.assertTrue(rows["anomalous"])
        anomaly, change = rows["reason"].split("; ")
        self.assertTrue(anomaly.startswith("anomaly: 40 vs baseline 100.0 ("),
                        anomaly)
        self.assertTrue(anomaly.endswith(", 8 runs), -60.0%"), anomaly)
        self.assertEqual(change, "change: -59.2% vs previous 98 (fail_pct 40)")
        self.assertIn("anomaly: 40 vs baseline 100.0", check["message"])
        self.assertEqual(rows["previous"], 98)
        self.assertAlmostEqual(rows["change_pct"], -58 / 98 * 100, places=6)
        # all nine values are within the 24 h window: 800 + 40 = 840
        self.assertEqual(rows["stats"]["count"], 9)
        self.assertAlmostEqual(rows["stats"]["mean"], 840 / 9, places=9)
        self.assertEqual(rows["stats"]["median"], 100)
        self.assertEqual(rows["stats"]["min"], 40)
        self.assertEqual(rows["trend"], "unknown")  # no earlier window
        self.assertIsNone(rows["previous_window_mean"])
        self.assertEqual(rows["window_ms"], 86400000)
        self.assertEqual(len(rows["history"]), 9)
        self.assertEqual(rows["history"][-1][1], 40)
        self.assertTrue(report["history_saved"])

        # 100 again: the anomalous 40 stays out of the baseline, and the
        # change that opened at 40 is measured from 98, the value before
        # it: +2%, so it closes and nothing fires
        proc, report, check, metrics = self.run_value(100)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        rows = metrics["rows"]
        self.assertFalse(rows["anomalous"])
        self.assertEqual((rows["status"], rows["reason"]), ("PASS", ""))
        self.assertEqual(metrics["runs"]["value"], 10)

        # the history command sees the ten runs
        show = self.host("history", "show", "--check", "orders", "--metric",
                         "rows", "--json")
        self.assertEqual(show.returncode, 0, show.stderr)
        values = json.loads(show.stdout)["values"]
        self.assertEqual([v["value"] for v in values], BASELINE + [40, 100])
        self.assertEqual([v["anomalous"] for v in values],
                         [False] * 8 + [True, False])
        self.assertEqual(values[8]["status"], "FAIL")
        self.assertTrue(values[8]["reason"].startswith("anomaly: 40 vs"))
        self.assertTrue(all(v["unit"] == "rows" for v in values))

        table = self.host("history", "show", "--check", "orders", "--metric",
                          "rows")
        self.assertEqual(table.returncode, 0, table.stderr)
        lines = table.stdout.splitlines()
        self.assertTrue(lines[0].startswith("shop / orders / rows: 10 values"))
        self.assertEqual(lines[1].split(), ["TIME", "VALUE", "UNIT", "STATUS",
                                            "ANOMALOUS", "EXPECTED", "BAND",
                                            "SCORE", "REASON"])
        self.assertEqual(lines[10].split()[1:5], ["40", "rows", "FAIL", "yes"])
        self.assertIn("anomaly: 40 ", lines[10])

        trends = self.host("history", "trends", "--json")
        self.assertEqual(trends.returncode, 0, trends.stderr)
        by_name = {m["metric"]: m for m in json.loads(trends.stdout)["metrics"]}
        self.assertEqual(sorted(by_name),
                         ["rows", "runs", "time_left_positive"])
        rows = by_name["rows"]
        self.assertEqual(rows["count"], 10)
        self.assertAlmostEqual(rows["mean"], 94.0)  # (840 + 100) / 10
        self.assertEqual(rows["median"], 100)
        self.assertEqual(rows["last"], 100)
        self.assertEqual(rows["trend"], "unknown")
        self.assertEqual(by_name["runs"]["max"], 10)

    def test_history_command_errors(self):
        proc = self.host("history", "list")
        self.assertEqual(proc.returncode, 64)
        self.assertIn("history: unknown command 'list' (see `history --help`)",
                      proc.stderr)
        proc = self.host("history", "show", "--check", "orders")
        self.assertEqual(proc.returncode, 64)
        self.assertIn("show needs --check and --metric", proc.stderr)
        proc = self.host("history", "--help")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("usage: nbaq-host -c FILE history COMMAND", proc.stdout)


class SqliteHistory(nbaq_test.SqliteStore, HistoryScenarios,
                    unittest.TestCase):

    def test_store_in_missing_directory(self):
        """The checks and reports still run; the exit code and the report
        say that history was not saved."""
        url = "no/such/dir/history.db"
        nbaq_test.write_file(self.dir, "monitor.yaml", config_yaml(url, 100))
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "--plugin-dir",
            TEST_PLUGIN_DIR)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        path = os.path.join(self.dir, "no/such/dir/history.db")
        self.assertIn(f"history store {path}: directory "
                      f"{os.path.dirname(path)}: No such file or directory",
                      proc.stderr)
        with open(os.path.join(self.dir, "report.json")) as f:
            report = json.load(f)
        self.assertIs(report["history_saved"], False)
        self.assertEqual(report["checks"][0]["status"], "PASS")
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "history", "trends")
        self.assertEqual(proc.returncode, 69)
        self.assertIn(f"history store {path}: directory", proc.stderr)


    def test_processes_opening_a_new_store_at_once(self):
        """A daemon's first rounds, or several cron runs, open a store that
        does not exist yet at the same time: every run is saved, none
        fails with "database is locked" (SQLite does not wait for the
        switch to WAL mode by itself)."""
        import subprocess
        exe = os.environ["NBAQ_HOST"]
        for attempt in range(15):
            d = os.path.join(self.dir, f"try{attempt}")
            os.mkdir(d)
            nbaq_test.write_file(d, "monitor.yaml",
                                 config_yaml("history.db", 100))
            # Each waits for the end of one pipe; closing it releases all
            # four at once, so that their first opens do meet.
            gate_r, gate_w = os.pipe()
            procs = [subprocess.Popen(
                ["sh", "-c", 'cat >/dev/null; exec "$@"', "gate", exe,
                 "-c", os.path.join(d, "monitor.yaml"), "-q",
                 "--plugin-dir", TEST_PLUGIN_DIR],
                stdin=gate_r, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, text=True)
                for _ in range(4)]
            os.close(gate_r)
            os.close(gate_w)
            for p in procs:
                _, stderr = p.communicate(timeout=60)
                self.assertNotIn("locked", stderr)
                self.assertEqual(p.returncode, 0, stderr)
            conn = sqlite3.connect(os.path.join(d, "history.db"))
            try:
                runs = conn.execute(
                    "SELECT count(*) FROM nbaq_runs").fetchone()[0]
            finally:
                conn.close()
            self.assertEqual(runs, 4)


class PostgresHistory(nbaq_test.PostgresStore, HistoryScenarios,
                      unittest.TestCase):
    pg_prefix = "nbaq_hist_py_"

    def test_unreachable_server_hides_password(self):
        url = "postgresql://nbaq:Hunter2Secret@127.0.0.1:1/nbaq"
        nbaq_test.write_file(self.dir, "monitor.yaml", config_yaml(url, 100))
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "--plugin-dir",
            TEST_PLUGIN_DIR)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("history store postgresql://127.0.0.1:1/nbaq:",
                      proc.stderr)
        self.assertNotIn("Hunter2Secret", proc.stderr + proc.stdout)
        with open(os.path.join(self.dir, "report.json")) as f:
            text = f.read()
        self.assertNotIn("Hunter2Secret", text)
        self.assertIs(json.loads(text)["history_saved"], False)


if __name__ == "__main__":
    unittest.main(verbosity=2)
