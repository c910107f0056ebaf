#!/usr/bin/env python3
"""Detection through the real nbaq-host, run at chosen times (NBAQ_NOW):
warm-up shown as `learning (n of m values)`, a drop flagged with its
evidence, a lasting drop that stays open across runs and closes when the
value returns, `history accept`, `relearn_after`, a `change` rule whose
drop stays open, `status_above` / `status_below`, and the evidence and
per-point band in the JSON report. Every scenario runs on SQLite and on
PostgreSQL (fixture `postgres`).

Expected numbers are worked out in the comments from docs/history.md and
docs/detection.md, not read from the output.
"""
import datetime
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

TEST_PLUGIN_DIR = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")
HOUR_MS = 3600 * 1000
T0_MS = 1767225600000  # 2026-01-01T00:00:00Z
MIN_HISTORY = 5

# The anomaly rule of every scenario: no season (seasonal: auto would ask
# for two days of hourly history first), 5 values before judging, a drop
# FAILs and a rise only WARNs.
ANOMALY = ("anomaly: {min_history: 5, seasonal: none, status_below: fail, "
           "status_above: warning%s}")


def iso(ms):
    """The report's time text: ISO 8601 UTC with milliseconds."""
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def config_yaml(url, value, rule):
    return f"""monitor: shop
history:
  url: {json.dumps(url)}
checks:
  - name: orders
    plugin: tp_healthy
    options:
      metrics: {{rows: "{value}"}}
      unit: rows
    thresholds:
      rows:
        {rule}
reporters:
  - plugin: json
    options:
      output: report.json
  - plugin: text
    options:
      output: report.txt
"""


