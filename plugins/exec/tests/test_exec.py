#!/usr/bin/env python3
"""The exec checker inside the real nbaq-host: each check is judged from
the JSON report the host writes (json reporter), and the text report is
compared line by line."""
import json
import os
import re
import shutil
import stat
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

SCRIPTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts")
FAKE = os.path.join(SCRIPTS, "fake_plugin.sh")


def yaml_list(items):
    return "[" + ", ".join(json.dumps(i) for i in items) + "]"


def check_yaml(name, command, **options):
    """One check of plugin exec; options are written as YAML (JSON
    values are valid YAML flow values)."""
    lines = [f"  - name: {name}", "    plugin: exec", "    options:",
             f"      command: {yaml_list(command)}"]
    for key, value in options.items():
        lines.append(f"      {key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


class ExecInHostTest(unittest.TestCase):
    def run_checks(self, checks_yaml, extra_files=(), cwd=None):
        """Writes a config with these checks and the text and json
        reporters writing to files, runs the host; returns (process,
        report dict, text report)."""
        d = nbaq_test.temp_dir(self)
        for name, text, mode in extra_files:
            path = nbaq_test.write_file(d, name, text)
            os.chmod(path, mode)
        config = nbaq_test.write_file(d, "monitor.yaml", (
            "monitor: exectest\n"
            "checks:\n" + checks_yaml +
            "reporters:\n"
            "  - plugin: json\n"
            "    options: {output: report.json}\n"
            "  - plugin: text\n"
            "    options: {output: report.txt, color: never}\n"))
        proc = nbaq_test.run_host("-c", config, cwd=cwd or d)
        report_path = os.path.join(d, "report.json")
        self.assertTrue(os.path.exists(report_path),
                        f"no report; host stderr:\n{proc.stderr}")
        with open(report_path) as f:
            report = json.load(f)
        with open(os.path.join(d, "report.txt")) as f:
            text = f.read()
        return proc, report, text

    @staticmethod
    def by_name(report):
        return {c["name"]: c for c in report["checks"]}

    @staticmethod
    def metrics(check):
        return {m["name"]: (m["value"], m["unit"]) for m in check["metrics"]}

    def test_exit_codes(self):
        checks = "".join(
            check_yaml(f"exit{code}", [FAKE, str(code), f"said {code}\n"])
            for code in (0, 1, 2, 3, 4, 255))
        proc, report, _ = self.run_checks(checks)
        got = {name: (c["status"], c["message"])
               for name, c in self.by_name(report).items()}
        self.assertEqual(got, {
            "exit0": ("PASS", "said 0"),
            "exit1": ("WARNING", "said 1"),
            "exit2": ("FAIL", "said 2"),
            "exit3": ("UNKNOWN", "said 3"),
            "exit4": ("UNKNOWN",
                      f"command exited with status 4: {FAKE}; said 4"),
            "exit255": ("UNKNOWN",
                        f"command exited with status 255: {FAKE}; said 255"),
        })
        self.assertEqual(report["summary"],
                         {"total": 6, "PASS": 1, "WARNING": 1, "FAIL": 1,
                          "ERROR": 0, "UNKNOWN": 3})
        self.assertEqual(proc.returncode, 3)

    def test_worst_exit_code_of_the_host(self):
        for code, host_exit in ((0, 0), (1, 1), (2, 2)):
            proc, _, _ = self.run_checks(
                check_yaml("one", [FAKE, str(code), "x\n"]))
            self.assertEqual(proc.returncode, host_exit, proc.stderr)

    def test_perfdata_becomes_metrics(self):
        out = ("DISK OK - free space: / 3326 MB (56%); | "
               "/=2643MB;5948;5958;0;5968 'in use'=50%;;;0;100\n"
               "long text line\n"
               "more long text | time=0.5s;1;2 bytes=1024B\n"
               "count=7c;@1:3;~:10 ok=U\n")
        proc, report, _ = self.run_checks(check_yaml("disk", [FAKE, "0", out]))
        disk = self.by_name(report)["disk"]
        self.assertEqual(disk["status"], "PASS")
        self.assertEqual(disk["message"],
                         "DISK OK - free space: / 3326 MB (56%);")
        self.assertEqual(self.metrics(disk), {
            "/": (2643, "MB"), "in use": (50, "%"), "time": (0.5, "s"),
            "bytes": (1024, "B"), "count": (7, "c")})

    def test_malformed_perfdata_is_reported_not_fatal(self):
        out = "WARNING - odd | good=1 bad load=x;1 'open=3\n"
        proc, report, _ = self.run_checks(
            check_yaml("odd", [FAKE, "1", out, "a warning on stderr\n"]))
        odd = self.by_name(report)["odd"]
        self.assertEqual(odd["status"], "WARNING")
        self.assertEqual(self.metrics(odd), {"good": (1, "")})
        self.assertEqual(
            odd["message"],
            "WARNING - odd; ignored perfdata 'bad': no '=' after the label "
            "and 2 more; stderr: a warning on stderr")

    def test_number_mode(self):
        checks = (
            check_yaml("count", [FAKE, "0", "  42\n"], mode="number",
                       metric="rows", unit="rows") +
            check_yaml("plain", [FAKE, "0", "-3.5"], mode="number") +
            check_yaml("words", [FAKE, "0", "forty two\n"], mode="number") +
            check_yaml("two", [FAKE, "0", "1\n2\n"], mode="number") +
            check_yaml("empty", [FAKE, "0", ""], mode="number") +
            check_yaml("failed", [FAKE, "1", "7\n", "db down\n"],
                       mode="number"))
        proc, report, _ = self.run_checks(checks)
        c = self.by_name(report)
        self.assertEqual((c["count"]["status"], c["count"]["message"]),
                         ("PASS", "rows = 42 rows"))
        self.assertEqual(self.metrics(c["count"]), {"rows": (42, "rows")})
        self.assertEqual(self.metrics(c["plain"]), {"value": (-3.5, "")})
        self.assertEqual(c["plain"]["message"], "value = -3.5")
        self.assertEqual((c["words"]["status"], c["words"]["message"]),
                         ("ERROR", "output is not a number: 'forty two'"))
        self.assertEqual((c["two"]["status"], c["two"]["message"]),
                         ("ERROR", "output is not a number: '1\\n2'"))
        self.assertEqual((c["empty"]["status"], c["empty"]["message"]),
                         ("ERROR", "output is empty, expected one number"))
        self.assertEqual(
            (c["failed"]["status"], c["failed"]["message"]),
            ("ERROR", f"command exited with status 1: {FAKE}; stderr: db down"))
        for name in ("words", "two", "empty", "failed"):
            self.assertEqual(c[name]["metrics"], [])

    def test_metric_option_refused_in_nagios_mode(self):
        """validate(): refused before any check runs (--check-config and a
        run alike), naming the check, the plugin and the option."""
        d = nbaq_test.temp_dir(self)
        config = nbaq_test.write_file(d, "monitor.yaml", (
            "monitor: exectest\nchecks:\n" +
            check_yaml("mixed", [FAKE, "0", "OK\n"], metric="rows")))
        for args in (["--check-config"], []):
            proc = nbaq_test.run_host("-c", config, *args, cwd=d)
            self.assertEqual(proc.returncode, 78, proc.stderr)
            self.assertIn(f"{config}:3:5: check 'mixed': plugin 'exec': "
                          f"{config}:7:15: metric applies to mode number "
                          "only", proc.stderr)

    def test_timeout_kills_the_command(self):
        start = time.monotonic()
        proc, report, _ = self.run_checks(
            check_yaml("slow", ["sh", "-c", "sleep 60 & sleep 60"],
                       timeout="1s"))
        elapsed = time.monotonic() - start
        slow = self.by_name(report)["slow"]
        self.assertEqual(slow["status"], "ERROR")
        self.assertEqual(slow["message"], "command timed out after 1s: sh")
        self.assertLess(elapsed, 30)
        self.assertGreaterEqual(slow["duration_ms"], 1000)

    def test_missing_and_unrunnable_commands(self):
        checks = (check_yaml("missing", ["no-such-command-for-nbaq"],
                             env={"PATH": "/usr/bin:/bin"}) +
                  check_yaml("missing_path", ["/no/such/dir/check_x"]) +
                  check_yaml("not_exec", ["./plain.txt"]) +
                  check_yaml("dir", ["/tmp"]))
        proc, report, _ = self.run_checks(
            checks, extra_files=[("plain.txt", "#!/bin/sh\necho hi\n",
                                  0o644)])
        c = self.by_name(report)
        self.assertEqual(
            (c["missing"]["status"], c["missing"]["message"]),
            ("ERROR", "command not found: no-such-command-for-nbaq "
                      "(searched PATH /usr/bin:/bin)"))
        self.assertEqual(c["missing_path"]["message"],
                         "command not found: /no/such/dir/check_x")
        self.assertEqual(c["not_exec"]["status"], "ERROR")
        self.assertRegex(c["not_exec"]["message"],
                         r"^command not executable: .*/\./plain\.txt "
                         r"\(Permission denied\)$")
        self.assertEqual(c["dir"]["message"],
                         "command not executable: /tmp (Is a directory)")
        self.assertEqual(proc.returncode, 3)

    def test_huge_output_is_cut(self):
        script = ("printf 'OK - big | a=1\\n'; "
                  "head -c 10000000 /dev/zero | tr '\\0' x")
        proc, report, _ = self.run_checks(
            check_yaml("big", ["sh", "-c", script]) +
            check_yaml("big_number", ["sh", "-c", "yes 1 | head -c 200000"],
                       mode="number", max_output="64K"))
        c = self.by_name(report)
        self.assertEqual(c["big"]["status"], "PASS")
        self.assertEqual(c["big"]["message"],
                         "OK - big (output cut at 65536 bytes)")
        self.assertEqual(self.metrics(c["big"]), {"a": (1, "")})
        self.assertEqual(
            (c["big_number"]["status"], c["big_number"]["message"]),
            ("ERROR", "output is longer than 65536 bytes, not one number"))

    def test_relative_command_env_and_cwd(self):
        # The command and cwd are relative to the config file's directory,
        # not to the directory the host runs in.
        with open(os.path.join(SCRIPTS, "env_and_cwd.sh")) as f:
            script = f.read()
        elsewhere = nbaq_test.temp_dir(self)
        proc, report, _ = self.run_checks(
            check_yaml("where", ["bin/probe.sh", "a", "b"],
                       env={"GREETING": "hello world"}, cwd="work"),
            extra_files=[("bin/probe.sh", script, 0o755),
                         ("work/.keep", "", 0o644)],
            cwd=elsewhere)
        where = self.by_name(report)["where"]
        self.assertEqual(where["status"], "PASS", where["message"])
        self.assertRegex(where["message"],
                         r"^OK - cwd=/.*/work greeting=hello world args=2$")

    def test_text_report_of_a_known_run(self):
        checks = (check_yaml("alpha", [FAKE, "0", "all good | n=5items\n"]) +
                  check_yaml("beta_long_name", [FAKE, "2", "broken\n"]))
        proc, report, text = self.run_checks(checks)
        lines = text.splitlines()
        self.assertRegex(lines[0], r"^nbaq monitor exectest, run \S+$")
        self.assertRegex(lines[1], r"^started \d{4}-\d\d-\d\dT\d\d:\d\d:"
                                   r"\d\d\.\d{3}Z, took \S+$")
        self.assertEqual(lines[2], "")
        # Names padded to "beta_long_name" (14) + 2, then the duration.
        self.assertRegex(lines[3],
                         r"^\[PASS\]    alpha {11}[ \d.]*\d(ms|s)  all good$")
        self.assertEqual(lines[4], "          n = 5 items [PASS]")
        self.assertRegex(lines[5],
                         r"^\[FAIL\]    beta_long_name  [ \d.]*\d(ms|s)  "
                         r"broken$")
        self.assertEqual(lines[-1],
                         "2 checks: 1 PASS, 0 WARNING, 1 FAIL, 0 ERROR, "
                         "0 UNKNOWN; status [FAIL]; no history store")
        self.assertEqual(report["status"], "FAIL")


if __name__ == "__main__":
    unittest.main()
