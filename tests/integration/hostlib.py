"""Helpers for the host's integration tests (tests/integration/).

Runs the real nbaq-host with the test plugins of
${NBAQ_BUILD_DIR}/test-plugins, and reads the tp_report reporter's
tab-separated output.
"""
import json
import os
import signal
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from nbaq_test import (BUILD_DIR, HOST, PLUGIN_DIR, SOURCE_DIR,  # noqa: E402,F401
                       run_host, temp_dir, wait_until, write_file)

TEST_PLUGIN_DIR = os.environ.get(
    "NBAQ_TEST_PLUGIN_DIR", os.path.join(BUILD_DIR, "test-plugins"))


def run_config(directory, yaml_text, *args, env=None, timeout=60,
               plugin_dir=True):
    """Writes monitor.yaml into directory and runs the host on it."""
    path = write_file(directory, "monitor.yaml", yaml_text)
    extra = ["--plugin-dir", TEST_PLUGIN_DIR] if plugin_dir else []
    return run_host("-c", path, *extra, *args, env=env, timeout=timeout)


def parse_report(text):
    """tp_report's lines -> {"run": {...}, "checks": {name: {...}}}."""
    result = {"run": None, "checks": {}}
    for line in text.splitlines():
        fields = line.split("\t")
        if fields[0] == "run":
            result["run"] = {
                "monitor": fields[1], "status": fields[2],
                "total": int(fields[3]),
                "counts": dict(zip(["PASS", "WARNING", "FAIL", "ERROR",
                                    "UNKNOWN"], map(int, fields[4:9]))),
                "history_saved": int(fields[9])}
        elif fields[0] == "check":
            result["checks"][fields[1]] = {
                "plugin": fields[2], "status": fields[3],
                "severity": int(fields[4]), "message": fields[5],
                "metrics": {}}
        elif fields[0] == "metric":
            result["checks"][fields[1]]["metrics"][fields[2]] = {
                "value": float(fields[3]), "unit": fields[4],
                "status": fields[5], "reason": fields[6]}
    return result


def read_json(path):
    with open(path) as f:
        return json.load(f)


def live_processes():
    """(pid, stat fields after the command name, argv as bytes) of every
    process that is not a zombie, from /proc."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if fields[0] not in ("Z", "X"):
            yield int(entry), fields, argv


def process_gone(pid):
    """True when pid no longer exists or is a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state in ("Z", "X")
    except FileNotFoundError:
        return True


def kill_if_alive(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


REPORT = """reporters:
  - name: facts
    plugin: tp_report
"""


def spawn_host(directory, yaml_text, *args):
    """Starts the host without waiting (for signal tests)."""
    path = write_file(directory, "monitor.yaml", yaml_text)
    return subprocess.Popen([HOST, "-c", path, "--plugin-dir",
                             TEST_PLUGIN_DIR, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
