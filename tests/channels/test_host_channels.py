"""The four channels inside the real nbaq-host: listed with their options,
validated by the host, run as reporters, silent when a run has no alert
to notify, and notified once each of a failing check. The alert
lifecycle (core/alerts/) decides what a channel sends; tests/alerts
tests it over several runs."""
import hashlib
import hmac
import json
import os
import unittest

import channel_test as ct
import nbaq_test

CHANNELS = {
    "webhook": {"url": "url, required, secret",
                "headers": "http headers, optional, secret",
                "hmac_secret": "string, optional, secret"},
    "slack": {"webhook_url": "url, required, secret"},
    "email": {"url": "string, required", "password": "string, optional, "
              "secret", "to": "string list, required"},
    "alertmanager": {"url": "url, required, secret",
                     "resolve_timeout": "duration, default 6h"},
}


def config_text(check_command, reporters):
    return f"""\
monitor: channels_host_test
checks:
  - name: probe
    plugin: exec
    severity: critical
    options:
      command: {json.dumps(check_command)}
reporters:
  - plugin: json
    options:
      output: run.json
{reporters}"""


class HostChannelsTest(unittest.TestCase):
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)

    def host(self, *args):
        return nbaq_test.run_host("--plugin-dir", ct.PLUGINS, *args,
                                  cwd=self.dir)

    def test_channels_are_listed_with_their_options(self):
        result = self.host("--list-plugins")
        self.assertEqual(result.returncode, 0, result.stderr)
        for plugin, options in CHANNELS.items():
            self.assertIn(f"{plugin} (reporter)", result.stdout)
            for name, kind in options.items():
                self.assertIn(f"{name} ({kind}", result.stdout)

    def test_missing_url_is_a_config_error(self):
        path = nbaq_test.write_file(self.dir, "m.yaml", config_text(
            ["/bin/true"], "  - plugin: webhook\n    options:\n"
                           "      hmac_secret: SECRETKEY\n"))
        result = self.host("-c", path, "--check-config")
        self.assertEqual(result.returncode, 78, result.stderr)
        self.assertIn("url", result.stderr)
        self.assertNotIn("SECRET", result.stderr + result.stdout)

    def run_with_channels(self, check_command, receiver):
        reporters = (
            "  - name: ops_webhook\n    plugin: webhook\n    options:\n"
            f"      url: {receiver.url('/hook/SECRETPATH')}\n"
            "      hmac_secret: SECRETKEY\n"
            "      headers:\n        Authorization: Bearer SECRETBEARER\n"
            "  - name: ops_slack\n    plugin: slack\n    options:\n"
            f"      webhook_url: {receiver.url('/slack/SECRETSLACK')}\n")
        path = nbaq_test.write_file(self.dir, "m.yaml",
                                    config_text(check_command, reporters))
        result = self.host("-c", path)
        with open(os.path.join(self.dir, "run.json")) as f:
            run = json.load(f)
        self.assertNotIn("SECRET", result.stdout + result.stderr)
        return result, run

    def test_run_without_alerts_sends_nothing(self):
        with ct.Receiver() as receiver:
            result, run = self.run_with_channels(["/bin/true"], receiver)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(receiver.requests, [])

    def test_failing_check_is_notified_once_per_channel(self):
        with ct.Receiver() as receiver:
            result, run = self.run_with_channels(
                ["/bin/sh", "-c", "echo broken; exit 2"], receiver)
        self.assertEqual(result.returncode, 2, result.stderr)
        # No history store: the lifecycle has no memory and the failing
        # check is a NEW alert; without alerts.routes, every reporter that
        # writes no report file (both channels here) takes it.
        self.assertEqual([(a["check"], a["state"], a["notify"])
                          for a in run["alerts"]], [("probe", "new", True)])
        paths = sorted(r.path for r in receiver.requests)
        self.assertEqual(paths, ["/hook/SECRETPATH", "/slack/SECRETSLACK"])
        hook = next(r for r in receiver.requests if r.path.startswith("/hook"))
        mac = hmac.new(b"SECRETKEY", hook.body, hashlib.sha256).hexdigest()
        self.assertEqual(hook.headers["X-Nbaq-Signature"], "sha256=" + mac)
        payload = hook.json()
        self.assertEqual(payload["monitor"], "channels_host_test")
        checks = [a["check"] for g in payload["groups"] for a in g["alerts"]]
        self.assertIn("probe", checks)


if __name__ == "__main__":
    ct.main()
