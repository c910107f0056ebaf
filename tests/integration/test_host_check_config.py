"""--check-config refuses what the run would refuse (tests/integration):
a webhook URL that is no URL, a header value with a line break, an
endpoint with user:password@, a history URL of an unknown scheme and a
db_quality table listed twice. Each is exit code 78 naming
file:line:column, and no secret is shown."""
import unittest

from hostlib import REPORT, run_config, temp_dir


class CheckConfigCatches(unittest.TestCase):
    def expect(self, yaml, location, needle):
        r = run_config(temp_dir(self), yaml, "--check-config")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"monitor.yaml:{location}: ", r.stderr)
        self.assertIn(needle, r.stderr)
        self.assertNotIn("configuration OK", r.stdout)
        return r

    def test_webhook_url_that_is_no_url(self):
        self.expect("reporters:\n  - plugin: webhook\n"
                    "    options: {url: \"not a url\"}\n", "3:20",
                    "option 'url': is not a URL: it holds a space")
        self.expect("reporters:\n  - plugin: webhook\n"
                    "    options: {url: \"ftp://h/x\"}\n", "3:20",
                    "option 'url': has scheme 'ftp' (want http://, "
                    "https://...)")

    def test_header_value_with_a_line_break(self):
        r = self.expect("reporters:\n  - plugin: webhook\n    options:\n"
                        "      url: http://127.0.0.1:9/hook\n"
                        "      headers: {X-Token: \"abc\\r\\nX-Evil: 1\"}\n",
                        "5:17", "header 'X-Token': the value holds a line "
                        "break")
        self.assertNotIn("abc", r.stderr)

    def test_endpoint_with_credentials(self):
        r = self.expect("checks:\n  - name: objects\n"
                        "    plugin: object_count\n    options:\n"
                        "      url: s3://bucket/prefix\n"
                        "      endpoint: http://key:hunter2@127.0.0.1:9000\n",
                        "6:17", "option 'endpoint': must not hold "
                        "user:password@")
        self.assertNotIn("hunter2", r.stderr)

    def test_history_url_of_an_unknown_scheme(self):
        r = self.expect("history:\n  url: mysql://u:hunter2@db/nbaq\n"
                        "checks: []\n", "2:8", "unknown URL scheme")
        self.assertNotIn("hunter2", r.stderr)

    def test_db_quality_table_listed_twice(self):
        self.expect("checks:\n  - name: tables\n    plugin: db_quality\n"
                    "    options:\n      dsn: postgresql://127.0.0.1/x\n"
                    "      tables:\n        - name: orders\n"
                    "        - name: users\n        - name: orders\n",
                    "9:11", "option 'tables': 'orders' is listed twice "
                    "(first at ")

    def test_good_values_pass(self):
        r = run_config(temp_dir(self),
                       "reporters:\n  - plugin: webhook\n    options:\n"
                       "      url: \"https://[::1]:8443/hook?x=1\"\n"
                       "      headers: {Authorization: \"Bearer\\tx\"}\n",
                       "--check-config")
        self.assertEqual(r.returncode, 0, r.stderr)


def one_check(plugin, options_yaml):
    return (f"checks:\n  - name: c\n    plugin: {plugin}\n    options:\n"
            + "".join(f"      {line}\n" for line in options_yaml))


def one_reporter(plugin, options_yaml):
    return (f"reporters:\n  - plugin: {plugin}\n    options:\n"
            + "".join(f"      {line}\n" for line in options_yaml))


