"""Helpers for the reporter tests in tests/reports/: run a reporter plugin
on a fixture through nbaq-plugin-test (sdk/harness), compare with golden
files, build hostile and huge fixtures.

Every test script takes --harness, --plugins and --artifacts (ctest passes
them; see CMakeLists.txt). NBAQ_UPDATE_GOLDEN=1 rewrites the golden files
instead of comparing: review the diff with git before committing it.
"""
import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "fixtures")
BASIC = os.path.join(FIXTURES, "run_basic.json")
STATUSES = ["PASS", "WARNING", "FAIL", "ERROR", "UNKNOWN"]
SEVERITIES = ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
ARGS = argparse.Namespace(harness=None, plugins=None, artifacts=None)


def main():
    """unittest.main after taking our own arguments off argv."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--plugins", required=True)
    parser.add_argument("--artifacts", required=True)
    known, rest = parser.parse_known_args()
    ARGS.harness, ARGS.plugins, ARGS.artifacts = (
        known.harness, known.plugins, known.artifacts)
    os.makedirs(ARGS.artifacts, exist_ok=True)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


def plugin(name):
    path = os.path.join(ARGS.plugins, name + ".so")
    if not os.path.exists(path):
        raise unittest.SkipTest(f"{path} not built")
    return path


def run_reporter(name, fixture=BASIC, options=(), output=None,
                 extra_args=()):
    """Runs the reporter; returns (CompletedProcess, output bytes)."""
    with tempfile.TemporaryDirectory(prefix="nbaq-report-") as tmp:
        out = output or os.path.join(tmp, "report.out")
        argv = [ARGS.harness, "-o", out]
        for opt in options:
            argv += ["--set", opt]
        argv += [*extra_args, plugin(name), fixture]
        proc = subprocess.run(argv, capture_output=True, timeout=120)
        data = b""
        if os.path.exists(out):
            with open(out, "rb") as f:
                data = f.read()
        return proc, data


def drive(harness, plugin_path, fixture_path, sets=(), output=None):
    """Runs nbaq-plugin-test once, the report on its stdout (or in
    output); returns the CompletedProcess (bytes). For tests outside this
    folder, which find the harness and the plugin themselves."""
    argv = [harness]
    for s in sets:
        argv += ["--set", s]
    if output:
        argv += ["-o", output]
    return subprocess.run(argv + [plugin_path, fixture_path],
                          capture_output=True, timeout=60)


def unwritable_output():
    """A report path whose directory does not exist: the host's
    output_write fails there for real (the tests run as root, to whom no
    permission is refused)."""
    return os.path.join(tempfile.gettempdir(), f"nbaq-missing-{os.getpid()}",
                        "report.out")


def fixture_variant(directory, fixture_path, change):
    """Writes directory/run.json: the JSON fixture at fixture_path after
    change(run); returns its path."""
    with open(fixture_path) as f:
        run = json.load(f)
    change(run)
    path = os.path.join(directory, "run.json")
    with open(path, "w") as f:
        json.dump(run, f)
    return path


def report_bytes(test, name, fixture=BASIC, options=()):
    """The report, asserting the harness succeeded."""
    proc, data = run_reporter(name, fixture, options)
    test.assertEqual(proc.returncode, 0, proc.stderr.decode(errors="replace"))
    return data


def assert_golden(test, data, path):
    """Compares data with the golden file at path, showing a unified
    diff."""
    golden_name = os.path.basename(path)
    if os.environ.get("NBAQ_UPDATE_GOLDEN") == "1":
        with open(path, "wb") as f:
            f.write(data)
        return
    with open(path, "rb") as f:
        expected = f.read()
    if data != expected:
        diff = difflib.unified_diff(
            expected.decode(errors="replace").splitlines(True),
            data.decode(errors="replace").splitlines(True),
            "golden/" + golden_name, "output")
        test.fail("output differs from the golden file (run with "
                  "NBAQ_UPDATE_GOLDEN=1 to accept, then review git diff):\n"
                  + "".join(diff))


def load_fixture(path=BASIC):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8", errors="surrogateescape"))


def own_fail_of_orders_rows(run, plugin_words):
    """Makes orders_rows of reporters/json/tests/run_full.json a check
    whose plugin itself says FAIL beside its failing metrics: the host
    appends the failing metrics' reasons to the plugin's message
    (core/evaluate.c joins them with "; ") and the lifecycle opens an
    alert on the check's own condition (metric "")."""
    rows = run["checks"][1]
    rows["message"] = (plugin_words + "; 120 < fail_below 1000; "
                       "anomaly: z=4.2")
    run["alerts"].append({
        "fingerprint": "shop/orders_rows", "check": "orders_rows",
        "metric": "", "summary": "FAIL: " + plugin_words,
        "severity": "CRITICAL", "state": "firing",
        "started_ms": 1699999000000, "failing_runs": 2})


