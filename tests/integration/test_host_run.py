"""nbaq-host runs checks, evaluates thresholds, reports, and exits with
the code of the worst status (tests/integration)."""
import os
import re
import unittest

from hostlib import (REPORT, PLUGIN_DIR, parse_report, read_json, run_config,
                     run_host, temp_dir)


def healthy(name, status="pass", metrics="{}", extra=""):
    return (f"  - name: {name}\n    plugin: tp_healthy\n"
            f"    options: {{status: {status}, metrics: {metrics}{extra}}}\n")


class ExitCodes(unittest.TestCase):
    def run_statuses(self, *statuses):
        d = temp_dir(self)
        checks = "".join(healthy(f"c{i}", s) for i, s in enumerate(statuses))
        return run_config(d, "checks:\n" + checks + REPORT)

    def test_all_pass_is_0(self):
        r = self.run_statuses("pass", "pass")
        self.assertEqual(r.returncode, 0, r.stderr)
        report = parse_report(r.stdout)
        self.assertEqual(report["run"]["status"], "PASS")
        self.assertEqual(report["run"]["counts"]["PASS"], 2)

    def test_worst_warning_is_1(self):
        self.assertEqual(self.run_statuses("pass", "warning").returncode, 1)

    def test_worst_fail_is_2(self):
        self.assertEqual(
            self.run_statuses("warning", "fail", "pass").returncode, 2)

    def test_error_beats_fail(self):
        r = self.run_statuses("fail", "error", "warning")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(parse_report(r.stdout)["run"]["status"], "ERROR")

    def test_unknown_beats_fail(self):
        r = self.run_statuses("fail", "unknown")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(parse_report(r.stdout)["run"]["status"], "UNKNOWN")

    def test_error_beats_unknown(self):
        r = self.run_statuses("unknown", "error")
        self.assertEqual(parse_report(r.stdout)["run"]["status"], "ERROR")

    def test_no_checks_is_pass(self):
        d = temp_dir(self)
        r = run_config(d, "checks: []\n" + REPORT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_report(r.stdout)["run"]["total"], 0)


class Thresholds(unittest.TestCase):
    def test_bounds_set_metric_and_check_status(self):
        d = temp_dir(self)
        yaml = ("checks:\n" + healthy(
            "objects", metrics="{objects.count: 5, objects.size: 50, "
            "rows: 7, ratio: nan}", extra=", message: listed") +
            "    thresholds:\n"
            "      \"objects.*\": {warn_below: 100, fail_below: 10}\n"
            "      objects.size: {warn_above: 40}\n"
            "      rows: {fail_above: 7}\n" + REPORT)
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3, r.stderr)  # nan -> UNKNOWN
        check = parse_report(r.stdout)["checks"]["objects"]
        m = check["metrics"]
        self.assertEqual(m["objects.count"]["status"], "FAIL")
        self.assertEqual(m["objects.count"]["reason"],
                         "objects.count=5 below fail_below 10")
        # The exact name wins over the glob written before it.
        self.assertEqual(m["objects.size"]["status"], "WARNING")
        self.assertEqual(m["objects.size"]["reason"],
                         "objects.size=50 above warn_above 40")
        self.assertEqual(m["rows"]["status"], "PASS")  # bounds are strict
        self.assertEqual(m["ratio"]["status"], "UNKNOWN")
        self.assertEqual(m["ratio"]["reason"], "not a finite number")
        self.assertEqual(check["status"], "UNKNOWN")
        self.assertEqual(check["message"],
                         "listed; objects.count=5 below fail_below 10; "
                         "objects.size=50 above warn_above 40; "
                         "ratio: not a finite number")

    def test_threshold_on_plugin_pass_gives_fail_exit(self):
        d = temp_dir(self)
        yaml = ("checks:\n" + healthy("c", metrics="{lag: 600}") +
                "    thresholds: {lag: {warn_above: 60, fail_above: 300}}\n" +
                REPORT)
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(parse_report(r.stdout)["checks"]["c"]["status"],
                         "FAIL")


class Selection(unittest.TestCase):
    YAML = ("checks:\n" + healthy("a") + healthy("b", "fail") +
            healthy("off", "error") + "    enabled: false\n" + REPORT)

    def test_disabled_checks_do_not_run(self):
        d = temp_dir(self)
        r = run_config(d, self.YAML)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(sorted(parse_report(r.stdout)["checks"]), ["a", "b"])

    def test_only_runs_named_checks(self):
        d = temp_dir(self)
        r = run_config(d, self.YAML, "--only", "a")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(list(parse_report(r.stdout)["checks"]), ["a"])
        r = run_config(d, self.YAML, "--only", "a", "--only", "off")
        self.assertEqual(r.returncode, 3)
        self.assertEqual(sorted(parse_report(r.stdout)["checks"]),
                         ["a", "off"])

    def test_only_unknown_name_is_usage_error(self):
        d = temp_dir(self)
        r = run_config(d, self.YAML, "--only", "of")
        self.assertEqual(r.returncode, 64)
        self.assertIn("no check named 'of'", r.stderr)
        self.assertIn("(did you mean 'off'?)", r.stderr)
        self.assertEqual(r.stdout, "")


