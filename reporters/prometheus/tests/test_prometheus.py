"""The prometheus reporter: golden file, promtool, values against the
fixture, sanitized names, escaped label values, write errors."""
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import report_test_support as s  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "golden")

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def parse_labels(text, pos):
    """Parses {a="x",b="y"} from text[pos] == '{'; returns (dict, end)."""
    labels = {}
    pos += 1
    while text[pos] != "}":
        m = LABEL_NAME.match(text, pos)
        assert m, f"bad label name at {text[pos:pos + 20]!r}"
        name = m.group(0)
        pos = m.end()
        assert text[pos:pos + 2] == '="', text[pos:pos + 20]
        pos += 2
        value = []
        while text[pos] != '"':
            if text[pos] == "\\":
                value.append({"\\": "\\", '"': '"', "n": "\n"}[text[pos + 1]])
                pos += 2
            else:
                value.append(text[pos])
                pos += 1
        labels[name] = "".join(value)
        pos += 1
        if text[pos] == ",":
            pos += 1
    return labels, pos + 1


def parse_exposition(text):
    """Returns ({family: type}, [(name, labels, value)])."""
    types, samples = {}, []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
            continue
        if line.startswith("#") or not line:
            continue
        m = NAME.match(line)
        labels, end = parse_labels(line, m.end())
        samples.append((m.group(0), labels, float(line[end:].strip())))
    return types, samples


def promtool(path):
    tool = shutil.which("promtool")
    if not tool:
        raise unittest.SkipTest("promtool not installed (Debian prometheus)")
    with open(path, "rb") as f:
        return subprocess.run([tool, "check", "metrics"], stdin=f,
                              capture_output=True, text=True, timeout=60)


class PrometheusTest(unittest.TestCase):
    def exposition(self, fixture=s.BASIC, options=()):
        data = s.report_bytes(self, "prometheus", fixture, options)
        path = os.path.join(s.ARGS.artifacts, "last.prom")
        with open(path, "wb") as f:
            f.write(data)
        return data, path

    def test_golden(self):
        data, _ = self.exposition()
        s.assert_golden(self, data, os.path.join(GOLDEN, "run_basic.prom"))

    def test_promtool_accepts_it(self):
        _, path = self.exposition()
        proc = promtool(path)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertEqual(proc.stdout + proc.stderr, "", "lint findings")

    def test_values_match_the_fixture(self):
        run = s.load_fixture()
        data, _ = self.exposition()
        types, samples = parse_exposition(data.decode())
        self.assertTrue(all(t == "gauge" for t in types.values()))
        by = {}
        for name, labels, value in samples:
            by.setdefault(name, []).append((labels, value))
        values = {(l["check"], l["metric"]): (v, l["unit"])
                  for l, v in by["nbaq_metric_value"]}
        expected = {(c["name"], m["name"]): (m["value"], m["unit"])
                    for c in run["checks"] for m in c["metrics"]}
        self.assertEqual(values, expected)
        status = {l["check"]: v for l, v in by["nbaq_check_status"]}
        self.assertEqual(status, {c["name"]: s.STATUSES.index(c["status"])
                                  for c in run["checks"]})
        # one-hot: exactly one 1 per check, on its status
        for check in run["checks"]:
            hot = [l["status"] for l, v in by["nbaq_check_state"]
                   if l["check"] == check["name"] and v == 1]
            self.assertEqual(hot, [check["status"]])
        durations = {l["check"]: v for l, v in
                     by["nbaq_check_duration_seconds"]}
        self.assertEqual(durations, {c["name"]: c["duration_ms"] / 1000
                                     for c in run["checks"]})
        self.assertEqual(by["nbaq_run_timestamp_seconds"][0][1],
                         run["finished_ms"] / 1000)
        counts = {l["status"]: v for l, v in by["nbaq_run_checks"]}
        self.assertEqual(counts, s.status_counts(run))
        open_alerts = {l["severity"]: v for l, v in by["nbaq_alerts_open"]}
        want = {sev: 0 for sev in s.SEVERITIES}
        for alert in run["alerts"]:
            if alert["state"] != "resolved":
                want[alert["severity"]] += 1
        self.assertEqual(open_alerts, want)
        change = {(l["check"], l["metric"]) for l, _ in
                  by["nbaq_metric_change_percent"]}
        self.assertEqual(change, {(c["name"], m["name"]) for c in
                                  run["checks"] for m in c["metrics"]
                                  if "previous" in m})

    def test_hostile_names_are_escaped_not_mangled(self):
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_hostile(tmp)
            data, path = self.exposition(fixture)
        proc = promtool(path)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        _, samples = parse_exposition(data.decode("utf-8"))
        metrics = {l["metric"]: v for n, l, v in samples
                   if n == "nbaq_metric_value"}
        self.assertEqual(metrics[s.HOSTILE_METRIC], 1.5)
        self.assertTrue(math.isnan(metrics["1starts.with-digit:and-dash"]))
        self.assertEqual(metrics[""], -math.inf)
        self.assertEqual(metrics["\ufffd\ufffd\ufffd"], 1e300)
        checks = {l["check"] for n, l, v in samples
                  if n == "nbaq_check_status"}
        self.assertEqual(checks, {s.HOSTILE_CHECK, "plain"})

    def test_prefix_and_labels_are_sanitized(self):
        data, path = self.exposition(options=[
            "prefix=9data-quality.v2", "labels=env-name=prod \"eu\"",
            "labels=__reserved=x", "labels=ok=1"])
        proc = promtool(path)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        _, samples = parse_exposition(data.decode())
        names = {n for n, _, _ in samples}
        self.assertIn("_9data_quality_v2_metric_value", names)
        self.assertTrue(all(n.startswith("_9data_quality_v2_")
                            for n in names))
        for _, labels, _ in samples:
            self.assertEqual(labels["env_name"], 'prod "eu"')
            self.assertEqual(labels["x__reserved"], "x")
            self.assertEqual(labels["ok"], "1")

    def test_empty_prefix_is_refused(self):
        proc, data = s.run_reporter("prometheus", options=["prefix="])
        self.assertEqual(proc.returncode, 1)
        self.assertIn(b"prefix must not be empty", proc.stderr)
        self.assertEqual(data, b"")

    def test_write_error_is_reported(self):
        out = s.unwritable_output()
        proc, _ = s.run_reporter("prometheus", output=out)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(out.encode() + b": cannot create a file there",
                      proc.stderr)

    def test_unknown_option_is_refused(self):
        proc, _ = s.run_reporter("prometheus", options=["prefx=x"])
        self.assertEqual(proc.returncode, 78)
        self.assertIn(b"prefx", proc.stderr)


if __name__ == "__main__":
    s.main()
