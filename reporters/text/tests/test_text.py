#!/usr/bin/env python3
"""The text reporter on a fixed run (reporters/json/tests/run_full.json),
through the harness nbaq-plugin-test: the exact text, worked out by
hand from the fixture."""
import json
import os
import pty
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import nbaq_test  # noqa: E402
import report_test_support  # noqa: E402

FIXTURE = os.path.join(nbaq_test.SOURCE_DIR, "reporters", "json", "tests",
                       "run_full.json")
HARNESS = os.path.join(nbaq_test.BUILD_DIR, "nbaq-plugin-test")
PLUGIN = os.path.join(nbaq_test.PLUGIN_DIR, "text.so")

# The metrics overview and trend analysis list the metrics of the checks
# worst first (FAIL orders_rows, WARNING load, PASS disk_root), the trend
# analysis only those with window statistics (orders_rows' two).
# Names are padded to the longest (orders_rows, 11) plus two spaces, and
# durations right-aligned to the widest ("1.25s", 5); metrics start at
# column 10, their history at column 12 (window statistics from two
# values on). 30001 ms is "30s" (3 digits).
EXPECTED = """\
nbaq monitor shop, run 20231114T221320Z-0001
started 2023-11-14T22:13:20.123Z, took 4.25s

[PASS]    disk_root     35ms  DISK OK - free space: / 3326 MB (56%);
          / = 2643 MB [PASS]
[FAIL]    orders_rows  1.25s  rows = 120
          rows = 120 [FAIL] 120 < fail_below 1000
            previous 4000 (-97.0%), trend worsening; last 7d: count 4, \
min 120, max 4100, mean 3030, median 3950, stddev 1941.72; \
previous window mean 3950.5
          null_ratio = 0.25 % [WARN] anomalous: anomaly: z=4.2
            previous 0 (n/a), trend up
[ERROR]   inventory      30s  command timed out after 30s: /opt/count.sh
[WARN]    load          12ms  LOAD WARNING - load average: 5.10, 4.00, 3.00
          load1 = 5.1 [PASS]
          weird = inf [PASS]
[UNKNOWN] api_probe      5ms  probe said ?[2J hi?there

Alerts:
  new       CRITICAL  orders_rows/rows: rows 120 < fail_below 1000 \
(since 2023-11-14T22:13:20.123Z, 1 failing run, notify)
  resolved  MEDIUM    inventory: command timed out \
(since 2023-11-13T22:13:20.123Z, ended 2023-11-14T22:13:20.123Z, \
0 failing runs, notify)
  silenced  LOW       load/load1: load high \
(since 2023-11-14T21:56:40.000Z, silenced until 2023-11-15T22:13:20.000Z, \
3 failing runs)

Metrics overview:
  [FAIL]    orders_rows/rows = 120, previous 4000 (-97.0%): \
120 < fail_below 1000
  [WARN]    orders_rows/null_ratio = 0.25 % anomalous, previous 0 (n/a): \
anomaly: z=4.2
  [PASS]    load/load1 = 5.1
  [PASS]    load/weird = inf
  [PASS]    disk_root// = 2643 MB

Trend analysis (window, runs in it: mean, median, min, max, std dev, \
mean of the window before):
  orders_rows/rows: worsening, 120; 7d, 4 runs: \
3030 3950 120 4100 1941.72 3950.5
  orders_rows/null_ratio: up, 0.25 %; 1d, 1 run: 0.25 0.25 0.25 0.25 0 n/a

Recommendations:
  1. [ERROR] Check could not measure: inventory
     what:  The check ended ERROR: command timed out after 30s: /opt/count.sh
     look:  the check's connection settings and credentials in the config; run it alone with nbaq-host -c CONFIG --only inventory -v to read the plugin's log
  2. [UNKNOWN] Check could not measure: api_probe
     what:  The check ended UNKNOWN: probe said ?[2J hi?there
     look:  the check's connection settings and credentials in the config; run it alone with nbaq-host -c CONFIG --only api_probe -v to read the plugin's log
  3. [FAIL] Limit exceeded: orders_rows/rows
     what:  rows = 120, trend worsening: previous run 4000 (-97.0%), mean of the window before 3950.5. Rule: 120 < fail_below 1000.
     since: alert open since 2023-11-14 22:13:20 UTC (1 failing run)
     look:  the data source; or the check's thresholds in the config, if the limit no longer fits
  4. [WARN] Anomalous value: orders_rows/null_ratio
     what:  null_ratio = 0.25 % is unlike its own history over the window's 1 runs: mean 0.25, min 0.25, max 0.25, std dev 0; previous run 0 (n/a). Rule: anomaly: z=4.2.
     look:  this run's load at the source: a partial or duplicated load, or a skipped partition, are the usual causes
  5. [WARN] Check failed: load
     what:  The check itself reported WARNING: LOAD WARNING - load average: 5.10, 4.00, 3.00
     look:  the plugin's message and the check's configuration

5 checks: 1 PASS, 1 WARNING, 1 FAIL, 1 ERROR, 1 UNKNOWN; status [ERROR]; \
history saved
"""