class CommandLine(unittest.TestCase):
    def test_version_and_help(self):
        r = run_host("--version")
        self.assertEqual(r.returncode, 0)
        header = open(os.path.join(os.path.dirname(__file__), "..", "..",
                                   "sdk", "nbaq.h")).read()
        major = re.search(r"#define NBAQ_ABI_MAJOR (\d+)", header).group(1)
        minor = re.search(r"#define NBAQ_ABI_MINOR (\d+)", header).group(1)
        self.assertRegex(r.stdout, r"^nbaq-host \d+\.\d+\.\d+ \(plugin ABI "
                         + major + r"\." + minor + r"\)")
        r = run_host("--help")
        self.assertEqual(r.returncode, 0)
        for word in ("--check-config", "--list-plugins", "--only",
                     "--plugin-dir", "history"):
            self.assertIn(word, r.stdout)

    def test_usage_errors(self):
        r = run_host()
        self.assertEqual(r.returncode, 64)
        self.assertIn("missing -c FILE", r.stderr)
        r = run_host("--bogus")
        self.assertEqual(r.returncode, 64)
        self.assertIn("unknown option '--bogus'", r.stderr)
        r = run_host("-c")
        self.assertEqual(r.returncode, 64)
        d = temp_dir(self)
        r = run_config(d, "checks: []\n", "frobnicate")
        self.assertEqual(r.returncode, 64)
        self.assertIn("unknown command 'frobnicate'", r.stderr)
        r = run_config(d, "checks: []\n", "-q", "-v")
        self.assertEqual(r.returncode, 64)

    def test_a_bad_nbaq_now_is_refused(self):
        d = temp_dir(self)
        yaml = "checks:\n" + healthy("a") + REPORT
        for bad in ("2026-02-30T00:00:00Z", "yesterday", "2026-01-01"):
            env = dict(os.environ, NBAQ_NOW=bad)
            r = run_config(d, yaml, env=env)
            self.assertEqual(r.returncode, 64, r.stderr)
            self.assertIn(f"NBAQ_NOW: '{bad}' is not a time", r.stderr)
            self.assertEqual(r.stdout, "")
        r = run_config(d, yaml, env=dict(os.environ,
                                         NBAQ_NOW="2026-02-28T23:00:00Z"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(list(parse_report(r.stdout)["checks"]), ["a"])

    def test_check_config_runs_nothing(self):
        d = temp_dir(self)
        marker = os.path.join(d, "ran")
        yaml = ("checks:\n  - name: h\n    plugin: tp_misbehave\n"
                f"    options: {{mode: hang_group, pidfile: {marker}}}\n" +
                REPORT)
        r = run_config(d, yaml, "--check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration OK", r.stdout)
        self.assertIn("1 checks, 1 reporters", r.stdout)
        self.assertFalse(os.path.exists(marker))

    def test_verbosity(self):
        d = temp_dir(self)
        yaml = "checks:\n" + healthy("a", "warning") + REPORT
        r = run_config(d, yaml)
        self.assertNotIn("info:", r.stderr)
        r = run_config(d, yaml, "-v")
        self.assertIn("info: check 'a': WARNING", r.stderr)
        self.assertNotIn("debug:", r.stderr)
        r = run_config(d, yaml, "-vv")
        self.assertIn("debug:", r.stderr)
        self.assertIn("peak RSS of the host", r.stderr)
        # -q keeps errors only: the warning about an alert route to a
        # disabled reporter disappears.
        yaml_alerts = yaml + ("  - name: muted\n    plugin: tp_report\n"
                              "    enabled: false\n"
                              "alerts:\n  routes: [{channel: muted}]\n")
        r = run_config(d, yaml_alerts)
        self.assertIn("warning:", r.stderr)
        r = run_config(d, yaml_alerts, "-q")
        self.assertEqual(r.stderr, "")


class Isolation(unittest.TestCase):
    def test_plugin_prints_do_not_reach_stdout(self):
        d = temp_dir(self)
        r = run_config(d, "checks:\n" + healthy("a", extra=", print: true")
                       + REPORT)
        self.assertEqual(r.returncode, 0)
        self.assertNotIn("JUNK", r.stdout)
        self.assertIn("JUNK FROM tp_healthy ON STDOUT", r.stderr)
        for line in r.stdout.splitlines():
            self.assertIn(line.split("\t")[0], ("run", "check", "metric"))

    def test_host_api_services(self):
        d = temp_dir(self)
        r = run_config(d, "checks:\n" + healthy(
            "a", extra=", cache_file: shared.txt") + REPORT, "-v")
        self.assertEqual(r.returncode, 0, r.stderr)
        m = parse_report(r.stdout)["checks"]["a"]["metrics"]
        self.assertEqual(m["cache_file_created"]["value"], 1)
        self.assertEqual(m["time_left_positive"]["value"], 1)
        # The plugin's log line names the check; the directory is gone.
        line = [x for x in r.stderr.splitlines() if "cache dir" in x][0]
        self.assertIn("check 'a': info: cache dir ", line)
        cache_dir = line.split("cache dir ", 1)[1]
        self.assertFalse(os.path.exists(cache_dir))

    def test_workers_bound_concurrency(self):
        d = temp_dir(self)
        out = os.path.join(d, "r.json")
        checks = "".join(healthy(f"s{i}", extra=", sleep: 200ms")
                         for i in range(3))
        yaml = ("workers: 1\nchecks:\n" + checks +
                f"reporters:\n  - plugin: json\n    options: {{output: {out}}}\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 0, r.stderr)
        checks = read_json(out)["checks"]
        # With one worker, no check starts before the previous one ended.
        for a, b in zip(checks, checks[1:]):
            self.assertGreaterEqual(b["duration_ms"], 200)
            self.assertLessEqual(
                _ms(a["started_at"]) + a["duration_ms"], _ms(b["started_at"]) + 1)


def _ms(iso):
    import datetime
    t = datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")
    t = t.replace(tzinfo=datetime.timezone.utc)
    return int(t.timestamp() * 1000 + 0.5)


class JsonReport(unittest.TestCase):
    def test_healthy_results_in_json_report(self):
        if not os.path.exists(os.path.join(PLUGIN_DIR, "json.so")):
            self.fail("the json reporter is not built (target json)")
        d = temp_dir(self)
        out = os.path.join(d, "report.json")
        yaml = ("monitor: nba-pipeline\nchecks:\n" +
                healthy("good", metrics="{rows: 12}", extra=", unit: rows") +
                "    severity: high\n"
                "  - {name: bad, plugin: tp_misbehave, options: {mode: segfault}}\n"
                f"reporters:\n  - plugin: json\n    options: {{output: {out}}}\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3, r.stderr)
        report = read_json(out)
        self.assertEqual(report["schema_version"], 1)
        self.assertEqual(report["monitor"], "nba-pipeline")
        self.assertEqual(report["status"], "ERROR")
        self.assertEqual(report["summary"]["total"], 2)
        self.assertEqual(report["summary"]["PASS"], 1)
        self.assertEqual(report["summary"]["ERROR"], 1)
        self.assertIsNone(report["history_saved"])
        good = [c for c in report["checks"] if c["name"] == "good"][0]
        self.assertEqual(good["status"], "PASS")
        self.assertEqual(good["plugin"], "tp_healthy")
        self.assertEqual(good["message"], "healthy")
        self.assertEqual(good["severity"], "HIGH")
        metric = [m for m in good["metrics"] if m["name"] == "rows"][0]
        self.assertEqual(metric["value"], 12)
        self.assertEqual(metric["unit"], "rows")
        bad = [c for c in report["checks"] if c["name"] == "bad"][0]
        self.assertEqual(bad["message"], "crashed: signal 11 (Segmentation fault)")
        self.assertEqual(bad["metrics"], [])
        self.assertRegex(report["run_id"], r"^\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{8}$")

    def test_run_ids_are_unique(self):
        d = temp_dir(self)
        out = os.path.join(d, "r.json")
        yaml = ("checks: []\n"
                f"reporters:\n  - plugin: json\n    options: {{output: {out}}}\n")
        ids = set()
        for _ in range(3):
            run_config(d, yaml)
            ids.add(read_json(out)["run_id"])
        self.assertEqual(len(ids), 3)


class State(unittest.TestCase):
    def test_state_round_trip_through_history(self):
        d = temp_dir(self)
        yaml = ("history: {url: history.db}\nchecks:\n" +
                healthy("a", extra=", count_runs: true") + REPORT)
        runs = []
        for _ in range(3):
            r = run_config(d, yaml)
            self.assertEqual(r.returncode, 0, r.stderr)
            report = parse_report(r.stdout)
            self.assertEqual(report["run"]["history_saved"], 1)
            runs.append(report["checks"]["a"]["metrics"]["runs"]["value"])
        self.assertEqual(runs, [1, 2, 3])

    def test_no_store_no_state(self):
        d = temp_dir(self)
        yaml = "checks:\n" + healthy("a", extra=", count_runs: true") + REPORT
        for _ in range(2):
            r = run_config(d, yaml)
            report = parse_report(r.stdout)
            self.assertEqual(report["checks"]["a"]["metrics"]["runs"]["value"], 1)
            self.assertEqual(report["run"]["history_saved"], 0)

    def test_unusable_store_is_exit_3(self):
        d = temp_dir(self)
        yaml = ("history: {url: no/such/dir/history.db}\nchecks:\n" +
                healthy("a") + REPORT)
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3)
        self.assertIn("history store", r.stderr)
        report = parse_report(r.stdout)
        self.assertEqual(report["run"]["history_saved"], -1)
        self.assertEqual(report["checks"]["a"]["status"], "PASS")


if __name__ == "__main__":
    unittest.main()
