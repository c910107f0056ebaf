"""The four reporters run by the real nbaq-host: three runs of a small
monitor with a history store, reports written through output_dir and
output, then read back as a user would (promtool, xml.etree, Chromium)."""
import glob
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET

import report_test_support as s

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = """\
monitor: it_reports
timeout: 30s
history:
  url: history.db
  trend_window: 24h
checks:
  - name: rows_ok
    plugin: exec
    severity: low
    options:
      command: [sh, -c, "echo 120"]
      mode: number
      metric: rows
      unit: rows
  - name: nulls_high
    plugin: exec
    severity: high
    options:
      command: [cat, nulls.txt]
      cwd: .
      mode: number
      metric: email.null_rate
    thresholds:
      email.null_rate:
        warn_above: 0.05
        fail_above: 0.2
        better: lower
  - name: broken
    plugin: exec
    severity: critical
    options:
      command: [/nonexistent/tool]
reporters:
  - plugin: markdown
    options:
      output_dir: out
  - plugin: html
    options:
      output_dir: out
  - plugin: junit
    options:
      output: out/junit.xml
  - plugin: prometheus
    options:
      output_dir: out
"""


def host():
    path = os.environ.get("NBAQ_HOST", "")
    proc = subprocess.run([path, "--version"], capture_output=True)
    if proc.returncode != 0:
        raise unittest.SkipTest("nbaq-host is not built yet")
    return path


class IntegrationTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="nbaq-reports-it-")
        cls.config = os.path.join(cls.tmp, "monitor.yaml")
        with open(cls.config, "w") as f:
            f.write(CONFIG)
        os.makedirs(os.path.join(cls.tmp, "out"))
        cls.runs = []
        for rate in ("0.01", "0.03", "0.25"):
            with open(os.path.join(cls.tmp, "nulls.txt"), "w") as f:
                f.write(rate + "\n")
            cls.runs.append(subprocess.run(
                [host(), "-c", cls.config, "--plugin-dir",
                 os.environ.get("NBAQ_PLUGIN_DIR", s.ARGS.plugins)],
                capture_output=True, text=True, timeout=120))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def out(self, name):
        with open(os.path.join(self.tmp, "out", name), "rb") as f:
            return f.read()

    def test_runs_end_with_error_status(self):
        for proc in self.runs:
            self.assertEqual(proc.returncode, 3, proc.stderr)

    def test_output_dir_names(self):
        for ext in ("md", "html", "prom"):
            stamped = glob.glob(os.path.join(
                self.tmp, "out", f"it_reports-2*.{ext}"))
            self.assertEqual(len(stamped), 3, ext)
            with open(sorted(stamped)[-1], "rb") as newest:
                self.assertEqual(self.out(f"it_reports-latest.{ext}"),
                                 newest.read())

    def test_junit(self):
        root = ET.fromstring(self.out("junit.xml"))
        suite = root.find("testsuite")
        self.assertEqual((suite.get("tests"), suite.get("failures"),
                          suite.get("errors")), ("3", "1", "1"))
        cases = {c.get("name"): c for c in suite.iter("testcase")}
        self.assertIsNotNone(cases["nulls_high"].find("failure"))
        self.assertIsNotNone(cases["broken"].find("error"))
        self.assertIn("command not found",
                      cases["broken"].find("error").get("message"))

    def test_prometheus(self):
        path = os.path.join(self.tmp, "out", "it_reports-latest.prom")
        tool = shutil.which("promtool")
        if tool:
            with open(path, "rb") as f:
                proc = subprocess.run([tool, "check", "metrics"], stdin=f,
                                      capture_output=True, text=True)
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        text = self.out("it_reports-latest.prom").decode()
        self.assertIn('nbaq_metric_value{monitor="it_reports",check='
                      '"nulls_high",metric="email.null_rate",unit=""} 0.25\n',
                      text)
        change = [l for l in text.splitlines() if l.startswith(
            'nbaq_metric_change_percent{monitor="it_reports",check='
            '"nulls_high"')]
        self.assertEqual(len(change), 1)
        self.assertAlmostEqual(float(change[0].rsplit(" ", 1)[1]),
                               (0.25 - 0.03) / 0.03 * 100, places=6)

    def test_markdown_uses_history(self):
        text = self.out("it_reports-latest.md").decode()
        self.assertIn("| \u25a0 FAIL | `nulls_high` \u203a `email.null_rate` "
                      "| 0.25 | 0.03 | +733.3% |", text)
        self.assertIn("(0.01 to 0.25 over 3 runs)", text)
        self.assertIn("**Check could not measure:** `broken`", text)

    def test_html_in_chromium(self):
        # The page checks of the html reporter's own test.
        sys.path.insert(0, os.path.join(HERE, "..", "..", "reporters", "html",
                                        "tests"))
        from test_html import SECTIONS, load_page
        path = os.path.join(self.tmp, "out", "it_reports-latest.html")
        facts, problems = load_page(path, screenshot=os.path.join(
            s.ARGS.artifacts, "integration-phone.png"))
        self.assertEqual(problems, [])
        self.assertEqual(facts["sections"], SECTIONS)
        self.assertEqual(facts["charts"], 2)

    def test_missing_output_dir_is_an_error(self):
        config = os.path.join(self.tmp, "missing.yaml")
        with open(config, "w") as f:
            f.write(CONFIG.replace("output_dir: out", "output_dir: nowhere")
                    .replace("url: history.db", "url: history2.db"))
        proc = subprocess.run(
            [host(), "-c", config, "--plugin-dir",
             os.environ.get("NBAQ_PLUGIN_DIR", s.ARGS.plugins)],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(proc.returncode, 3)
        self.assertIn("nowhere", proc.stderr)

    def test_full_disk_leaves_nothing_half_written(self):
        """A 2,000-byte file-size limit stands in for a full disk: the
        reports that do not fit fail with their path, the one that fits
        (junit) is written, and no partial or temporary file remains."""
        out = os.path.join(self.tmp, "small")
        os.makedirs(out)
        config = os.path.join(self.tmp, "small.yaml")
        text = (CONFIG.replace("output_dir: out", "output_dir: small")
                .replace("output: out/", "output: small/"))
        head, rest = text.split("history:", 1)
        with open(config, "w") as f:  # no history store: it would fail too
            f.write(head + "checks:" + rest.split("checks:", 1)[1])

        def limit_file_size():
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

        proc = subprocess.run(
            [host(), "-c", config, "--plugin-dir",
             os.environ.get("NBAQ_PLUGIN_DIR", s.ARGS.plugins)],
            capture_output=True, text=True, timeout=120,
            preexec_fn=limit_file_size)
        self.assertEqual(proc.returncode, 3, proc.stderr)
        for reporter, ext in (("markdown", "md"), ("html", "html"),
                              ("prometheus", "prom")):
            self.assertRegex(proc.stderr, f"reporter '{reporter}' failed: "
                             f"{out}/it_reports-[^ ]*\\.{ext}: write "
                             "failed: File too large")
        self.assertEqual(sorted(os.listdir(out)), ["junit.xml"])
        ET.parse(os.path.join(out, "junit.xml"))


if __name__ == "__main__":
    s.main()
