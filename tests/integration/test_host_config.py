"""Configuration errors as a user sees them: exit code 78 and one line
naming file:line:column (tests/integration)."""
import unittest

from hostlib import REPORT, parse_report, run_config, temp_dir


class ConfigErrors(unittest.TestCase):
    def expect(self, yaml, location, needle, *args, env=None):
        d = temp_dir(self)
        r = run_config(d, yaml, *args, env=env)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"monitor.yaml:{location}: ", r.stderr)
        self.assertIn(needle, r.stderr)
        self.assertEqual(r.stdout, "")
        return r

    def test_unknown_key_with_suggestion(self):
        self.expect("checks:\n  - name: x\n    plugin: tp_trivial\n"
                    "    timout: 5s\n", "4:5",
                    "unknown key 'timout' in check 'x' (did you mean "
                    "'timeout'?)")

    def test_yaml_syntax(self):
        self.expect("checks:\n  - name: [x\n", "3:1", "YAML syntax error")

    def test_environment(self):
        self.expect("monitor: ${NBAQ_IT_UNSET}\n", "1:10",
                    "environment variable 'NBAQ_IT_UNSET' is not set")
        d = temp_dir(self)
        r = run_config(d, "monitor: ${NBAQ_IT_NAME:-dflt}\nchecks: []\n" +
                       REPORT, env={"NBAQ_IT_NAME": "from-env"})
        self.assertEqual(parse_report(r.stdout)["run"]["monitor"], "from-env")
        r = run_config(d, "monitor: ${NBAQ_IT_UNSET:-dflt}\nchecks: []\n" +
                       REPORT)
        self.assertEqual(parse_report(r.stdout)["run"]["monitor"], "dflt")

    def test_missing_file(self):
        d = temp_dir(self)
        from hostlib import run_host
        r = run_host("-c", d + "/nope.yaml")
        self.assertEqual(r.returncode, 78)
        self.assertIn("nope.yaml: cannot open", r.stderr)

    def test_option_errors(self):
        head = "checks:\n  - name: o\n    plugin: tp_options\n    options:\n"
        self.expect(head + "      dru: 5s\n", "5:7",
                    "check 'o': unknown option 'dru' (did you mean 'dur'?)")
        self.expect(head + "      i: 11\n", "5:10",
                    "check 'o': option 'i': '11' is out of range (1 to 10)")
        self.expect(head + "      server: {port: 2}\n", "5:15",
                    "check 'o': missing required option 'server.user'")
        self.expect(head + "      e: blue\n", "5:10",
                    "'blue' is not one of: red, green")
        self.expect("checks:\n  - {name: m, plugin: tp_misbehave}\n", "2:5",
                    "check 'm': missing required option 'mode'")

    def test_secret_never_printed(self):
        head = "checks:\n  - name: o\n    plugin: tp_options\n    options:\n"
        r = self.expect(head + "      token: [hunter2-secret]\n", "5:14",
                        "option 'token': expected a string, got a list")
        self.assertNotIn("hunter2", r.stderr)

    def test_check_config_validates_options(self):
        head = "checks:\n  - name: o\n    plugin: tp_options\n    options:\n"
        self.expect(head + "      b: maybe\n", "5:10",
                    "expected true or false, got 'maybe'", "--check-config")

    def test_reporter_options_validated(self):
        self.expect("reporters:\n  - plugin: tp_report\n"
                    "    options: {outptu: x}\n", "3:15",
                    "reporter 'tp_report': unknown option 'outptu' (did you "
                    "mean 'output'?)")


if __name__ == "__main__":
    unittest.main()
