"""Helpers for the tests of `nbaq-host --daemon` (tests/daemon/).

A Daemon starts the real nbaq-host on a config written to a temporary
directory, listening on 127.0.0.1 port 0; the port it bound is read from
its log line "listening on http://127.0.0.1:PORT/". Every wait is a
bounded wait on a condition.
"""
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from nbaq_test import (BUILD_DIR, HOST, PLUGIN_DIR, SOURCE_DIR,  # noqa: E402,F401
                       temp_dir, write_file)

ARTIFACTS = os.path.join(BUILD_DIR, "tests", "daemon", "artifacts")
# The host's deliberately broken test plugins (tests/integration).
TEST_PLUGIN_DIR = os.path.join(BUILD_DIR, "test-plugins")


def wait_for(predicate, timeout=15.0, interval=0.05, what="condition"):
    """Polls predicate until it returns a true value; returns that value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def exec_check(name, script, interval="1s", extra=""):
    """YAML of an exec check running `sh -c script` (nagios mode)."""
    return (f"  - name: {name}\n    plugin: exec\n    interval: {interval}\n"
            f"{extra}    options:\n      command: [sh, -c, {json.dumps(script)}]\n")


def webhook_channel(hook_url):
    """YAML of the sections that end a config: a webhook reporter
    `ops_webhook` posting to hook_url, the one route of the alerts."""
    return f"""reporters:
  - name: ops_webhook
    plugin: webhook
    options:
      url: "{hook_url}"
      retries: 0
      timeout: 5s
alerts:
  routes:
    - channel: ops_webhook
"""


def notified(receiver):
    """(check, metric, state) of every alert a webhook receiver was sent."""
    return [(a["check"], a["metric"], a["state"])
            for r in receiver.requests for g in r.json()["groups"]
            for a in g["alerts"]]


class Daemon:
    """One nbaq-host --daemon process; stderr lines are collected."""

    def __init__(self, directory, yaml_text, args=("-v",), env=None):
        self.directory = directory
        self.config = write_file(directory, "monitor.yaml", yaml_text)
        full_env = dict(os.environ)
        full_env.update(env or {})
        self.lines = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [HOST, "-c", self.config, "--daemon", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=full_env, cwd=directory)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._out_reader = threading.Thread(target=self._drain_stdout,
                                            daemon=True)
        self._out_reader.start()
        self.port = None

    def _read(self):
        for line in self.proc.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))

    def _drain_stdout(self):
        for _ in self.proc.stdout:
            pass

    def log(self):
        with self._lock:
            return list(self.lines)

    def wait_log(self, pattern, timeout=15.0, after=0):
        """The first match of pattern in the log lines from index after."""
        regex = re.compile(pattern)

        def find():
            for line in self.log()[after:]:
                m = regex.search(line)
                if m:
                    return m
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"nbaq-host exited ({self.proc.returncode}) before "
                    f"logging {pattern!r}:\n" + "\n".join(self.log()))
            return None
        return wait_for(find, timeout, what=f"log line {pattern!r}")

    def wait(self, predicate, timeout=15.0, what="condition"):
        """wait_for, with the daemon's last log lines in the failure."""
        try:
            return wait_for(predicate, timeout, what=what)
        except AssertionError as e:
            tail = "\n".join(self.log()[-30:])
            raise AssertionError(f"{e}; exit code {self.proc.poll()}; "
                                 f"the daemon's log:\n{tail}") from None

    def wait_listening(self, timeout=15.0):
        m = self.wait_log(r"listening on http://127\.0\.0\.1:(\d+)/", timeout)
        self.port = int(m.group(1))
        return self.port

    def request(self, path, method="GET", headers=None, body=None, timeout=10):
        """(status, headers dict, body bytes); path is sent as it is."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                          timeout=timeout)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for k, v in (headers or {}).items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def get_json(self, path, headers=None):
        status, _, body = self.request(path, headers=headers)
        if status != 200:
            raise AssertionError(f"GET {path}: {status} {body[:200]!r}")
        return json.loads(body)

    def status(self, headers=None):
        return self.get_json("/api/status", headers)

    def check(self, name, headers=None):
        for c in self.status(headers)["checks"]:
            if c["name"] == name:
                return c
        return None

    def signal(self, signo):
        self.proc.send_signal(signo)

    def wait_exit(self, timeout=30):
        return self.proc.wait(timeout=timeout)

    def stop(self):
        """SIGTERM, bounded wait, SIGKILL as a last resort; the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._reader.join(timeout=5)
        self._out_reader.join(timeout=5)
        self.proc.stdout.close()
        self.proc.stderr.close()
        reports = [line for line in self.log()
                   if "Sanitizer" in line or "runtime error:" in line]
        if reports:  # a sanitizer build found something
            raise AssertionError("\n".join(self.log()[-60:]))
        return self.proc.returncode


def check_runs(db_path, check):
    """(started_ms, duration_ms, status, message) of every stored run of
    check, oldest first, read straight from the SQLite history store."""
    if not os.path.exists(db_path):
        return []  # no round has saved anything yet
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(
            "SELECT started_ms, duration_ms, status, message "
            "FROM nbaq_check_results WHERE check_name = ? "
            "ORDER BY started_ms", (check,)).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):  # created, not migrated yet
            return []
        raise
    finally:
        conn.close()