def write_fixture(directory, name, run, raw_replacements=None):
    """Writes run as JSON; raw_replacements maps placeholder text to raw
    bytes (for invalid UTF-8, which JSON itself cannot hold)."""
    text = json.dumps(run, ensure_ascii=False).encode("utf-8")
    for placeholder, raw in (raw_replacements or {}).items():
        text = text.replace(placeholder.encode(), raw)
    path = os.path.join(directory, name)
    with open(path, "wb") as f:
        f.write(text)
    return path


def status_counts(run):
    counts = {s: 0 for s in STATUSES}
    for check in run["checks"]:
        counts[check["status"]] += 1
    return counts


def worst_status(run):
    order = ["PASS", "WARNING", "FAIL", "UNKNOWN", "ERROR"]
    return max((c["status"] for c in run["checks"]), key=order.index,
               default="PASS")


# Names that break every format that does not escape them.
HOSTILE_CHECK = 'evil|check <script>alert("x")</script> & `tick` \'q\''
HOSTILE_METRIC = ('bad metric/name "quoted" \\ back{brace}=\n'
                  'newline\t\u00e9\u6f22 ]]> </svg><img src=x onerror=1>')
HOSTILE_MESSAGE = ('line one\nline two | pipe *star* _under_ [link](x) '
                   '<b>bold</b> \x01ctrl\x1f @@BAD@@ end')


def hostile_run():
    """A run whose names and messages hold everything that needs escaping;
    @@BAD@@ stands for invalid UTF-8 bytes (see write_fixture)."""
    t0 = 1777874400000
    return {
        "monitor": "mon \"itor\" <m>", "run_id": "run|1 <r>",
        "started_ms": t0, "finished_ms": t0 + 1000, "history_saved": 1,
        "checks": [
            {"name": HOSTILE_CHECK, "plugin": "plug<in>", "status": "FAIL",
             "severity": "HIGH", "message": HOSTILE_MESSAGE,
             "started_ms": t0, "duration_ms": 12,
             "metrics": [
                 {"name": HOSTILE_METRIC, "value": 1.5, "unit": "u\"<n>",
                  "status": "FAIL", "reason": "reason <i>x</i> | y",
                  "previous": 1.0, "change_pct": 50.0, "trend": "worsening",
                  "window_ms": 86400000,
                  "stats": {"count": 3, "min": 1, "max": 1.5, "mean": 1.2,
                            "median": 1.1, "stddev": 0.26},
                  "history": [[t0 - 7200000, 1.0], [t0 - 3600000, 1.1],
                              [t0, 1.5]]},
                 {"name": "1starts.with-digit:and-dash", "value": "NaN",
                  "unit": "", "status": "WARNING"},
                 {"name": "", "value": "-Inf", "unit": "", "status": "PASS"},
                 {"name": "@@BAD@@", "value": 1e300, "unit": "",
                  "status": "PASS"}]},
            {"name": "plain", "plugin": "p", "status": "UNKNOWN",
             "message": "", "started_ms": t0, "duration_ms": 0,
             "metrics": []}],
        "alerts": [
            {"fingerprint": "f", "check": HOSTILE_CHECK,
             "metric": HOSTILE_METRIC, "summary": HOSTILE_MESSAGE,
             "severity": "HIGH", "state": "new", "started_ms": t0,
             "failing_runs": 1}]}


def write_hostile(directory):
    return write_fixture(directory, "hostile.json", hostile_run(),
                         {"@@BAD@@": b"\xff\xfe\xc3"})


def big_run(checks, metrics_per_check=3, history_points=30):
    """A synthetic run: every fifth check FAIL, the rest PASS."""
    t0 = 1777874400000
    out = {"monitor": "big", "run_id": "big-1", "started_ms": t0,
           "finished_ms": t0 + 60000, "checks": [], "alerts": []}
    for i in range(checks):
        status = "FAIL" if i % 5 == 0 else "PASS"
        metrics = []
        for j in range(metrics_per_check):
            history = [[t0 - (history_points - k - 1) * 3600000, k + j]
                       for k in range(history_points)]
            metrics.append({"name": f"metric_{j}", "value": i + j,
                            "unit": "rows", "status": status,
                            "trend": "up", "window_ms": 86400000,
                            "stats": {"count": history_points, "min": 0,
                                      "max": history_points, "mean": 1,
                                      "median": 1, "stddev": 1},
                            "history": history})
        out["checks"].append({"name": f"check_{i:05d}", "plugin": "p",
                              "status": status, "message": f"check {i}",
                              "started_ms": t0, "duration_ms": 10,
                              "metrics": metrics})
    return out
