#!/usr/bin/env python3
"""`history import` and missing series through the real nbaq-host, on
SQLite and on PostgreSQL (fixture `postgres`): CSV and JSON files and
stdin, importing twice stores nothing twice, a bad line is named and
nothing is stored, the rules judge a run against imported values; a
series of tp_healthy that stops being reported comes back as 0 (a count)
or as a warning (another unit).

Expected values are written out by hand next to each scenario."""
import json
import os
import statistics
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

TEST_PLUGIN_DIR = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")
DAY_MS = 86400000
JAN1 = 1767225600000  # 2026-01-01T00:00:00Z

# Ten days of orders, 2026-01-01..10: mean 100, sd 1.49 (sum of squared
# deviations 20 over 9).
PAST = [100, 102, 98, 101, 99, 100, 102, 98, 101, 99]
CSV = "timestamp,value\n" + "".join(
    f"2026-01-{d + 1:02d}{'T00:00:00Z' if d % 2 else ''},{v}\n"
    for d, v in enumerate(PAST))


def config_yaml(url, metrics, unit="rows", check_extra=""):
    return f"""monitor: shop
history:
  url: {json.dumps(url)}
checks:
  - name: orders
    plugin: tp_healthy
    options:
      metrics: {json.dumps(metrics)}
      unit: {unit}
    thresholds:
      rows:
        anomaly: {{min_history: 7, seasonal: none, status: fail}}
      lines:
        fail_below: 1
{check_extra}reporters:
  - plugin: json
    options:
      output: report.json
"""


