"""The dashboard served by a running daemon, in headless Chromium (Debian's
chromium, driven over the DevTools protocol by tests/reports/chromium_cdp):
no console error, no request leaving the daemon, the status table and
charts drawn from /api/history, the range buttons, the token in the URL
fragment. Screenshots are kept in <build>/tests/daemon/artifacts/."""
import base64
import os
import sys
import time
import unittest

from daemon_support import ARTIFACTS, Daemon, exec_check, temp_dir, wait_for

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reports"))
from chromium_cdp import Browser  # noqa: E402

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1280, "height": 900, "deviceScaleFactor": 1,
           "mobile": False}
TOKEN = "dashboard-test-token-123"

COUNTER = ('n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; '
           'echo "rows counted|rows=$n;;;0 lag=$((n % 3))s"')


def config(token=None):
    return ("monitor: dash-test\nworkers: 4\nhistory:\n  url: history.db\n"
            "daemon:\n  listen: 127.0.0.1:0\n  refresh: 1s\n" +
            (f"  token: {token}\n" if token else "") + "checks:\n" +
            exec_check("orders", COUNTER, "1s",
                       extra="    severity: high\n    thresholds:\n"
                             "      lag: {warn_above: 1}\n") +
            exec_check("disk", "echo 'disk fine|free=70%'", "2s"))


def problems_of(events, origin):
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and \
                params.get("type") in ("error", "assert", "warning"):
            found.append(("console", params))
        elif method == "Runtime.exceptionThrown":
            found.append(("exception", params))
        elif method == "Log.entryAdded" and \
                params["entry"]["level"] in ("error", "warning"):
            found.append(("log", params["entry"]))
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not (url.startswith(origin + "/") or url.startswith("data:")):
                found.append(("request", url))
    return found


FACTS = """({
  loaded: document.body.dataset.loaded === "true",
  monitor: document.getElementById("monitor").textContent,
  checks: [...document.querySelectorAll('#checks tbody tr')].map(
      tr => [tr.dataset.check, tr.querySelector('.badge').textContent]),
  charts: [...document.querySelectorAll('#charts figure')].map(
      f => [f.dataset.check, f.dataset.metric,
            [...f.querySelectorAll('polyline')].map(
                p => p.getAttribute('points').trim().split(/\\s+/).length)
              .reduce((a, b) => a + b, 0)]),
  alerts: document.querySelectorAll('#alerts tbody tr').length,
  authShown: !document.getElementById('auth').hidden,
  hash: location.hash,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
})"""


class DashboardTest(unittest.TestCase):
    def start(self, token=None):
        d = temp_dir(self)
        daemon = Daemon(d, config(token))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        headers = {"Authorization": "Bearer " + token} if token else None
        daemon.wait(lambda: daemon.get_json(
            "/api/history?check=orders&metric=rows&since=1h",
            headers)["count"] >= 3, timeout=20, what="three stored values")
        return daemon

    def open(self, daemon, viewport, fragment=""):
        browser = Browser()
        self.addCleanup(browser.close)
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.call(domain + ".enable")
        browser.call("Emulation.setDeviceMetricsOverride", viewport)
        browser.call("Page.navigate",
                     {"url": f"http://127.0.0.1:{daemon.port}/{fragment}"})
        browser.wait_event("Page.loadEventFired")
        return browser

    def wait_drawn(self, browser, checks=2):
        def drawn():
            f = browser.evaluate(FACTS)
            ok = f["loaded"] and len(f["checks"]) == checks and \
                any(points >= 3 for _, _, points in f["charts"])
            return f if ok else None
        return wait_for(drawn, timeout=20, interval=0.2,
                        what="the table and a chart drawn")

    def screenshot(self, browser, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = browser.call("Page.captureScreenshot",
                            {"format": "png", "captureBeyondViewport": True})
        path = os.path.join(ARTIFACTS, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        self.assertGreater(os.path.getsize(path), 10000)

    def test_phone_dashboard(self):
        daemon = self.start()
        browser = self.open(daemon, PHONE)
        facts = self.wait_drawn(browser)
        origin = f"http://127.0.0.1:{daemon.port}"
        self.assertEqual(facts["monitor"], "dash-test")
        self.assertEqual(dict(facts["checks"]).keys(), {"orders", "disk"})
        self.assertEqual(dict(facts["checks"])["disk"], "PASS")
        self.assertEqual({(c, m) for c, m, _ in facts["charts"]},
                         {("orders", "rows"), ("orders", "lag"),
                          ("disk", "free")})
        # A phone does not scroll sideways.
        self.assertLessEqual(facts["scrollWidth"], facts["innerWidth"])
        # The lag threshold warns every third run: wait for its alert.
        wait_for(lambda: browser.evaluate(FACTS)["alerts"] >= 1, timeout=20,
                 interval=0.2, what="an active alert shown")
        # The range buttons ask /api/history for that range.
        browser.evaluate('document.querySelector(\'[data-range="7d"]\').click()')
        wait_for(lambda: any(
            e.get("method") == "Network.requestWillBeSent" and
            "since=7d" in e["params"]["request"]["url"]
            for e in browser.events) or browser.evaluate("1") and any(
            e.get("method") == "Network.requestWillBeSent" and
            "since=7d" in e["params"]["request"]["url"]
            for e in browser.events), timeout=10, what="a 7d request")
        self.screenshot(browser, "dashboard-phone.png")
        self.assertEqual(problems_of(browser.events, origin), [])

    def test_desktop_with_token_in_fragment(self):
        daemon = self.start(TOKEN)
        browser = self.open(daemon, DESKTOP, "#token=" + TOKEN)
        facts = self.wait_drawn(browser)
        self.assertFalse(facts["authShown"])
        self.assertEqual(facts["hash"], "")  # taken off the address bar
        self.screenshot(browser, "dashboard-desktop.png")
        self.assertEqual(problems_of(browser.events,
                                     f"http://127.0.0.1:{daemon.port}"), [])

    def test_token_prompt(self):
        daemon = self.start(TOKEN)
        browser = self.open(daemon, DESKTOP)
        wait_for(lambda: browser.evaluate(FACTS)["authShown"], timeout=10,
                 interval=0.2, what="the token form")
        browser.evaluate(f'document.getElementById("token").value = "{TOKEN}";'
                         'document.getElementById("token-use").click()')
        facts = self.wait_drawn(browser)
        self.assertFalse(facts["authShown"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