def drive(fixture_path, *sets):
    return report_test_support.drive(HARNESS, PLUGIN, fixture_path, sets)


class TextReporterTest(unittest.TestCase):
    def report(self, fixture_path=FIXTURE, *sets):
        r = drive(fixture_path, *sets)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn(b"extension txt", r.stderr)
        return r.stdout.decode()

    def fixture_variant(self, change):
        return report_test_support.fixture_variant(nbaq_test.temp_dir(self),
                                                   FIXTURE, change)

    def test_exact_text(self):
        self.maxDiff = None
        self.assertEqual(self.report(FIXTURE, "color=never"), EXPECTED)

    def test_auto_color_is_off_when_not_a_terminal(self):
        # The harness's stdout is a pipe here.
        self.assertEqual(self.report(FIXTURE), EXPECTED)

    def test_color_always(self):
        out = self.report(FIXTURE, "color=always")
        lines = out.splitlines()
        self.assertEqual(lines[3][:15], "\033[32m[PASS]\033[0m")
        self.assertTrue(lines[3].startswith("\033[32m[PASS]\033[0m    disk_root"))
        self.assertTrue(lines[5].startswith("\033[31m[FAIL]\033[0m    orders"))
        self.assertIn("[WARN]", out)
        self.assertIn("\033[1;31m[ERROR]\033[0m   inventory", out)
        self.assertIn("\033[35m[UNKNOWN]\033[0m api_probe", out)
        self.assertIn("\033[33m[WARN]\033[0m    load ", out)
        # Without the escapes it is the plain report.
        plain = out
        for code in ("\033[32m", "\033[33m", "\033[31m", "\033[1;31m",
                     "\033[35m", "\033[0m"):
            plain = plain.replace(code, "")
        self.assertEqual(plain, EXPECTED)

    def test_history_not_saved_and_no_store(self):
        for saved, words in ((-1, "history NOT saved"),
                             (0, "no history store")):
            path = self.fixture_variant(
                lambda run: run.update(history_saved=saved))
            last = self.report(path, "color=never").splitlines()[-1]
            self.assertTrue(last.endswith("; status [ERROR]; " + words),
                            last)

    def test_one_check_no_alerts(self):
        def only_disk(run):
            run["checks"] = run["checks"][:1]
            run["alerts"] = []
            run["status"] = "PASS"
        path = self.fixture_variant(only_disk)
        self.assertEqual(
            self.report(path, "color=never"),
            "nbaq monitor shop, run 20231114T221320Z-0001\n"
            "started 2023-11-14T22:13:20.123Z, took 4.25s\n"
            "\n"
            "[PASS]    disk_root  35ms  DISK OK - free space: / 3326 MB "
            "(56%);\n"
            "          / = 2643 MB [PASS]\n"
            "\n"
            "Metrics overview:\n"
            "  [PASS]    disk_root// = 2643 MB\n"
            "\n"
            "Trend analysis (window, runs in it: mean, median, min, max, "
            "std dev, mean of the window before):\n"
            "  no history yet: trends appear once a history store holds a "
            "few runs\n"
            "\n"
            "1 check: 1 PASS, 0 WARNING, 0 FAIL, 0 ERROR, 0 UNKNOWN; "
            "status [PASS]; history saved\n")

    def test_recommendations_match_the_json_report(self):
        # Parity: the same list, in the same order, as the json reporter's
        # (both come from lib/reportview), here with a check's own FAIL
        # beside its failing metrics.
        def schema_fail(run):
            report_test_support.own_fail_of_orders_rows(
                run, "column email dropped")
        path = self.fixture_variant(schema_fail)
        text = self.report(path, "color=never")
        section = text.split("\nRecommendations:\n", 1)[1].split("\n\n")[0]
        heads = [line for line in section.splitlines()
                 if not line.startswith("     ")]
        r = report_test_support.drive(
            HARNESS, os.path.join(nbaq_test.PLUGIN_DIR, "json.so"), path, ())
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        recs = json.loads(r.stdout)["recommendations"]
        tags = {"PASS": "PASS", "WARNING": "WARN", "FAIL": "FAIL",
                "ERROR": "ERROR", "UNKNOWN": "UNKNOWN"}
        self.assertEqual(heads, [
            "%3d. [%s] %s: %s%s" % (i + 1, tags[x["status"]], x["title"],
                                   x["check"],
                                   "/" + x["metric"] if x["metric"] else "")
            for i, x in enumerate(recs)])
        self.assertIn("  3. [FAIL] Check failed: orders_rows\n"
                      "     what:  The check itself reported FAIL: column "
                      "email dropped\n"
                      "     since: alert open since 2023-11-14 21:56:40 UTC "
                      "(2 failing runs)\n", section)

    def test_max_rows_bounds_both_sections(self):
        # Five metrics, max_rows=2: two rows in the overview and three
        # counted; the trend analysis has two rows, none left out.
        text = self.report(FIXTURE, "color=never", "max_rows=2")
        overview = text.split("\nMetrics overview:\n", 1)[1].split("\n\n")[0]
        self.assertEqual(overview.splitlines()[2:],
                         ["  3 more not shown (raise max_rows)"])
        self.assertEqual(len(overview.splitlines()), 3)
        trends = text.split("\nTrend analysis", 1)[1].split("\n\n")[0]
        self.assertEqual(len(trends.splitlines()), 3)
        self.assertNotIn("more not shown", trends)

    def test_bad_color_is_refused(self):
        r = drive(FIXTURE, "color=sometimes")
        self.assertEqual(r.returncode, 78)



