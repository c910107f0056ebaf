"""Reporters run in their own processes: one that crashes, fails or hangs
is reported on stderr, the others still run, and the exit code becomes 3
(tests/integration)."""
import os
import unittest

from hostlib import parse_report, run_config, temp_dir

CHECKS = ("checks:\n  - name: a\n    plugin: tp_healthy\n"
          "    options: {metrics: {rows: 1}}\n")


def bad(name, mode):
    return (f"  - name: {name}\n    plugin: tp_bad_reporter\n"
            f"    options: {{mode: {mode}}}\n")


class FailingReporters(unittest.TestCase):
    def test_crash_fail_and_hang(self):
        d = temp_dir(self)
        yaml = (CHECKS + "reporters:\n" + bad("crashes", "crash") +
                bad("fails", "fail") + bad("hangs", "hang") +
                "    timeout: 1s\n" + bad("prints", "print") +
                "  - name: facts\n    plugin: tp_report\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertIn("reporter 'crashes' failed: crashed: signal 11 "
                      "(Segmentation fault)", r.stderr)
        self.assertIn("reporter 'fails' failed: cannot reach the sink (test)",
                      r.stderr)
        self.assertIn("reporter 'hangs' failed: timed out after 1s", r.stderr)
        self.assertNotIn("'prints' failed", r.stderr)
        # The last reporter still ran, and a reporter's stray print went to
        # stderr, not into the report on stdout.
        report = parse_report(r.stdout)
        self.assertEqual(report["checks"]["a"]["status"], "PASS")
        self.assertNotIn("STRAY", r.stdout)
        self.assertIn("STRAY REPORTER PRINT", r.stderr)

    def test_reporter_failure_does_not_hide_worse(self):
        d = temp_dir(self)
        yaml = (CHECKS + "    thresholds: {rows: {fail_above: 0}}\n"
                "reporters:\n" + bad("fails", "fail"))
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3)

    def test_disabled_reporter_does_not_run(self):
        d = temp_dir(self)
        yaml = (CHECKS + "reporters:\n" + bad("fails", "fail") +
                "    enabled: false\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 0, r.stderr)


class Output(unittest.TestCase):
    def test_output_file_relative_to_config(self):
        d = temp_dir(self)
        yaml = (CHECKS + "reporters:\n  - plugin: tp_report\n"
                "    options: {output: out/facts.tsv}\n")
        os.makedirs(os.path.join(d, "out"))
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout, "")
        with open(os.path.join(d, "out", "facts.tsv")) as f:
            self.assertEqual(parse_report(f.read())["run"]["total"], 1)
        self.assertEqual(os.listdir(os.path.join(d, "out")), ["facts.tsv"])

    def test_output_dir_writes_timestamped_and_latest(self):
        d = temp_dir(self)
        reports = os.path.join(d, "reports")
        os.makedirs(reports)
        yaml = ("monitor: mon\n" + CHECKS +
                "reporters:\n  - plugin: tp_report\n"
                f"    options: {{output_dir: {reports}}}\n")
        for _ in range(2):
            r = run_config(d, yaml)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout, "")
        names = sorted(os.listdir(reports))
        self.assertEqual(len(names), 3, names)
        self.assertEqual(names[-1], "mon-latest.tsv")
        for name in names[:2]:
            self.assertRegex(name, r"^mon-\d{8}T\d{6}\.\d{3}Z\.tsv$")
        with open(os.path.join(reports, names[1])) as f:
            newest = f.read()
        with open(os.path.join(reports, "mon-latest.tsv")) as f:
            self.assertEqual(f.read(), newest)

    def test_missing_output_dir_fails_naming_it(self):
        d = temp_dir(self)
        missing = os.path.join(d, "nope")
        yaml = (CHECKS + "reporters:\n  - name: facts\n    plugin: tp_report\n"
                f"    options: {{output_dir: {missing}}}\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 3)
        self.assertIn(f"reporter 'facts' failed: {missing}: output "
                      "directory: No such file or directory", r.stderr)


if __name__ == "__main__":
    unittest.main()