class Scenarios:
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)
        self.write_config({"rows": "100"})

    def write_config(self, metrics, **kw):
        nbaq_test.write_file(self.dir, "monitor.yaml",
                             config_yaml(self.store_url(), metrics, **kw))

    def host(self, *args, stdin=None, now=None):
        env = dict(os.environ)
        if now:
            env["NBAQ_NOW"] = now
        return subprocess.run(
            [nbaq_test.HOST, "-c", os.path.join(self.dir, "monitor.yaml"),
             "--plugin-dir", TEST_PLUGIN_DIR, *args],
            input=stdin, capture_output=True, text=True, env=env, timeout=60)

    def import_file(self, *args, stdin=None):
        return self.host("history", "import", "--check", "orders", *args,
                         stdin=stdin)

    def shown(self, metric="rows"):
        proc = self.host("history", "show", "--check", "orders", "--metric",
                         metric, "--since", "2025-12-01", "--until",
                         "2026-02-01", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["values"]

    def report(self):
        with open(os.path.join(self.dir, "report.json")) as f:
            check = json.load(f)["checks"][0]
        return check, {m["name"]: m for m in check["metrics"]}

    def test_csv_twice_then_a_run_judged_against_it(self):
        path = nbaq_test.write_file(self.dir, "orders.csv", CSV)
        proc = self.import_file("--metric", "rows", "--unit", "rows", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, f"shop / orders / rows: imported 10 "
                         f"values from {path} (0 already stored)\n")
        proc = self.import_file("--metric", "rows", path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("imported 0 values", proc.stdout)
        self.assertIn("(10 already stored)", proc.stdout)
        values = self.shown()
        self.assertEqual([v["value"] for v in values], PAST)
        self.assertEqual([v["ts_ms"] for v in values],
                         [JAN1 + d * DAY_MS for d in range(10)])
        self.assertTrue(all(v["unit"] == "rows" and v["reason"] == "imported"
                            for v in values))
        # a metric the check never reports, imported as well
        proc = self.import_file("--metric", "legacy_rows", "--unit", "rows",
                                path)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        # the first run, on 01-11, is judged against the ten days:
        # 60 is far below the median of the ten imported days
        self.write_config({"rows": "60"})
        proc = self.host(now="2026-01-11T00:00:00Z")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        check, m = self.report()
        self.assertTrue(m["rows"]["anomalous"])
        self.assertTrue(m["rows"]["reason"].startswith(
            f"anomaly: 60 vs baseline {statistics.median(PAST):.1f} ("),
            m["rows"]["reason"])
        self.assertIn("10 runs", m["rows"]["reason"])
        self.assertEqual(m["rows"]["previous"], 99)
        self.assertEqual(len(self.shown()), 11)
        # imported runs are not runs of the check: legacy_rows, a count
        # it never reported, is not missing
        self.assertNotIn("legacy_rows", m)
        self.assertNotIn("missing series", check["message"])

    def test_json_from_stdin_and_show_round_trip(self):
        data = json.dumps([{"time": "2026-01-02", "value": 7},
                           {"time": JAN1, "value": 5.5}])
        proc = self.import_file("--metric", "rows", "-", stdin=data)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("imported 2 values from <stdin>", proc.stdout)
        self.assertEqual([(v["ts_ms"], v["value"]) for v in self.shown()],
                         [(JAN1, 5.5), (JAN1 + DAY_MS, 7)])
        # what `history show --json` prints imports as it is
        show = self.host("history", "show", "--check", "orders", "--metric",
                         "rows", "--since", "2025-12-01", "--json")
        proc = self.import_file("--metric", "copy", "-", stdin=show.stdout)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual([(v["ts_ms"], v["value"])
                          for v in self.shown("copy")],
                         [(JAN1, 5.5), (JAN1 + DAY_MS, 7)])

    def test_bad_line_is_named_and_nothing_is_stored(self):
        lines = CSV.splitlines()
        lines[7] = "2026-01-07,12O"  # line 8: a letter O
        path = nbaq_test.write_file(self.dir, "bad.csv", "\n".join(lines))
        proc = self.import_file("--metric", "rows", path)
        self.assertEqual(proc.returncode, 65, proc.stderr)
        self.assertIn(f"history import: {path}:8: '12O' is not a finite "
                      "number", proc.stderr)
        self.assertEqual(self.shown(), [])
        proc = self.import_file("--metric", "rows", "-",
                                stdin='[{"time": "2026-01-01", "value": 1},'
                                      ' {"time": "soon", "value": 2}]')
        self.assertEqual(proc.returncode, 65, proc.stderr)
        self.assertIn("<stdin>: index 1: 'time' is missing or not a time",
                      proc.stderr)
        self.assertEqual(self.shown(), [])
        proc = self.import_file("--metric", "rows", "-",
                                stdin="2026-01-01,1\n2026-01-02,2\n")
        self.assertEqual(proc.returncode, 65, proc.stderr)
        self.assertIn("<stdin>:1: expected a header line", proc.stderr)
        proc = self.import_file("--metric", "rows",
                                os.path.join(self.dir, "none.csv"))
        self.assertEqual(proc.returncode, 66, proc.stderr)
        self.assertIn("none.csv: No such file or directory", proc.stderr)
        proc = self.import_file("orders.csv")
        self.assertEqual(proc.returncode, 64, proc.stderr)
        self.assertIn("import needs --check, --metric and a FILE",
                      proc.stderr)

    def test_missing_count_is_zero_and_other_units_warn(self):
        self.write_config({"rows": "100", "lines": "4"})
        self.host(now="2026-01-01T00:00:00Z")
        self.write_config({"rows": "100"})
        proc = self.host(now="2026-01-01T01:00:00Z")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        check, m = self.report()
        self.assertEqual(m["lines"]["value"], 0)
        self.assertEqual(m["lines"]["status"], "FAIL")
        self.assertIn("missing series counted as 0: lines (last seen "
                      "2026-01-01T00:00:00Z)", check["message"])
        self.assertEqual([v["value"] for v in self.shown("lines")], [4, 0])
        # milliseconds are not a count: a warning, no value; looking at
        # the latest run only, lines (last seen at 00:00) has retired
        one_run = "    missing_series_runs: 1\n"
        self.write_config({"rows": "100", "latency": "12"}, unit="ms",
                          check_extra=one_run)
        self.host(now="2026-01-01T02:00:00Z")
        self.write_config({"rows": "100"}, unit="ms", check_extra=one_run)
        proc = self.host(now="2026-01-01T03:00:00Z")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        check, m = self.report()
        self.assertNotIn("latency", m)
        self.assertNotIn("lines", m)
        self.assertEqual(check["status"], "WARNING")
        self.assertIn("missing series: latency (last seen "
                      "2026-01-01T02:00:00Z)", check["message"])


class SqliteImport(nbaq_test.SqliteStore, Scenarios, unittest.TestCase):
    pass


class PostgresImport(nbaq_test.PostgresStore, Scenarios, unittest.TestCase):
    pg_prefix = "nbaq_hist_imp"

if __name__ == "__main__":
    unittest.main(verbosity=2)