class HostTerminalTest(unittest.TestCase):
    """color: auto through the real host: colors on a terminal only."""

    CONFIG = """monitor: tty
checks:
  - name: ok
    plugin: exec
    options: {command: [/bin/true]}
reporters:
  - plugin: text
%s
"""

    def run_on_terminal(self, reporter_options=""):
        d = nbaq_test.temp_dir(self)
        config = nbaq_test.write_file(d, "tty.yaml",
                                      self.CONFIG % reporter_options)
        master, slave = pty.openpty()
        proc = subprocess.Popen([nbaq_test.HOST, "-c", config], stdout=slave,
                                stderr=subprocess.PIPE, cwd=d)
        os.close(slave)
        out = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the host closed the terminal
                break
            if not chunk:
                break
            out += chunk
        os.close(master)
        _, err = proc.communicate(timeout=60)
        self.assertEqual(proc.returncode, 0, err.decode())
        return d, out.decode()

    def test_auto_colors_a_terminal(self):
        _, out = self.run_on_terminal()
        self.assertIn("\033[32m[PASS]\033[0m", out)

    def test_auto_keeps_a_file_plain_even_from_a_terminal(self):
        d, out = self.run_on_terminal("    options: {output_dir: .}")
        with open(os.path.join(d, "tty-latest.txt")) as f:
            report = f.read()
        self.assertIn("[PASS]", report)
        self.assertNotIn("\033[", report)
        self.assertNotIn("\033[", out)

    def test_auto_is_plain_on_a_pipe(self):
        d = nbaq_test.temp_dir(self)
        config = nbaq_test.write_file(d, "tty.yaml", self.CONFIG % "")
        proc = nbaq_test.run_host("-c", config, cwd=d)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("[PASS]", proc.stdout)
        self.assertNotIn("\033[", proc.stdout)

if __name__ == "__main__":
    unittest.main()
