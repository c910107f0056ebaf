"""The dashboard at scale: starts nbaq-host --daemon on 127.0.0.1 with
CHECKS exec checks of METRICS metrics each (two with a rule; one check in
ten over its threshold), waits until every check has run once, then loads
the page LOADS times in headless Chromium and prints the milliseconds
from navigation to the first complete render of the checks (the page
records it in body[data-rendered-ms]) and the size of /api/status.

Usage: measure.py NBAQ_HOST [CHECKS] [METRICS] [LOADS]"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tests", "reports"))
from chromium_cdp import Browser  # noqa: E402

VIEWPORT = {"width": 1400, "height": 900, "deviceScaleFactor": 1,
            "mobile": False}


def config(checks, metrics):
    lines = ["monitor: bench", "workers: 8", "history:", "  url: history.db",
             "daemon:", "  listen: 127.0.0.1:0", "  jitter: 0",
             "  interval: 1h", "checks:"]
    for i in range(1, checks + 1):
        values = [f"m01={500 if i % 10 == 0 else 50}"] + [
            f"m{m:02d}={m}" for m in range(2, metrics + 1)]
        lines += [f"  - name: check_{i:03d}", "    plugin: exec",
                  "    thresholds:", "      m01: {warn_above: 100}",
                  "      m02: {fail_below: 1}", "    options:",
                  f"      command: [sh, -c, \"echo 'ok|{' '.join(values)}'\"]"]
    return "\n".join(lines) + "\n"


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def start(host, directory, checks, metrics):
    path = os.path.join(directory, "monitor.yaml")
    with open(path, "w") as f:
        f.write(config(checks, metrics))
    log = open(os.path.join(directory, "daemon.log"), "w+")
    proc = subprocess.Popen([host, "-c", path, "--daemon", "-v"], cwd=directory,
                            stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 300
    port = None
    while time.monotonic() < deadline and port is None:
        log.seek(0)
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)/", log.read())
        port = m and int(m.group(1))
        time.sleep(0.1)
    if port is None:
        proc.terminate()
        raise SystemExit("the daemon did not listen")
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() < deadline:
        st = json.loads(get(base + "/api/status"))
        if all(c["status"] for c in st["checks"]):
            return proc, base
        time.sleep(0.5)
    proc.terminate()
    raise SystemExit("the checks did not all run within 300 s")


def load_once(url):
    browser = Browser()
    try:
        browser.call("Page.enable")
        browser.call("Emulation.setDeviceMetricsOverride", VIEWPORT)
        browser.call("Page.navigate", {"url": url})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            value = browser.evaluate("document.body && "
                                     "document.body.dataset.renderedMs")
            if value:
                groups = browser.evaluate(
                    "document.querySelectorAll('#groups > details').length")
                return int(value), groups
            time.sleep(0.05)
        raise SystemExit("the page did not render within 30 s")
    finally:
        browser.close()


def main():
    host = sys.argv[1]
    checks, metrics, loads = (int(a) for a in (sys.argv[2:] + ["500", "20",
                                                               "5"])[:3])
    with tempfile.TemporaryDirectory(prefix="nbaq-bench-dashboard-") as d:
        proc, base = start(host, d, checks, metrics)
        try:
            size = len(get(base + "/api/status"))
            print(f"nbaq-host --daemon, {checks} checks x {metrics} metrics; "
                  f"/api/status: {size} bytes")
            times = []
            for i in range(loads):
                ms, groups = load_once(base + "/")
                times.append(ms)
                print(f"load {i + 1}: first complete render {ms} ms "
                      f"({groups} checks)")
            print(f"median {statistics.median(times)} ms, max {max(times)} ms")
        finally:
            proc.terminate()
            proc.wait(timeout=60)


if __name__ == "__main__":
    main()
