"""The junit reporter: golden file, counts read back with xml.etree,
WARNING handling, escaping of hostile text."""
import os
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import report_test_support as s  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "golden")


def expected_outcomes(run, warning_fails):
    """{check name: "failure" | "error" | None} worked out from the run."""
    out = {}
    for check in run["checks"]:
        status = check["status"]
        if status == "FAIL" or (status == "WARNING" and warning_fails):
            out[check["name"]] = "failure"
        elif status in ("ERROR", "UNKNOWN"):
            out[check["name"]] = "error"
        else:
            out[check["name"]] = None
    return out


def outcomes(suite):
    out = {}
    for case in suite.iter("testcase"):
        kinds = [child.tag for child in case
                 if child.tag in ("failure", "error", "skipped")]
        out[case.get("name")] = kinds[0] if kinds else None
        assert len(kinds) <= 1, kinds
    return out


class JunitTest(unittest.TestCase):
    def parse(self, fixture=s.BASIC, options=()):
        data = s.report_bytes(self, "junit", fixture, options)
        return data, ET.fromstring(data)

    def test_golden(self):
        data, _ = self.parse()
        s.assert_golden(self, data, os.path.join(GOLDEN, "run_basic.xml"))

    def check_counts(self, root, run, warning_fails):
        suite = root.find("testsuite")
        want = expected_outcomes(run, warning_fails)
        self.assertEqual(outcomes(suite), want)
        values = list(want.values())
        for element in (root, suite):
            self.assertEqual(int(element.get("tests")), len(run["checks"]))
            self.assertEqual(int(element.get("failures")),
                             values.count("failure"))
            self.assertEqual(int(element.get("errors")),
                             values.count("error"))
            self.assertEqual(int(element.get("skipped")), 0)

    def test_counts_and_cases(self):
        run = s.load_fixture()
        _, root = self.parse()
        self.check_counts(root, run, warning_fails=False)
        suite = root.find("testsuite")
        self.assertEqual(suite.get("name"), run["monitor"])
        for case, check in zip(suite.iter("testcase"), run["checks"]):
            self.assertEqual(case.get("classname"), run["monitor"])
            self.assertEqual(case.get("name"), check["name"])
            self.assertAlmostEqual(float(case.get("time")),
                                   check["duration_ms"] / 1000)
        self.assertAlmostEqual(
            float(suite.get("time")),
            (run["finished_ms"] - run["started_ms"]) / 1000)

    def test_warning_passes_with_its_message_by_default(self):
        _, root = self.parse()
        case = root.find(".//testcase[@name='customers_nulls']")
        self.assertIsNone(case.find("failure"))
        out = case.find("system-out").text
        self.assertIn("WARNING: 2 columns above their NULL-rate limits", out)
        self.assertIn("metric email.null_rate = 0.082 ratio: WARNING", out)

    def test_warning_as_failure(self):
        run = s.load_fixture()
        _, root = self.parse(options=["warning_as=failure"])
        self.check_counts(root, run, warning_fails=True)
        failure = root.find(".//testcase[@name='customers_nulls']/failure")
        self.assertEqual(failure.get("type"), "WARNING")

    def test_failure_carries_message_and_metrics(self):
        _, root = self.parse()
        failure = root.find(".//testcase[@name='orders_landing']/failure")
        self.assertEqual(failure.get("message"), "newest object under "
                         "s3://raw/orders/dt=2026-05-04/ is 26h old (max 6h)")
        self.assertIn("metric newest_age_seconds = 93600 s: FAIL "
                      "(93600 > fail_above 21600)", failure.text)

    def test_hostile_text_round_trips(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, root = self.parse(s.write_hostile(tmp))
        suite = root.find("testsuite")
        self.assertEqual(suite.get("name"), 'mon "itor" <m>')
        cases = list(suite.iter("testcase"))
        self.assertEqual(cases[0].get("name"), s.HOSTILE_CHECK)
        failure = cases[0].find("failure")
        # XML 1.0 cannot hold \x01 or \x1f; invalid UTF-8 is replaced too.
        want = (s.HOSTILE_MESSAGE.replace("\x01", "\ufffd")
                .replace("\x1f", "\ufffd")
                .replace("@@BAD@@", "\ufffd\ufffd\ufffd"))
        self.assertEqual(failure.get("message"), want)
        self.assertIn(s.HOSTILE_METRIC, failure.text)
        self.assertEqual(cases[1].find("error").get("type"), "UNKNOWN")
        self.assertEqual(cases[1].find("error").get("message"), "UNKNOWN")

    def test_write_error_is_reported(self):
        out = s.unwritable_output()
        proc, _ = s.run_reporter("junit", output=out)
        self.assertEqual(proc.returncode, 1)
        self.assertIn(out.encode() + b": cannot create a file there: No such "
                      b"file or directory", proc.stderr)


if __name__ == "__main__":
    s.main()
