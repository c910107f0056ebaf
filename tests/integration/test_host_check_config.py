"""--check-config refuses what the run would refuse (tests/integration):
a webhook URL that is no URL, a header value with a line break, an
endpoint with user:password@, a history URL of an unknown scheme and a
db_quality table listed twice. Each is exit code 78 naming
file:line:column, and no secret is shown."""
import unittest

from hostlib import run_config, temp_dir


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


if __name__ == "__main__":
    unittest.main()
