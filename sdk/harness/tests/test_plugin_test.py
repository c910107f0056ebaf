#!/usr/bin/env python3
"""nbaq-plugin-test on the test plugins of tests/integration (and its own,
tests/plugins): what it shows of a checker (metrics, status, state,
backfill, declared and undeclared metrics, --list) and of a reporter,
that the host's isolation and option checks apply, and --expect."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

HARNESS = os.path.join(nbaq_test.BUILD_DIR, "nbaq-plugin-test")
TEST_PLUGINS = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")
RUN_BASIC = os.path.join(nbaq_test.SOURCE_DIR, "tests", "reports",
                         "fixtures", "run_basic.json")


def plugin(name):
    return os.path.join(TEST_PLUGINS, name + ".so")


def harness(*args, timeout=60):
    return subprocess.run([HARNESS, *args], capture_output=True, text=True,
                          timeout=timeout)


def result_json(test, *args, code=0):
    proc = harness("--format", "json", *args)
    test.assertEqual(proc.returncode, code, proc.stderr)
    return json.loads(proc.stdout)


class CheckerTest(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="nbaq-harness-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def test_metrics_status_and_saved_state(self):
        doc = result_json(self, "--set", "metrics=rows=42",
                          "--set", "metrics=ratio=0.5", "--set", "unit=%",
                          "--set", "count_runs=true",
                          "--set", "status=warning",
                          "--set", "message=two of them",
                          "--state", "runs=6", plugin("tp_healthy"), code=1)
        self.assertEqual(doc["kind"], "checker")
        self.assertEqual(doc["instance"], "tp_healthy")
        self.assertEqual(doc["status"], "WARNING")
        self.assertEqual(doc["message"], "two of them")
        metrics = {m["name"]: (m["value"], m["unit"]) for m in doc["metrics"]}
        self.assertEqual(metrics["rows"], (42, "%"))
        self.assertEqual(metrics["ratio"], (0.5, "%"))
        # state_get answered the --state pair: 6 + 1
        self.assertEqual(metrics["runs"], (7, ""))
        self.assertEqual(doc["state"], {"runs": "7"})
        self.assertEqual(doc["backfill"], [])

    def test_text_lists_what_was_recorded(self):
        proc = harness("--set", "metrics=rows=42", "--set", "unit=rows",
                       plugin("tp_healthy"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertEqual(lines[0], "check 'tp_healthy': PASS: healthy")
        self.assertIn("  metric rows = 42 rows", lines)

    def test_backfilled_points_are_shown(self):
        doc = result_json(self, plugin("tp_backfill"))
        self.assertEqual(len(doc["backfill"]), 1)
        series = doc["backfill"][0]
        self.assertEqual((series["metric"], series["unit"]), ("load", "count"))
        self.assertGreater(len(series["points"]), 1)
        returned = [m["value"] for m in doc["metrics"]
                    if m["name"] == "backfill_return"]
        self.assertEqual(returned, [0])  # accepted, as with a history store

    def test_options_file_and_set_with_their_locations(self):
        path = self.write("opts.yaml", "i: 2\nsl: [x]\nserver: {user: bob}\n")
        doc = result_json(self, "--options", path, "--set", "sl=y",
                          plugin("tp_options"))
        message = doc["message"]
        self.assertIn(" i=2 ", message)
        self.assertIn(" sl=[y] ", message)  # --set replaces the file's list
        self.assertIn(" server={bob:5432} ", message)
        self.assertIn(f" loc_i={path}:1:4 ", message)

    def test_bad_option_names_its_place(self):
        path = self.write("opts.yaml", "i: 30\n")
        proc = harness("--options", path, plugin("tp_options"))
        self.assertEqual(proc.returncode, 78)
        self.assertIn(f"{path}:1:4: check 'tp_options': option 'i': '30' is "
                      "out of range (1 to 10)", proc.stderr)
        proc = harness("--set", "ii=3", plugin("tp_options"))
        self.assertEqual(proc.returncode, 78)
        self.assertIn("command line:2:1: check 'tp_options': unknown option "
                      "'ii' (did you mean 'i'?)", proc.stderr)

    def test_secret_option_is_not_shown(self):
        proc = harness("--set", "token=hunter2-SECRET", "--set", "i=99",
                       plugin("tp_options"))
        self.assertEqual(proc.returncode, 78)
        self.assertNotIn("SECRET", proc.stdout + proc.stderr)

    def test_crash_is_an_error_not_the_harness_end(self):
        doc = result_json(self, "--set", "mode=segfault",
                          plugin("tp_misbehave"), code=3)
        self.assertEqual(doc["status"], "ERROR")
        self.assertTrue(doc["message"].startswith("crashed: signal 11"),
                        doc["message"])

    def test_timeout_kills_the_check(self):
        doc = result_json(self, "--timeout", "1s", "--set", "mode=hang",
                          plugin("tp_misbehave"), code=3)
        self.assertEqual(doc["message"], "timed out after 1s")

    def test_contract_breach_is_a_plugin_bug(self):
        doc = result_json(self, "--set", "mode=undeclared",
                          plugin("tp_misbehave"), code=3)
        self.assertTrue(doc["message"].startswith("plugin bug: "),
                        doc["message"])

    def test_broken_plugin_is_refused_by_name(self):
        proc = harness(plugin("tp_abi_major"))
        self.assertEqual(proc.returncode, 78)
        self.assertIn("tp_abi_major.so", proc.stderr)

    def test_expect_compares_and_names_the_difference(self):
        want = {"plugin": "tp_healthy", "kind": "checker",
                "instance": "tp_healthy", "status": "PASS",
                "message": "healthy",
                "metrics": [{"name": "rows", "value": 42, "unit": ""},
                            {"name": "time_left_positive", "value": 1,
                             "unit": ""}],
                "state": {"runs": "1"}, "backfill": []}
        good = self.write("good.json", json.dumps(want))
        proc = harness("--expect", good, "--set", "metrics=rows=42",
                       plugin("tp_healthy"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        want["metrics"][0]["value"] = 41
        bad = self.write("bad.json", json.dumps(want))
        proc = harness("--expect", bad, "--set", "metrics=rows=42",
                       plugin("tp_healthy"))
        self.assertEqual(proc.returncode, 1)
        self.assertIn(f"{bad}: .metrics[0].value: expected 41, got 42",
                      proc.stderr)


class DeclarationsTest(unittest.TestCase):
    """What the plugin recorded against what it declares (tp_declared
    declares rows, {table}.nulls and {by_day=true}rows.by_day.*)."""

    def test_undeclared_metric_fails_and_is_named(self):
        proc = harness("--format", "json", "--set", "table=orders",
                       "--set", "emit=rows", "--set", "emit=orders.nulls",
                       "--set", "emit=rows_x", plugin("tp_declared"))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        doc = json.loads(proc.stdout)
        self.assertEqual(doc["status"], "PASS")
        self.assertEqual(doc["undeclared_metrics"], ["rows_x"])
        self.assertIn("check 'tp_declared': plugin 'tp_declared' recorded "
                      "metric 'rows_x', which it does not declare",
                      proc.stderr)
        proc = harness("--set", "emit=rows_x", plugin("tp_declared"))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn("  UNDECLARED metric rows_x: no declared pattern "
                      "matches it", proc.stdout.splitlines())

    def test_text_shows_the_declarations_next_to_the_metrics(self):
        proc = harness("--set", "table=orders", "--set", "emit=rows",
                       plugin("tp_declared"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines()[1:],
                         ["  metric rows = 1 rows",
                          "  declared rows (rows)",
                          "  declared orders.nulls (rows)"])

    def test_family_follows_the_option_that_turns_it_on(self):
        doc = result_json(self, "--set", "by_day=true",
                          "--set", "emit=rows.by_day.2024-01-31",
                          plugin("tp_declared"))
        self.assertNotIn("undeclared_metrics", doc)
        doc = result_json(self, "--set", "emit=rows.by_day.2024-01-31",
                          plugin("tp_declared"), code=4)
        self.assertEqual(doc["undeclared_metrics"],
                         ["rows.by_day.2024-01-31"])

    def test_backfilled_series_must_be_declared_too(self):
        doc = result_json(self, "--set", "emit=rows", "--set",
                          "backfill=rows_per_day", plugin("tp_declared"),
                          code=4)
        self.assertEqual(doc["undeclared_metrics"], ["rows_per_day"])
        doc = result_json(self, "--set", "emit=rows", "--set",
                          "backfill=rows", plugin("tp_declared"))
        self.assertNotIn("undeclared_metrics", doc)

    def test_nothing_declared_is_said_once_and_judges_nothing(self):
        # tp_old_descriptor's struct_size ends before `metrics`
        proc = harness(plugin("tp_old_descriptor"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.count("metrics: not declared"), 1)
        self.assertIn("  metrics: not declared", proc.stdout.splitlines())
        self.assertNotIn("UNDECLARED", proc.stdout)

    def test_a_star_declares_any_name(self):
        doc = result_json(self, "--set", "metrics=made_up_name=3",
                          plugin("tp_healthy"))
        self.assertNotIn("undeclared_metrics", doc)

    def test_expect_cannot_hide_an_undeclared_metric(self):
        proc = harness("--format", "json", "--set", "emit=rows_x",
                       plugin("tp_declared"))
        self.assertEqual(proc.returncode, 4, proc.stderr)
        tmp = tempfile.TemporaryDirectory(prefix="nbaq-harness-")
        self.addCleanup(tmp.cleanup)
        path = os.path.join(tmp.name, "same.json")
        with open(path, "w") as f:
            f.write(proc.stdout)
        proc = harness("--expect", path, "--set", "emit=rows_x",
                       plugin("tp_declared"))
        self.assertEqual(proc.returncode, 4, proc.stderr)

    def test_list_expands_the_declarations_with_the_options(self):
        proc = harness("--list", "--set", "table=orders",
                       plugin("tp_declared"))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.splitlines(), [
            "check 'tp_declared' declares, with these options:",
            "  rows (rows): rows counted",
            "  orders.nulls (rows): NULLs in the table [{table}.nulls]",
            "  {by_day=true}rows.by_day.* (rows): rows per day [none with "
            "these options]",
            "  {tables}.rows (rows): rows of each table [none with these "
            "options]",
            "  {tables}.*.nulls (rows): NULLs of each column of each table "
            "[none with these options]"])
        doc = result_json(self, "--list", "--set", "by_day=true",
                          plugin("tp_declared"))
        self.assertEqual(doc["declares"], "listed")
        names = [(m["name"], m["declared"], m["unit"])
                 for m in doc["declared_metrics"]]
        self.assertEqual(names, [
            ("rows", "rows", "rows"), (None, "{table}.nulls", "rows"),
            ("rows.by_day.*", "{by_day=true}rows.by_day.*", "rows"),
            (None, "{tables}.rows", "rows"),
            (None, "{tables}.*.nulls", "rows")])
        proc = harness("--list", plugin("tp_old_descriptor"))
        self.assertEqual(proc.stdout,
                         "check 'tp_old_descriptor': metrics: not declared\n")
        proc = harness("--list", "--set", "table=x", "--set", "i=3",
                       plugin("tp_declared"))
        self.assertEqual(proc.returncode, 78)
        self.assertIn("unknown option 'i'", proc.stderr)


class ReporterTest(unittest.TestCase):
    def test_report_on_stdout_and_what_it_wrote(self):
        proc = harness(plugin("tp_report"), RUN_BASIC)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        with open(RUN_BASIC) as f:
            run = json.load(f)
        rows = proc.stdout.splitlines()
        self.assertEqual(rows[0].split("\t")[:2], ["run", run["monitor"]])
        checks = [r.split("\t")[1] for r in rows if r.startswith("check\t")]
        self.assertEqual(checks, [c["name"] for c in run["checks"]])
        self.assertIn(f"wrote {len(proc.stdout.encode())} bytes in 1 calls, "
                      "extension tsv", proc.stderr)

    def test_reporter_needs_a_run_and_a_checker_takes_none(self):
        proc = harness(plugin("tp_report"))
        self.assertEqual(proc.returncode, 78)
        self.assertIn("give it a run file", proc.stderr)
        proc = harness(plugin("tp_healthy"), RUN_BASIC)
        self.assertEqual(proc.returncode, 78)
        self.assertIn("it takes no run file", proc.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
