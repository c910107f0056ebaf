"""Hostile input (tests/integration): a plugin's log text cannot forge log
lines or drive the terminal, numbers survive the JSON report exactly, and
run-cache directories of killed hosts are swept at start-up."""
import json
import os
import subprocess
import sys
import unittest

from hostlib import run_config, temp_dir, write_file


class LogInjection(unittest.TestCase):
    def test_plugin_log_is_one_escaped_line(self):
        d = temp_dir(self)
        # YAML double quotes: \n, \e (ESC) and \x9b (a C1 control).
        yaml = ("checks:\n  - name: talker\n    plugin: tp_healthy\n"
                "    options:\n"
                "      log: \"x\\nnbaq-host: error: forged\\e[2J\\x9b\"\n")
        r = run_config(d, yaml, "-v")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = [l for l in r.stderr.splitlines() if "forged" in l]
        self.assertEqual(lines, [
            "nbaq-host: check 'talker': info: "
            "x\\nnbaq-host: error: forged\\e[2J\\x9b"])
        self.assertNotIn("\x1b", r.stderr)
        self.assertNotIn("\n" + "nbaq-host: error: forged", r.stderr)


class ExactNumbers(unittest.TestCase):
    def test_extreme_values_read_back_exactly(self):
        d = temp_dir(self)
        out = os.path.join(d, "report.json")
        values = {"biggest": sys.float_info.max, "third": 0.1 + 0.2,
                  "tiny": 5e-324}
        metrics = ", ".join(f"{k}: {repr(v)}" for k, v in values.items())
        yaml = ("checks:\n  - name: n\n    plugin: tp_healthy\n"
                f"    options: {{metrics: {{{metrics}}}}}\n"
                "reporters:\n  - plugin: json\n"
                f"    options: {{output: {out}}}\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            report = json.load(f)
        got = {m["name"]: m["value"]
               for m in report["checks"][0]["metrics"] if m["name"] in values}
        self.assertEqual(got, values)


    def test_history_output_reads_back_exactly(self):
        d = temp_dir(self)
        value = 0.1 + 0.2
        yaml = ("history:\n  url: history.db\n"
                "checks:\n  - name: n\n    plugin: tp_healthy\n"
                f"    options: {{metrics: {{third: {value!r}}}}}\n")
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_config(d, yaml, "history", "show", "--check", "n",
                       "--metric", "third", "--json")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = json.loads(r.stdout)["values"]
        self.assertEqual([row["value"] for row in rows], [value])


class RunCacheSweep(unittest.TestCase):
    def test_directories_of_dead_hosts_are_removed(self):
        tmp = temp_dir(self)
        gone = subprocess.Popen(["true"])
        gone.wait()
        dead = write_file(tmp, f"nbaq-swept-{gone.pid}-AbC123/objects/x",
                          "cached\n")
        alive = write_file(tmp, f"nbaq-swept-{os.getpid()}-AbC123/x", "")
        other = write_file(tmp, f"nbaq-other-{gone.pid}-AbC123/x", "")
        d = temp_dir(self)
        r = run_config(d, "monitor: swept\nchecks:\n"
                       "  - {name: c, plugin: tp_trivial}\n",
                       env={"TMPDIR": tmp})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(os.path.exists(os.path.dirname(
            os.path.dirname(dead))))
        self.assertTrue(os.path.exists(alive))
        self.assertTrue(os.path.exists(other))
        # The run removed its own directory too.
        self.assertEqual(sorted(os.listdir(tmp)),
                         sorted([f"nbaq-swept-{os.getpid()}-AbC123",
                                 f"nbaq-other-{gone.pid}-AbC123"]))


if __name__ == "__main__":
    unittest.main()
