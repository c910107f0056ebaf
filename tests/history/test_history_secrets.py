#!/usr/bin/env python3
"""A PostgreSQL history URL never shows its user info or password: not in
a run's messages and report, not in `alerts list`, not in `history
trends`, whatever the URL's form: a password with an unencoded '/' or '?',
a query string with two `password=`, or a keyword DSN (which is a
PostgreSQL store, not a SQLite file named after the password). The server
is a closed port on 127.0.0.1, so every command has an error to print."""
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

TEST_PLUGIN_DIR = os.path.join(nbaq_test.BUILD_DIR, "test-plugins")


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends


def config_yaml(url):
    quoted = url.replace("'", "''")
    return f"""monitor: shop
history:
  url: '{quoted}'
checks:
  - name: orders
    plugin: tp_healthy
    options:
      metrics: {{rows: "1"}}
reporters:
  - plugin: json
    options:
      output: report.json
"""


class SecretsInHistoryUrls(unittest.TestCase):
    def outputs(self, url):
        """stdout + stderr of a run, `alerts list` and `history trends`,
        and the report; also the files the run left in its folder."""
        d = nbaq_test.temp_dir(self)
        config = nbaq_test.write_file(d, "monitor.yaml", config_yaml(url))
        texts = []
        self.codes = []
        for args in ((), ("alerts", "list"), ("history", "trends")):
            proc = nbaq_test.run_host("-c", config, "--plugin-dir",
                                      TEST_PLUGIN_DIR, *args)
            texts.append(proc.stdout + proc.stderr)
            self.codes.append(proc.returncode)
        report = os.path.join(d, "report.json")
        if os.path.exists(report):
            with open(report) as f:
                texts.append(f.read())
        return texts, sorted(os.listdir(d))

    def assert_hidden(self, texts, secrets):
        for text in texts:
            for secret in secrets:
                self.assertNotIn(secret, text)

    def test_unencoded_slash_and_question_mark_in_the_password(self):
        port = closed_port()
        url = f"postgresql://nbaq:Pa/ss?w0rd-Secret@127.0.0.1:{port}/nbaq"
        texts, files = self.outputs(url)
        self.assert_hidden(texts, ["Pa/ss", "ss?w0rd", "w0rd-Secret",
                                   "nbaq:Pa"])
        # a URL libpq cannot read is a configuration error, caught before
        # anything runs (also by --check-config), naming where it is
        self.assertEqual(self.codes, [78, 78, 78])
        self.assertIn("monitor.yaml:3:8: history:", texts[0])
        self.assertIn("percent-encode", texts[0])
        self.assertNotIn("report.json", files)

    def test_two_passwords_in_the_query_string(self):
        port = closed_port()
        url = (f"postgresql://127.0.0.1:{port}/nbaq?user=nbaq&"
               f"password=F1rstSecret&password=Sec0ndSecret&sslmode=disable")
        texts, _ = self.outputs(url)
        self.assert_hidden(texts, ["F1rstSecret", "Sec0ndSecret"])
        self.assertIn(f"history store postgresql://127.0.0.1:{port}/nbaq:",
                      texts[0])

    def test_keyword_dsn_is_a_postgresql_store(self):
        port = closed_port()
        dsn = (f"host=127.0.0.1 port={port} user=nbaq "
               f"password=Kw0rdSecret dbname=nbaq")
        texts, files = self.outputs(dsn)
        self.assert_hidden(texts, ["Kw0rdSecret"])
        self.assertIn(f"history store postgresql://127.0.0.1:{port}/nbaq:",
                      texts[0])
        # No SQLite file named after the DSN.
        self.assertEqual(files, ["monitor.yaml", "report.json"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
