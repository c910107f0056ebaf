#!/usr/bin/env python3
"""metric_backfill through the real nbaq-host, with the test plugin
tp_backfill, on SQLite and on PostgreSQL (fixture `postgres`): the points
are stored before the first run is judged, only while the series is
empty, never at or after the run's start; a plugin handing over more than
NBAQ_BACKFILL_POINTS_MAX points is a plugin bug; without a store the
function says so.

tp_backfill's past points, newest first, are base, base + 1, base + 2,
base, ... one an hour before its own clock."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

TEST_PLUGIN_DIR = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")
HOUR_MS = 3600000


def config_yaml(url, options):
    history = f"history:\n  url: {json.dumps(url)}\n" if url else ""
    return f"""monitor: bf
{history}checks:
  - name: feed
    plugin: tp_backfill
    options: {json.dumps(options)}
    thresholds:
      load:
        anomaly: {{min_history: 7, seasonal: none, status: fail}}
reporters:
  - plugin: json
    options:
      output: report.json
"""


class Scenarios:
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)

    def run_check(self, url="store", **options):
        nbaq_test.write_file(self.dir, "monitor.yaml", config_yaml(
            self.store_url() if url == "store" else url, options))
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "--plugin-dir",
            TEST_PLUGIN_DIR)
        with open(os.path.join(self.dir, "report.json")) as f:
            check = json.load(f)["checks"][0]
        return proc, check, {m["name"]: m for m in check["metrics"]}

    def stored(self):
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "history", "show",
            "--check", "feed", "--metric", "load", "--since", "2000-01-01",
            "--until", "2100-01-01", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["values"]

    def test_first_run_judged_against_the_backfill(self):
        # 24 points: 100, 101, 102 eight times each: median 101
        proc, check, m = self.run_check(past=24, base=100, value=500)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertEqual(m["backfill_return"]["value"], 0)
        load = m["load"]
        self.assertTrue(load["anomalous"])
        self.assertTrue(
            load["reason"].startswith("anomaly: 500 vs baseline 101.0 ("),
            load["reason"])
        self.assertIn("24 runs", load["reason"])
        self.assertEqual(load["previous"], 100)  # the newest past point
        values = self.stored()
        self.assertEqual([v["value"] for v in values[:24]],
                         [100 + (i % 3) for i in range(23, -1, -1)])
        self.assertEqual(values[24]["value"], 500)
        self.assertEqual(values[24]["status"], "FAIL")
        for older, newer in zip(values[:24], values[1:24]):
            self.assertEqual(newer["ts_ms"] - older["ts_ms"], HOUR_MS)
        # the series is no longer empty: a second backfill stores nothing
        proc, check, m = self.run_check(past=24, base=7, value=101)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertFalse(m["load"]["anomalous"])
        self.assertEqual(len(self.stored()), 26)

    def test_points_from_the_run_on_are_skipped(self):
        proc, check, m = self.run_check(past=3, future=True, value=100)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        values = self.stored()
        self.assertEqual(len(values), 4)  # 3 past points and this run
        # judged against the 3 past points only: the future one was skipped
        self.assertEqual(values[-1]["reason"], "learning (3 of 7 values)")
        self.assertTrue(all(v["reason"] == "backfilled" for v in values[:3]))

    def test_too_many_points_is_a_plugin_bug(self):
        proc, check, m = self.run_check(past=1001)
        self.assertEqual(check["status"], "ERROR")
        self.assertEqual(check["message"],
                         "plugin bug: metric_backfill() for 'load' with 1001 "
                         "points (at most 1000)")
        self.assertEqual(self.stored(), [])
        proc, check, m = self.run_check(past=1000)
        self.assertEqual(check["status"], "PASS", check["message"])
        self.assertEqual(len(self.stored()), 1001)


class SqliteBackfill(nbaq_test.SqliteStore, Scenarios, unittest.TestCase):
    def test_without_a_store_nothing_is_kept(self):
        proc, check, m = self.run_check(url=None, past=5)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(m["backfill_return"]["value"], -1)
        self.assertEqual(m["load"]["value"], 100)


class PostgresBackfill(nbaq_test.PostgresStore, Scenarios,
                       unittest.TestCase):
    pg_prefix = "nbaq_hist_bf"


if __name__ == "__main__":
    unittest.main(verbosity=2)
