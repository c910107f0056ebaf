#!/usr/bin/env python3
"""The json reporter on a fixed run (run_full.json), through the report
harness nbaq-plugin-test: the exact document, worked out by hand from the
fixture, and its validity against docs/report.schema.json."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import nbaq_test  # noqa: E402
import report_test_support  # noqa: E402

import jsonschema  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "run_full.json")
HARNESS = os.path.join(nbaq_test.BUILD_DIR, "nbaq-plugin-test")
PLUGIN = os.path.join(nbaq_test.PLUGIN_DIR, "json.so")
SCHEMA_PATH = os.path.join(nbaq_test.SOURCE_DIR, "docs", "report.schema.json")


# The fixture's metrics carry no evidence (state none): every number null.
NO_EVIDENCE = {"state": "none", "points_used": 0, "points_needed": 0,
               "expected": None, "scale": None, "score": None,
               "lower": None, "upper": None, "season": "none",
               "season_detected": False, "open_since": None,
               "accepted_at": None}


def no_history():
    return {"previous": None, "change_pct": None, "trend": "unknown",
            "window_ms": 0, "previous_window_mean": None,
            "stats": {"count": 0, "min": None, "max": None, "mean": None,
                      "median": None, "stddev": None},
            "evidence": NO_EVIDENCE, "history": []}


LOOK_ERROR = ("the check's connection settings and credentials in the "
              "config; run it alone with nbaq-host -c CONFIG --only %s -v to "
              "read the plugin's log")

# The fixture's run as the report must show it. Times: 1700000000 s is
# 2023-11-14T22:13:20Z; 86400000 ms is one day.
EXPECTED = {
    "schema_version": 1,
    "monitor": "shop",
    "run_id": "20231114T221320Z-0001",
    "started_at": "2023-11-14T22:13:20.123Z",
    "finished_at": "2023-11-14T22:13:24.373Z",
    "duration_ms": 4250,
    "status": "ERROR",
    "summary": {"total": 5, "PASS": 1, "WARNING": 1, "FAIL": 1, "ERROR": 1,
                "UNKNOWN": 1},
    "history_saved": True,
    "checks": [
        {"name": "disk_root", "plugin": "exec", "status": "PASS",
         "message": "DISK OK - free space: / 3326 MB (56%);",
         "severity": "HIGH", "started_at": "2023-11-14T22:13:20.200Z",
         "duration_ms": 35,
         "metrics": [dict({"name": "/", "value": 2643, "unit": "MB",
                           "status": "PASS", "reason": "",
                           "anomalous": False}, **no_history())]},
        {"name": "orders_rows", "plugin": "exec", "status": "FAIL",
         "message": "rows = 120", "severity": "CRITICAL",
         "started_at": "2023-11-14T22:13:20.300Z", "duration_ms": 1250,
         "metrics": [
             {"name": "rows", "value": 120, "unit": "", "status": "FAIL",
              "reason": "120 < fail_below 1000", "anomalous": False,
              "previous": 4000, "change_pct": -97, "trend": "worsening",
              "window_ms": 604800000, "previous_window_mean": 3950.5,
              "stats": {"count": 4, "min": 120, "max": 4100, "mean": 3030,
                        "median": 3950, "stddev": 1941.72},
              "evidence": NO_EVIDENCE,
              # no band from this host: the third element is null
              "history": [[1699740800123, 4100, None],
                          [1699827200123, 3900, None],
                          [1699913600123, 4000, None],
                          [1700000000123, 120, None]]},
             {"name": "null_ratio", "value": 0.25, "unit": "%",
              "status": "WARNING", "reason": "anomaly: z=4.2",
              "anomalous": True, "previous": 0, "change_pct": None,
              "trend": "up", "window_ms": 86400000,
              "previous_window_mean": None,
              "stats": {"count": 1, "min": 0.25, "max": 0.25, "mean": 0.25,
                        "median": 0.25, "stddev": 0},
              "evidence": NO_EVIDENCE,
              "history": [[1700000000123, 0.25, None]]}]},
        {"name": "inventory", "plugin": "exec", "status": "ERROR",
         "message": "command timed out after 30s: /opt/count.sh",
         "severity": "MEDIUM", "started_at": "2023-11-14T22:13:20.400Z",
         "duration_ms": 30001, "metrics": []},
        {"name": "load", "plugin": "exec", "status": "WARNING",
         "message": "LOAD WARNING - load average: 5.10, 4.00, 3.00",
         "severity": "LOW", "started_at": "2023-11-14T22:13:20.500Z",
         "duration_ms": 12,
         "metrics": [
             dict({"name": "load1", "value": 5.1, "unit": "",
                   "status": "PASS", "reason": "", "anomalous": False},
                  **no_history()),
             dict({"name": "weird", "value": None, "unit": "",
                   "status": "PASS", "reason": "", "anomalous": False},
                  **no_history())]},
        {"name": "api_probe", "plugin": "exec", "status": "UNKNOWN",
         "message": "probe said \u001b[2J hi\nthere", "severity": "INFO",
         "started_at": "2023-11-14T22:13:20.600Z", "duration_ms": 5,
         "metrics": []},
    ],
    "alerts": [
        {"fingerprint": "shop/orders_rows/rows", "check": "orders_rows",
         "metric": "rows", "summary": "rows 120 < fail_below 1000",
         "severity": "CRITICAL", "state": "new",
         "started_at": "2023-11-14T22:13:20.123Z", "ended_at": None,
         "silenced_until": None, "notify": True, "failing_runs": 1},
        {"fingerprint": "shop/inventory", "check": "inventory", "metric": "",
         "summary": "command timed out", "severity": "MEDIUM",
         "state": "resolved", "started_at": "2023-11-13T22:13:20.123Z",
         "ended_at": "2023-11-14T22:13:20.123Z", "silenced_until": None,
         "notify": True, "failing_runs": 0},
        {"fingerprint": "shop/load/load1", "check": "load",
         "metric": "load1", "summary": "load high", "severity": "LOW",
         "state": "silenced", "started_at": "2023-11-14T21:56:40.000Z",
         "ended_at": None, "silenced_until": "2023-11-15T22:13:20.000Z",
         "notify": False, "failing_runs": 3},
    ],
    # Worked out from the fixture by the rules of docs/reports.md: checks
    # worst first (ERROR, UNKNOWN, FAIL, WARNING), each check's own
    # condition before its metrics, metrics worst first.
    "recommendations": [
        {"rule": "check_error", "title": "Check could not measure",
         "status": "ERROR", "check": "inventory", "metric": None,
         "what": "The check ended ERROR: command timed out after 30s: "
                 "/opt/count.sh",
         "since": None,  # its alert is resolved
         "look": LOOK_ERROR % "inventory"},
        {"rule": "check_error", "title": "Check could not measure",
         "status": "UNKNOWN", "check": "api_probe", "metric": None,
         "what": "The check ended UNKNOWN: probe said \u001b[2J hi\nthere",
         "since": None, "look": LOOK_ERROR % "api_probe"},
        {"rule": "limit", "title": "Limit exceeded", "status": "FAIL",
         "check": "orders_rows", "metric": "rows",
         "what": "rows = 120, trend worsening: previous run 4000 (-97.0%), "
                 "mean of the window before 3950.5. Rule: 120 < fail_below "
                 "1000.",
         "since": "alert open since 2023-11-14 22:13:20 UTC (1 failing run)",
         "look": "the data source; or the check's thresholds in the config, "
                 "if the limit no longer fits"},
        {"rule": "anomaly", "title": "Anomalous value", "status": "WARNING",
         "check": "orders_rows", "metric": "null_ratio",
         "what": "null_ratio = 0.25 % is unlike its own history over the "
                 "window's 1 runs: mean 0.25, min 0.25, max 0.25, std dev 0; "
                 "previous run 0 (n/a). Rule: anomaly: z=4.2.",
         "since": None,
         "look": "this run's load at the source: a partial or duplicated "
                 "load, or a skipped partition, are the usual causes"},
        # load is WARNING while both its metrics PASS: the plugin said so.
        {"rule": "check_failed", "title": "Check failed", "status": "WARNING",
         "check": "load", "metric": None,
         "what": "The check itself reported WARNING: LOAD WARNING - load "
                 "average: 5.10, 4.00, 3.00",
         "since": None,
         "look": "the plugin's message and the check's configuration"},
    ],
}


def validator():
    with open(SCHEMA_PATH) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def drive(fixture_path, *sets, output=None):
    return report_test_support.drive(HARNESS, PLUGIN, fixture_path, sets,
                                     output)


class JsonReporterTest(unittest.TestCase):
    def report(self, fixture_path=FIXTURE, *sets):
        r = drive(fixture_path, *sets)
        self.assertEqual(r.returncode, 0, r.stderr.decode())
        self.assertIn(b"extension json", r.stderr)
        self.assertTrue(r.stdout.endswith(b"}\n"))
        return r.stdout

    def fixture_variant(self, change):
        return report_test_support.fixture_variant(nbaq_test.temp_dir(self),
                                                   FIXTURE, change)

    def test_exact_document(self):
        doc = json.loads(self.report())
        self.maxDiff = None
        self.assertEqual(doc, EXPECTED)
        # Key order is the documented one, not just the same set.
        self.assertEqual(list(doc), list(EXPECTED))
        self.assertEqual(list(doc["checks"][1]["metrics"][0]),
                         list(EXPECTED["checks"][1]["metrics"][0]))

    def test_schema_accepts_the_report(self):
        validator().validate(json.loads(self.report()))

    def test_schema_rejects_what_is_not_a_report(self):
        v = validator()
        for breakage in (
                lambda d: d.update(status="OK"),
                lambda d: d.pop("alerts"),
                lambda d: d.update(started_at="2023-11-14 22:13:20"),
                lambda d: d["checks"][0].update(severity="medium"),
                lambda d: d["checks"][1]["metrics"][0].update(trend="flat"),
                lambda d: d["checks"][1]["metrics"][0]["history"].append([1]),
                lambda d: d["checks"][1]["metrics"][0]["evidence"].update(
                    state="judging"),
                lambda d: d["checks"][1]["metrics"][0]["history"][0].append(
                    {"lower": 1}),
                lambda d: d["alerts"][0].update(extra=1)):
            doc = json.loads(json.dumps(EXPECTED))
            breakage(doc)
            with self.assertRaises(jsonschema.ValidationError):
                v.validate(doc)

    def test_compact(self):
        out = self.report(FIXTURE, "pretty=false")
        self.assertEqual(out.count(b"\n"), 1)
        self.assertEqual(json.loads(out), EXPECTED)

    def test_history_saved_false_and_null(self):
        for saved, expected in ((-1, False), (0, None)):
            path = self.fixture_variant(
                lambda run: run.update(history_saved=saved))
            doc = json.loads(self.report(path))
            self.assertIs(doc["history_saved"], expected)
            validator().validate(doc)

    def test_empty_run(self):
        path = self.fixture_variant(
            lambda run: run.update(checks=[], alerts=[], status="PASS"))
        doc = json.loads(self.report(path))
        self.assertEqual(doc["checks"], [])
        self.assertEqual(doc["alerts"], [])
        self.assertEqual(doc["summary"], {"total": 0, "PASS": 0,
                                          "WARNING": 0, "FAIL": 0,
                                          "ERROR": 0, "UNKNOWN": 0})
        validator().validate(doc)

    def test_invalid_utf8_becomes_replacement_characters(self):
        with open(FIXTURE, "rb") as f:
            raw = f.read()
        raw = raw.replace(b'"rows = 120"', b'"rows \xff\xfe = 120 \xc3\xa9"')
        path = os.path.join(nbaq_test.temp_dir(self), "run.json")
        with open(path, "wb") as f:
            f.write(raw)
        out = self.report(path)
        out.decode("utf-8")  # strict: raises if the bytes are not UTF-8
        doc = json.loads(out)
        self.assertEqual(doc["checks"][1]["message"],
                         "rows \ufffd\ufffd = 120 \u00e9")

    def test_a_checks_own_fail_beside_failing_metrics(self):
        # A schema check whose plugin says FAIL while a metric fails too.
        def schema_fail(run):
            report_test_support.own_fail_of_orders_rows(
                run, "column email dropped from public.orders")
        doc = json.loads(self.report(self.fixture_variant(schema_fail)))
        validator().validate(doc)
        of_orders = [r for r in doc["recommendations"]
                     if r["check"] == "orders_rows"]
        self.assertEqual([(r["rule"], r["metric"], r["status"])
                          for r in of_orders],
                         [("check_failed", None, "FAIL"),
                          ("limit", "rows", "FAIL"),
                          ("anomaly", "null_ratio", "WARNING")])
        self.assertEqual(of_orders[0]["what"],
                         "The check itself reported FAIL: column email "
                         "dropped from public.orders")
        self.assertEqual(of_orders[0]["since"],
                         "alert open since 2023-11-14 21:56:40 UTC "
                         "(2 failing runs)")

    def test_a_fail_worse_than_its_metrics_is_the_checks_own(self):
        def warn_only(run):
            rows = run["checks"][1]
            rows["metrics"] = rows["metrics"][1:]  # null_ratio: WARNING
        doc = json.loads(self.report(self.fixture_variant(warn_only)))
        of_orders = [(r["rule"], r["metric"]) for r in doc["recommendations"]
                     if r["check"] == "orders_rows"]
        self.assertEqual(of_orders, [("check_failed", None),
                                     ("anomaly", "null_ratio")])

    def test_write_failure_is_the_reporters_error(self):
        out = report_test_support.unwritable_output()
        r = drive(FIXTURE, output=out)
        self.assertEqual(r.returncode, 1)
        self.assertTrue(r.stderr.startswith(b"reporter 'json': ERROR: "),
                        r.stderr)
        self.assertIn(out.encode() + b": cannot create a file there: No such "
                      b"file or directory", r.stderr)


if __name__ == "__main__":
    unittest.main()