class ValidateCatches(unittest.TestCase):
    """A plugin's validate(): the semantic rules its option schema cannot
    say, refused before any check runs, at the instance's place, naming
    the plugin and (with the plugin's own location) what is wrong."""

    def expect(self, yaml, needle, env=None):
        """needle: "@" stands for the config's directory."""
        d = temp_dir(self)
        r = run_config(d, yaml, "--check-config", env=env)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(needle.replace("@", d + "/"), r.stderr)
        self.assertNotIn("configuration OK", r.stdout)
        return r

    def test_exec_options_of_the_other_mode(self):
        self.expect(one_check("exec", ["command: [/bin/true]",
                                       "metric: rows"]),
                    "monitor.yaml:2:5: check 'c': plugin 'exec': "
                    "@monitor.yaml:6:15: metric applies to mode number only")
        self.expect(one_check("exec", ["command: ['']"]),
                    "plugin 'exec': @monitor.yaml:5:16: command is empty")

    def test_sql_metric_engine_query_and_name(self):
        dsn = "dsn: \"ftp://u:hunter2@db/x\""
        r = self.expect(one_check("sql_metric", [dsn, "query: select 1",
                                                 "metric: rows"]),
                        "plugin 'sql_metric': @monitor.yaml:5:12: dsn: "
                        "unknown engine (use postgresql://")
        self.assertNotIn("hunter2", r.stderr)
        self.expect(one_check("sql_metric", ["dsn: postgresql://h/x",
                                             "query: \"  \"",
                                             "metric: rows"]),
                    "plugin 'sql_metric': @monitor.yaml:6:14: query is empty")
        self.expect(one_check("sql_metric", ["dsn: postgresql://h/x",
                                             "query: select 1",
                                             "metric: \"row count\""]),
                    "@monitor.yaml:7:15: metric 'row count' must be a name "
                    "without spaces")

    def test_db_quality_columns_twice_and_unpaired_references(self):
        table = ["dsn: postgresql://127.0.0.1/x", "tables:", "  - name: orders"]
        self.expect(one_check("db_quality", table + [
            "    critical_columns: [id, total, id]"]),
            "monitor.yaml:2:5: check 'c': plugin 'db_quality': "
            "@monitor.yaml:8:29: table 'orders': critical_columns: column "
            "'id' is listed twice")
        self.expect(one_check("db_quality", table + [
            "    columns:", "      - {name: id, min: 1}",
            "      - {name: total, min: 0}", "      - {name: id, unique: true}"]),
            "@monitor.yaml:11:15: table 'orders': columns: column 'id' has "
            "rules twice (first at @monitor.yaml:9:15)")
        self.expect(one_check("db_quality", table + [
            "    references:",
            "      - {columns: [a, b], table: t, ref_columns: [x]}"]),
            "table 'orders': references: 1 ref_columns for 2 columns")
        self.expect(one_check("db_quality", table + [
            "    columns:",
            "      - {name: code, min_length: 5, max_length: 2}"]),
            "table 'orders': column 'code': min_length 5 is above "
            "max_length 2")

    def test_channels_headers_they_set_themselves(self):
        self.expect(one_reporter("webhook", [
            "url: http://127.0.0.1:9/hook",
            "headers: {content-type: text/plain}"]),
            "monitor.yaml:2:5: reporter 'webhook': plugin 'webhook': "
            "@monitor.yaml:5:16: headers: 'content-type' is set by the "
            "channel itself")
        self.expect(one_reporter("webhook", [
            "url: http://127.0.0.1:9/hook", "hmac_secret: \"\""]),
            "plugin 'webhook': @monitor.yaml:5:20: hmac_secret is empty")
        self.expect(one_reporter("alertmanager", [
            "url: http://127.0.0.1:9093", "generator_url: dashboard"]),
            "reporter 'alertmanager': plugin 'alertmanager': "
            "@monitor.yaml:5:22: generator_url 'dashboard' is not an "
            "http(s) URL")
        self.expect(one_reporter("alertmanager", [
            "url: http://127.0.0.1:9093", "labels: {check: x}"]),
            "label 'check' is not a Prometheus label name or is one nbaq "
            "sets itself")
        r = self.expect(one_reporter("slack", ["webhook_url: \"hooks x\""]),
                        "option 'webhook_url': is not a URL")
        self.assertNotIn("hooks x", r.stderr)

    def validate_mode(self, mode, env=None):
        return self.expect(one_check("tp_validate", [f"validate: {mode}"]),
                           "monitor.yaml:2:5: check 'c': plugin "
                           "'tp_validate': ", env=env)

    def test_a_validate_that_refuses_or_breaks(self):
        self.expect(one_check("tp_validate", ["validate: refuse"]),
                    "check 'c': plugin 'tp_validate': @monitor.yaml:5:17: "
                    "refused as asked")
        self.assertIn("validate() refused the options without a reason",
                      self.validate_mode("silent").stderr)
        self.assertIn("validate() crashed: signal 11 (Segmentation fault)",
                      self.validate_mode("crash").stderr)
        self.assertIn("validate() exited with code 4 (validate() called "
                      "exit)", self.validate_mode("exit").stderr)
        self.assertIn("validate() did not finish within 300 ms (validate() "
                      "hangs)", self.validate_mode(
                          "hang", env={"NBAQ_PLUGIN_LOAD_TIMEOUT": "300"})
                      .stderr)
        self.assertIn("plugin bug: opt_int() used on option 'validate' of "
                      "type enum", self.validate_mode("bug").stderr)

    def test_the_instance_at_fault_is_named(self):
        """Every validate() of a config runs in one child: the error still
        names the instance it was on, checks and reporters alike."""
        yaml = (one_check("tp_validate", ["validate: ok"]) +
                "  - name: second\n    plugin: tp_validate\n"
                "    options: {validate: crash}\n")
        self.expect(yaml, "monitor.yaml:6:5: check 'second': plugin "
                    "'tp_validate': validate() crashed: signal 11")
        yaml = (one_check("tp_validate", ["validate: ok"]) +
                one_reporter("webhook", ["url: http://127.0.0.1:9/hook",
                                         "hmac_secret: \"\""]))
        self.expect(yaml, "monitor.yaml:7:5: reporter 'webhook': plugin "
                    "'webhook': @monitor.yaml:10:20: hmac_secret is empty")

    def test_a_run_validates_before_any_check(self):
        d = temp_dir(self)
        yaml = (one_check("tp_validate", ["validate: refuse"]) +
                "  - name: other\n    plugin: tp_trivial\n" + REPORT)
        r = run_config(d, yaml)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("refused as asked", r.stderr)
        self.assertEqual(r.stdout, "")  # no check ran, no report
        r = run_config(d, yaml.replace("validate: refuse", "validate: ok"))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("\tc\ttp_validate\tPASS\t", r.stdout)


if __name__ == "__main__":
    unittest.main()
