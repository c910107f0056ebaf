"""Shared pieces of the notification-channel tests.

Each test runs one channel plugin (webhook, slack, email, alertmanager) on
a fixed run through nbaq-plugin-test (sdk/harness), against a real
receiver on 127.0.0.1, and checks what the receiver got.

Arguments (from tests/channels/CMakeLists.txt):
  --harness PATH   nbaq-plugin-test
  --plugins DIR    where the plugin .so files are
Everything else on the command line goes to unittest.
"""
import argparse
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from nbaq_test import LoopbackHttpServer  # noqa: E402
from nbaq_test import service_env  # noqa: E402,F401  (re-exported)

FIXTURES = os.path.join(HERE, "fixtures")
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "runtime error:")
HARNESS = ""
PLUGINS = ""


def main():
    """Parses our arguments, then runs the calling module's tests."""
    global HARNESS, PLUGINS
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--plugins", required=True)
    parser.add_argument("--artifacts")  # none left by these tests
    args, rest = parser.parse_known_args()
    HARNESS, PLUGINS = args.harness, args.plugins
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


def fixture(name):
    return os.path.join(FIXTURES, name)


def load_fixture(name):
    with open(fixture(name), encoding="utf-8") as f:
        return json.load(f)


def run_channel(plugin, run_fixture, options, timeout=60):
    """Runs plugin's report() once on the fixture with options (a list of
    "name=value"; STRING_MAP entries as "name=key=value"). Returns the
    CompletedProcess: exit 0 delivered, 1 failed (reason on stderr)."""
    argv = [HARNESS, "-n", f"{plugin}_test"]
    for option in options:
        argv += ["--set", option]
    argv += [os.path.join(PLUGINS, plugin + ".so"), fixture(run_fixture)]
    result = subprocess.run(argv, capture_output=True, text=True,
                            timeout=timeout)
    # Under ASan/UBSan a report would otherwise pass for an expected
    # failure (exit 1).
    for marker in SANITIZER_MARKERS:
        if marker in result.stderr:
            raise AssertionError(f"sanitizer report:\n{result.stderr}")
    return result


def resolved_only_fixture(directory):
    """fixtures/alerts.json where the notification only resolves alerts:
    null_ratio (medium, resolved there) and orders_landing (critical, made
    resolved here) are the two alerts with notify set. Returns its path."""
    run = load_fixture("alerts.json")
    for alert in run["alerts"]:
        if alert["check"] == "orders_landing":
            alert.update(state="resolved", ended_ms=run["finished_ms"],
                         failing_runs=0)
        alert["notify"] = alert["state"] == "resolved"
    path = os.path.join(directory, "resolved_only.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(run, f)
    return path


def post_resolved_only(test, send):
    """Runs send(url, fixture=...) on resolved_only_fixture against a
    Receiver; returns the one request's JSON."""
    directory = tempfile.mkdtemp(prefix="nbaq-resolved-")
    test.addCleanup(shutil.rmtree, directory)
    with Receiver() as receiver:
        result = send(receiver.url("/hook"),
                      fixture=resolved_only_fixture(directory))
    test.assertEqual(result.returncode, 0, result.stderr)
    test.assertEqual(len(receiver.requests), 1)
    return receiver.requests[0].json()


# The title of that notification, by hand: no open alert, so RESOLVED,
# then the two by severity.
RESOLVED_ONLY_TITLE = ("RESOLVED sales_pipeline: 2 alerts resolved "
                       "(1 critical, 1 medium)")


def refused_port():
    """A port on 127.0.0.1 that nothing listens on (bound, then closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=10.0, what="condition"):
    """Polls condition() until it is true; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class Received:
    """One request as the receiver saw it."""

    def __init__(self, method, path, headers, body):
        self.method = method
        self.path = path
        self.headers = headers  # http.client.HTTPMessage: case-insensitive
        self.body = body        # bytes, exactly as sent

    def json(self):
        return json.loads(self.body.decode("utf-8"))


class Receiver:
    """A plain HTTP endpoint on 127.0.0.1 that records every request and
    answers from a script: statuses[i] for the i-th request, then 200."""

    def __init__(self, statuses=(), reply=b"ok"):
        self.requests = []
        self.statuses = list(statuses)
        self.reply = reply
        self._lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        Received("POST", self.path, self.headers, body))
                    index = len(receiver.requests) - 1
                    status = (receiver.statuses[index]
                              if index < len(receiver.statuses) else 200)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(receiver.reply)))
                self.end_headers()
                self.wfile.write(receiver.reply)

            def log_message(self, *args):
                pass

        self._handler = Handler
        self.http = None  # the LoopbackHttpServer, while entered

    def url(self, path="/"):
        return self.http.url(path)

    def __enter__(self):
        self.http = LoopbackHttpServer(self._handler)
        return self

    def __exit__(self, *exc):
        self.http.stop()


class HttpChannelTests:
    """Tests every HTTP channel (webhook, slack) passes, mixed into a
    TestCase whose send(url, *options, fixture=...) runs its plugin."""

    def test_nothing_to_notify_sends_nothing(self):
        with Receiver() as receiver:
            result = self.send(receiver.url("/hook"), fixture="quiet.json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(receiver.requests, [])