class DetectScenarios:
    """Mixed into one TestCase per store kind; store_url() names a fresh
    store for each test."""

    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)
        self.hour = 0

    def write_config(self, value, rule):
        nbaq_test.write_file(self.dir, "monitor.yaml",
                             config_yaml(self.store_url(), value, rule))

    def host(self, *args, at_ms):
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "--plugin-dir",
            TEST_PLUGIN_DIR, *args, env={"NBAQ_NOW": str(at_ms)})
        for marker in ("AddressSanitizer", "runtime error:"):
            self.assertNotIn(marker, proc.stderr)
        return proc

    def run_value(self, value, rule=ANOMALY % ""):
        """One hourly run; returns (exit code, the rows metric)."""
        self.write_config(value, rule)
        self.now = T0_MS + self.hour * HOUR_MS
        proc = self.host(at_ms=self.now)
        self.hour += 1
        self.assertIn(proc.returncode, (0, 1, 2), proc.stderr)
        with open(os.path.join(self.dir, "report.json")) as f:
            report = json.load(f)
        self.assertTrue(report["history_saved"], proc.stderr)
        return proc.returncode, report["checks"][0]["metrics"][0]

    def text_report(self):
        with open(os.path.join(self.dir, "report.txt")) as f:
            return f.read()

    def warm_up(self, value=1000, rule=ANOMALY % ""):
        for i in range(MIN_HISTORY):
            code, rows = self.run_value(value, rule)
            self.assertEqual(code, 0)
            self.assertEqual(rows["status"], "PASS")
            self.assertEqual(rows["evidence"]["state"], "learning")
            self.assertEqual(rows["evidence"]["points_used"], i)
            self.assertEqual(rows["evidence"]["points_needed"], MIN_HISTORY)
            self.assertEqual(rows["reason"],
                             f"learning ({i} of {MIN_HISTORY} values)")
        self.assertIn(f"learning {MIN_HISTORY - 1} of {MIN_HISTORY}",
                      self.text_report())

    def show(self):
        proc = self.host("history", "show", "--check", "orders", "--metric",
                         "rows", "--since", str(T0_MS), "--json",
                         at_ms=self.now + 1)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["values"]

    def assert_constant_evidence(self, rows, value, state):
        # A constant past of 1000: expected is its median, 1000; with no
        # spread the band's half-width is the relative floor, 5% of 1000,
        # so the band is [950, 1050]; score = (value - 1000) / scale.
        ev = rows["evidence"]
        self.assertEqual(ev["state"], state)
        self.assertAlmostEqual(ev["expected"], 1000, places=6)
        self.assertAlmostEqual(ev["lower"], 950, places=6)
        self.assertAlmostEqual(ev["upper"], 1050, places=6)
        self.assertGreater(ev["scale"], 0)
        self.assertAlmostEqual(ev["score"], (value - 1000) / ev["scale"])
        self.assertEqual(ev["season"], "none")
        self.assertFalse(ev["season_detected"])

    # ---- anomaly ---------------------------------------------------------

    def test_drop_flagged_stays_open_and_closes_when_it_returns(self):
        self.warm_up()
        code, rows = self.run_value(1000)  # judged, inside the band
        self.assertEqual((code, rows["status"], rows["reason"]),
                         (0, "PASS", ""))
        self.assert_constant_evidence(rows, 1000, "judged")

        code, rows = self.run_value(600)  # -40%: a drop FAILs
        opened = self.now
        self.assertEqual((code, rows["status"]), (2, "FAIL"))
        self.assertTrue(rows["anomalous"])
        self.assertTrue(rows["reason"].startswith("anomaly: 600 vs"),
                        rows["reason"])
        self.assert_constant_evidence(rows, 600, "judged")
        self.assertIsNone(rows["evidence"]["open_since"])
        # the band of every point: the warm-up ones were not judged
        bands = [p[2] for p in rows["history"]]
        self.assertEqual([p[1] for p in rows["history"]],
                         [1000] * (MIN_HISTORY + 1) + [600])
        self.assertEqual(bands[0], {"lower": None, "upper": None,
                                    "anomalous": False})
        for band, flagged in ((bands[-2], False), (bands[-1], True)):
            self.assertAlmostEqual(band["lower"], 950, places=6)
            self.assertAlmostEqual(band["upper"], 1050, places=6)
            self.assertIs(band["anomalous"], flagged)
        self.assertIn("expected 1000 [950, 1050]", self.text_report())

        for _ in range(2):  # still 600: the condition stays open
            code, rows = self.run_value(600)
            self.assertEqual((code, rows["status"]), (2, "FAIL"))
            self.assert_constant_evidence(rows, 600, "open")
            self.assertEqual(rows["evidence"]["open_since"], iso(opened))
        self.assertIn(f"open since {iso(opened)}", self.text_report())

        code, rows = self.run_value(1000)  # back: closed
        self.assertEqual((code, rows["status"], rows["reason"]),
                         (0, "PASS", ""))
        self.assertEqual(rows["evidence"]["state"], "judged")
        self.assertIsNone(rows["evidence"]["open_since"])

        code, rows = self.run_value(1400)  # +40%: a rise only WARNs
        self.assertEqual((code, rows["status"]), (1, "WARNING"))
        self.assertTrue(rows["reason"].startswith("anomaly: 1400"))

        values = self.show()
        self.assertEqual([v["value"] for v in values],
                         [1000] * (MIN_HISTORY + 1) + [600] * 3 +
                         [1000, 1400])
        self.assertEqual([v["anomalous"] for v in values],
                         [False] * (MIN_HISTORY + 1) + [True] * 3 +
                         [False, True])
        self.assertIsNone(values[0]["expected"])
        for key, expected in (("expected", 1000), ("lower", 950),
                              ("upper", 1050)):
            self.assertAlmostEqual(values[-1][key], expected, places=6)

    def test_accept_closes_records_and_does_not_reopen(self):
        self.warm_up()
        self.run_value(1000)
        code, rows = self.run_value(600)
        opened = self.now
        self.assertEqual(code, 2)
        code, rows = self.run_value(600)
        self.assertEqual(rows["evidence"]["state"], "open")

        accepted = self.now + HOUR_MS // 2
        proc = self.host("history", "accept", "--check", "orders",
                         "--metric", "rows", "--by", "alice", "--note",
                         "new feed", at_ms=accepted)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        when = iso(accepted)[:19] + "Z"
        self.assertIn(f"shop / orders / rows: new level accepted by alice "
                      f"at {when}", proc.stdout)
        self.assertIn(f"anomaly condition open since "
                      f"{iso(opened)[:19]}Z: closed", proc.stdout)
        again = self.host("history", "accept", "--check", "orders",
                          "--metric", "rows", at_ms=accepted + 1)
        self.assertEqual(again.returncode, 65)
        self.assertIn("has no open condition to accept", again.stderr)

        # The same value again: not re-opened. The baseline is now the two
        # accepted values (fewer than min_history): learning again.
        code, rows = self.run_value(600)
        self.assertEqual((code, rows["status"]), (0, "PASS"))
        self.assertFalse(rows["anomalous"])
        self.assertEqual(rows["evidence"]["accepted_at"], iso(accepted))
        self.assertEqual(rows["evidence"]["state"], "learning")
        self.assertEqual(rows["evidence"]["points_used"], 2)
        self.assertIn(f"new level accepted by alice at {when}",
                      rows["reason"])
        for _ in range(4):  # and it stays accepted, said once
            code, rows = self.run_value(600)
            self.assertEqual((code, rows["status"]), (0, "PASS"))
            self.assertNotIn("accepted by", rows["reason"])
        # 2 accepted + 4 new values: judged against the new level
        self.assertEqual(rows["evidence"]["state"], "judged")
        self.assertAlmostEqual(rows["evidence"]["expected"], 600, places=6)
        self.assertEqual(rows["evidence"]["accepted_at"], iso(accepted))

    def test_relearn_after_makes_the_new_level_the_baseline(self):
        rule = ANOMALY % ", relearn_after: 2h"
        self.warm_up(rule=rule)
        self.run_value(1000, rule)
        code, rows = self.run_value(600, rule)  # opens
        self.assertEqual(code, 2)
        code, rows = self.run_value(600, rule)  # open 1 h
        self.assertEqual((code, rows["evidence"]["state"]), (2, "open"))
        # open 2 h: relearned; the two earlier 600s and this one are the
        # baseline now, fewer than min_history: learning, PASS
        code, rows = self.run_value(600, rule)
        self.assertEqual((code, rows["status"]), (0, "PASS"))
        self.assertEqual(rows["evidence"]["state"], "learning")
        self.assertEqual(rows["evidence"]["points_used"], 2)
        self.assertIsNone(rows["evidence"]["accepted_at"])

    # ---- change ----------------------------------------------------------

    def test_change_lasting_drop_stays_open_and_sides(self):
        rule = ("change: {warn_pct: 20, fail_pct: 40, status_above: warning}")
        code, rows = self.run_value(100, rule)
        self.assertEqual(rows["reason"], "learning (0 of 1 values)")
        self.assertEqual(rows["evidence"]["state"], "learning")
        code, rows = self.run_value(100, rule)
        # band: the smallest bound, 20% of 100, either side
        self.assertEqual((rows["evidence"]["lower"],
                          rows["evidence"]["upper"]), (80, 120))
        code, rows = self.run_value(50, rule)  # -50% >= fail_pct 40
        opened = self.now
        self.assertEqual((code, rows["status"], rows["reason"]),
                         (2, "FAIL",
                          "change: -50.0% vs previous 100 (fail_pct 40)"))
        for _ in range(2):  # still 50: against 100, not the previous 50
            code, rows = self.run_value(50, rule)
            self.assertEqual((code, rows["status"], rows["reason"]),
                             (2, "FAIL", "change: -50.0% vs 100 before the "
                              "change (fail_pct 40)"))
            self.assertEqual(rows["evidence"]["state"], "open")
            self.assertEqual(rows["evidence"]["open_since"], iso(opened))
        code, rows = self.run_value(95, rule)  # -5% from 100: returned
        self.assertEqual((code, rows["status"]), (0, "PASS"))
        self.assertEqual(rows["evidence"]["state"], "judged")
        # +100% reaches fail_pct, capped to WARNING by status_above
        code, rows = self.run_value(190, rule)
        self.assertEqual((code, rows["status"], rows["reason"]),
                         (1, "WARNING",
                          "change: +100.0% vs previous 95 (fail_pct 40)"))

    def two_checks_yaml(self, slow_value, fast_value):
        """'slow' ends half a second after 'fast', which is judged while
        'slow' still runs (each check as it ends)."""
        def check(name, shell):
            return f"""  - name: {name}
    plugin: exec
    options:
      command: [sh, -c, "{shell}"]
    thresholds:
      rows: {{{ANOMALY % ""}}}
"""
        return (f"""monitor: shop
workers: 2
history:
  url: {json.dumps(self.store_url())}
checks:
""" + check("slow", f"sleep 0.5; echo 'OK | rows={slow_value}'")
                + check("fast", f"echo 'OK | rows={fast_value}'") + """reporters:
  - plugin: json
    options:
      output: report.json
""")

    def test_checks_ending_out_of_order_judged_on_their_own_past(self):
        for hour in range(MIN_HISTORY + 1):
            # the last run: slow as usual, fast drops from 50 to 10
            fast = 10 if hour == MIN_HISTORY else 50
            nbaq_test.write_file(self.dir, "monitor.yaml",
                                 self.two_checks_yaml(1000, fast))
            proc = self.host(at_ms=T0_MS + hour * HOUR_MS)
            self.assertIn(proc.returncode, (0, 2), proc.stderr)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        with open(os.path.join(self.dir, "report.json")) as f:
            report = json.load(f)
        self.assertTrue(report["history_saved"])
        # config order, though fast ended first
        self.assertEqual([c["name"] for c in report["checks"]],
                         ["slow", "fast"])
        slow, fast = (c["metrics"][0] for c in report["checks"])
        self.assertEqual(slow["status"], "PASS")
        self.assertAlmostEqual(slow["evidence"]["expected"], 1000, places=6)
        self.assertEqual(fast["status"], "FAIL")
        self.assertAlmostEqual(fast["evidence"]["expected"], 50, places=6)
        self.assertEqual(fast["evidence"]["points_used"], MIN_HISTORY)

    def test_bad_side_status_names_file_line_and_column(self):
        self.write_config(100, "change: {fail_pct: 40, status_below: loud}")
        proc = self.host(at_ms=T0_MS)
        self.assertEqual(proc.returncode, 78)
        path = os.path.join(self.dir, "monitor.yaml")
        with open(path) as f:
            lines = f.read().splitlines()
        line = next(i for i, t in enumerate(lines) if "loud" in t)
        column = lines[line].index("loud") + 1
        self.assertIn(f"{path}:{line + 1}:{column}: threshold 'rows' of "
                      f"check 'orders'", proc.stderr)
        self.assertIn("change.status_below", proc.stderr)
        self.assertIn("loud", proc.stderr)

        self.write_config(100, "anomaly: {status_above: ignore, "
                               "status_below: ignore, relearn_after: 3d}")
        proc = self.host(at_ms=T0_MS)
        self.assertEqual(proc.returncode, 78)
        self.assertIn("the anomaly rule ignores both sides", proc.stderr)
        self.write_config(100, "anomaly: {relearn_after: soon}")
        proc = self.host(at_ms=T0_MS)
        self.assertEqual(proc.returncode, 78)
        self.assertIn("anomaly.relearn_after", proc.stderr)


class SqliteDetect(nbaq_test.SqliteStore, DetectScenarios,
                   unittest.TestCase):
    pass


class PostgresDetect(nbaq_test.PostgresStore, DetectScenarios,
                     unittest.TestCase):
    pg_prefix = "nbaq_detect_py_"


if __name__ == "__main__":
    unittest.main(verbosity=2)
