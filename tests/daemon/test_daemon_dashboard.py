"""The dashboard served by a running daemon, in headless Chromium (Debian's
chromium, driven over the DevTools protocol by tests/reports/chromium_cdp):
checks grouped worst first, the filter, deep links, charts with their
thresholds, flagged points and alert episodes, the run timeline, the
alert detail, no sideways scrolling at 390 and 1,400 px, axe-core with no
serious violation, no console error, no request leaving the daemon.

History is seeded by one-shot runs of the same config at chosen times
(NBAQ_NOW) before the daemon starts: eight hourly values of sales/amount,
the last far below the others, so that the anomaly rule flags it and an
alert opens. Screenshots are kept in <build>/tests/daemon/artifacts/."""
import base64
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

from daemon_support import (ARTIFACTS, HOST, SOURCE_DIR, Daemon, exec_check,
                            temp_dir, wait_for, write_file)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reports"))
from chromium_cdp import Browser  # noqa: E402

PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
DESKTOP = {"width": 1400, "height": 900, "deviceScaleFactor": 1,
           "mobile": False}
TOKEN = "dashboard-test-token-123"
AXE = os.path.join(SOURCE_DIR, "tests", "services", "node_modules",
                   "axe-core", "axe.min.js")
HOUR_MS = 3600 * 1000

COUNTER = ('n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; '
           'echo "rows counted|rows=$n;;;0 lag=$((n % 3))s"')
# 100 102 99 101 100 103 98, then 20: the eighth value is the anomaly.
SALES_VALUES = [100, 102, 99, 101, 100, 103, 98, 20]
SALES = ('n=$(cat sales 2>/dev/null || echo 0); n=$((n+1)); echo $n > sales; '
         'case $n in ' +
         " ".join(f"{i + 1}) v={v};;" for i, v in enumerate(SALES_VALUES)) +
         ' *) v=100;; esac; echo "sales counted|amount=$v"')


def config(token=None, actions=False):
    return ("monitor: dash-test\nworkers: 4\nhistory:\n  url: history.db\n"
            "daemon:\n  listen: 127.0.0.1:0\n  refresh: 1s\n  jitter: 0\n"
            "  dashboard:\n    metrics: [disk/free]\n" +
            (f"  token: {token}\n" if token else "") +
            ("  actions: true\n" if actions else "") + "checks:\n" +
            exec_check("orders", COUNTER, "1s",
                       extra="    severity: high\n    thresholds:\n"
                             "      lag: {warn_above: 1}\n") +
            exec_check("disk", "echo 'disk fine|free=70%'", "2s") +
            exec_check("sales", SALES, "1h",
                       extra="    thresholds:\n      amount:\n"
                             "        anomaly: {min_history: 5, seasonal: none}\n"))


def seed_sales(directory, yaml_text):
    """Eight one-shot runs of sales, an hour apart, ending an hour ago;
    returns the time of the anomalous one."""
    path = write_file(directory, "monitor.yaml", yaml_text)
    now = int(time.time() * 1000)
    times = [now - (9 - i) * HOUR_MS for i in range(8)]
    for t in times:
        r = subprocess.run([HOST, "-c", path, "--only", "sales"],
                           cwd=directory, capture_output=True, text=True,
                           env=dict(os.environ, NBAQ_NOW=str(t)), timeout=60)
        if r.returncode not in (0, 1, 2):
            raise AssertionError(f"seeding run: {r.returncode} {r.stderr}")
    return times[-1]


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
  groups: [...document.querySelectorAll('#groups > details.group')].map(
      d => ({check: d.dataset.check, status: d.dataset.status, open: d.open,
             hidden: d.hidden,
             badge: d.querySelector('summary .badge').textContent.trim(),
             shape: d.querySelectorAll('summary .badge svg.ic').length,
             runs: d.querySelectorAll('svg.strip rect.run').length,
             others: [...d.querySelectorAll('.others tbody tr')].map(
                 tr => tr.dataset.metric)})),
  charts: [...document.querySelectorAll('#groups figure.chart')].map(
      f => ({check: f.dataset.check, metric: f.dataset.metric,
             hidden: f.hidden || !!f.closest('[hidden]'),
             points: [...f.querySelectorAll('svg.chart polyline')].map(
                 p => p.getAttribute('points').trim().split(/\\s+/).length)
                 .reduce((a, b) => a + b, 0),
             flags: f.querySelectorAll('svg.chart circle.flag').length,
             episodes: f.querySelectorAll('svg.chart rect.episode').length,
             bands: [...f.querySelectorAll('svg.chart polygon.band')].map(
                 p => p.getAttribute('points').trim().split(/\s+/).length),
             bounds: [...f.querySelectorAll('svg.chart text.bound-label')].map(
                 t => t.textContent),
             labels: [...f.querySelectorAll('svg.chart > text.ylab')].map(
                 t => t.textContent),
             stats: f.querySelector('.stats').textContent})),
  alerts: document.querySelectorAll('#alerts tbody tr').length,
  authShown: !document.getElementById('auth').hidden,
  hash: location.hash,
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
})"""


def chart_of(facts, check, metric):
    for c in facts["charts"]:
        if c["check"] == check and c["metric"] == metric:
            return c
    return None


def fingerprint(monitor, check, metric):
    """docs/alerts.md: FNV-1a (64 bits) over monitor NUL check NUL
    metric:<name>, as 16 lowercase hex digits."""
    h = 0xcbf29ce484222325
    for byte in f"{monitor}\0{check}\0metric:{metric}".encode():
        h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return "%016x" % h


RANK = {"PASS": 0, "WARNING": 1, "FAIL": 2, "UNKNOWN": 3, "ERROR": 4}


class DashboardTest(unittest.TestCase):
    def start(self, token=None, actions=False):
        d = temp_dir(self)
        text = config(token, actions)
        self.flagged_ms = seed_sales(d, text)
        daemon = Daemon(d, text)
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        self.headers = {"Authorization": "Bearer " + token} if token else {}
        daemon.wait(lambda: daemon.get_json(
            "/api/history?check=orders&metric=lag&since=1h",
            self.headers)["count"] >= 3, timeout=20, what="three stored values")
        return daemon

    def bands_match_the_store(self, daemon, check, metric):
        """/api/history's [ts, value, {lower, upper, anomalous}] against
        the rows of nbaq_metric_values; returns the points."""
        doc = daemon.get_json(f"/api/history?check={check}&metric={metric}"
                              "&since=24h", self.headers)
        conn = sqlite3.connect(f"file:{daemon.directory}/history.db?mode=ro",
                               uri=True, timeout=10)
        try:
            rows = conn.execute(
                "SELECT v.ts_ms, v.value, v.band_lower, v.band_upper, "
                "v.anomalous FROM nbaq_metric_values v JOIN nbaq_series s "
                "ON s.id = v.series WHERE s.check_name = ? AND s.metric = ? "
                "AND v.ts_ms BETWEEN ? AND ? ORDER BY v.ts_ms",
                (check, metric, doc["since_ms"], doc["until_ms"])).fetchall()
        finally:
            conn.close()
        self.assertEqual(doc["bucket_ms"], 0)
        self.assertEqual(
            [(p[0], p[1], p[2]["lower"], p[2]["upper"], p[2]["anomalous"])
             for p in doc["points"]],
            [(ts, v, lo, up, a == 1) for ts, v, lo, up, a in rows])
        return doc["points"]

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

    def wait_facts(self, browser, ready, what):
        def check():
            # Charts load when scrolled to: bring the next waiting one in.
            browser.evaluate(
                "{const w = [...document.querySelectorAll('figure.chart')]"
                ".find(f => f.querySelector('.stats').textContent === "
                "'Loading\u2026'); if (w) w.scrollIntoView(); 0}")
            f = browser.evaluate(FACTS)
            return f if f["loaded"] and ready(f) else None
        return wait_for(check, timeout=20, interval=0.2, what=what)

    def wait_drawn(self, browser):
        def ready(f):
            sales = chart_of(f, "sales", "amount")
            lag = chart_of(f, "orders", "lag")
            return len(f["groups"]) == 3 and sales and lag and \
                sales["points"] >= 8 and lag["points"] >= 3 and \
                all(g["runs"] > 0 for g in f["groups"] if g["open"])
        return self.wait_facts(browser, ready, "groups, charts and timelines")

    def press(self, browser, key):
        codes = {"Tab": 9, "Enter": 13}
        for kind in ("rawKeyDown", "char", "keyUp"):
            if kind == "char" and key != "Enter":
                continue
            browser.call("Input.dispatchKeyEvent", {
                "type": kind, "key": key, "code": key,
                "windowsVirtualKeyCode": codes[key],
                **({"text": "\r"} if kind == "char" else {})})

    def screenshot(self, browser, name):
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = browser.call("Page.captureScreenshot",
                            {"format": "png", "captureBeyondViewport": True})
        path = os.path.join(ARTIFACTS, name)
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        self.assertGreater(os.path.getsize(path), 10000)

    def test_groups_charts_filter_and_links(self):
        daemon = self.start()
        browser = self.open(daemon, DESKTOP)
        facts = self.wait_drawn(browser)
        origin = f"http://127.0.0.1:{daemon.port}"
        self.assertEqual(facts["monitor"], "dash-test")
        # Grouped per check, worst first, each status a word and a shape.
        groups = facts["groups"]
        self.assertEqual({g["check"] for g in groups},
                         {"orders", "disk", "sales"})
        ranks = [RANK[g["status"]] for g in groups]
        self.assertEqual(ranks, sorted(ranks, reverse=True))
        for g in groups:
            self.assertEqual(g["badge"], g["status"])
            self.assertEqual(g["shape"], 1)
        # Charted: metrics with a rule (lag, amount) and the one the config
        # names (disk/free); orders/rows has none, so it is listed only.
        charted = {(c["check"], c["metric"]) for c in facts["charts"]}
        self.assertEqual(charted, {("orders", "lag"), ("sales", "amount"),
                                   ("disk", "free")})
        # ...one click away: the list under the charts.
        browser.evaluate("document.querySelector('[data-check=orders] "
                         "details.others').open = true")
        f = self.wait_facts(browser, lambda f: next(
            g for g in f["groups"] if g["check"] == "orders")["others"],
            "the other metrics listed")
        orders = next(g for g in f["groups"] if g["check"] == "orders")
        self.assertEqual(orders["others"], ["rows"])
        # The flagged point and the alert it opened are on the chart, with
        # the window's trend, mean and median under it.
        sales = chart_of(facts, "sales", "amount")
        self.assertGreaterEqual(sales["flags"], 1)
        self.assertGreaterEqual(sales["episodes"], 1)
        values = SALES_VALUES + [100]  # the daemon's own run adds 100
        mean = sum(values) / len(values)
        self.assertIn("mean %g" % float("%.4g" % mean), sales["stats"])
        self.assertIn("median 100", sales["stats"])
        self.assertIn("trend ", sales["stats"])
        # Each value's expected band comes back with it, as stored, and is
        # drawn per point: one polygon per stretch of judged values.
        points = self.bands_match_the_store(daemon, "sales", "amount")
        judged = [p[2]["lower"] is not None and p[2]["upper"] is not None
                  for p in points]
        self.assertTrue(any(judged))
        self.assertFalse(all(judged))  # the first five only learned
        stretches, n = [], 0
        for j in judged + [False]:
            if j:
                n += 1
            elif n:
                stretches.append(n)
                n = 0
        # Upper edge forwards, lower back; a lone value is a 4-corner sliver.
        self.assertEqual(sales["bands"],
                         [2 * max(n, 2) for n in stretches])
        # The threshold of lag is drawn and named.
        lag = chart_of(facts, "orders", "lag")
        self.assertIn("warn_above 1", lag["bounds"])
        # A constant series gets a sane axis: 70 is inside it, not -1..1.
        free = chart_of(facts, "disk", "free")
        low, high = float(free["labels"][0]), float(free["labels"][1])
        self.assertLess(high, low)  # the first label is the top one
        self.assertTrue(high < 70 < low, free["labels"])
        self.assertLessEqual(facts["scrollWidth"], DESKTOP["width"])
        self.screenshot(browser, "dashboard-desktop.png")

        # The filter: a metric name keeps its check and narrows its charts.
        browser.evaluate('{const f = document.getElementById("filter");'
                         'f.value = "lag"; f.dispatchEvent(new Event("input"))}')
        f = browser.evaluate(FACTS)
        shown = [g["check"] for g in f["groups"] if not g["hidden"]]
        self.assertEqual(shown, ["orders"])
        self.assertTrue(chart_of(f, "orders", "lag")["hidden"] is False)
        # ...and a status picks the checks of that status.
        browser.evaluate('{const f = document.getElementById("filter");'
                         'f.value = ""; f.dispatchEvent(new Event("input"));'
                         'const s = document.getElementById("status-filter");'
                         's.value = "PASS"; s.dispatchEvent(new Event("change"))}')
        f = browser.evaluate(FACTS)
        self.assertEqual(sorted(g["check"] for g in f["groups"]
                                if not g["hidden"]),
                         sorted(g["check"] for g in f["groups"]
                                if g["status"] == "PASS"))
        browser.evaluate('{const s = document.getElementById("status-filter");'
                         's.value = ""; s.dispatchEvent(new Event("change"))}')

        # The keyboard alone: Tab reaches the filter, Enter on a check's
        # line closes and opens its group.
        browser.evaluate("document.activeElement.blur(); "
                         "document.querySelector('.skip').focus()")
        self.press(browser, "Tab")
        self.assertEqual(browser.evaluate("document.activeElement.id"),
                         "filter")
        browser.evaluate("document.querySelector("
                         "'[data-check=disk] > summary').focus()")
        was_open = browser.evaluate(
            "document.querySelector('[data-check=disk]').open")
        self.press(browser, "Enter")
        self.assertEqual(browser.evaluate(
            "document.querySelector('[data-check=disk]').open"), not was_open)

        # A deep link to a metric without a rule charts it on request.
        browser.evaluate('location.hash = "#metric=orders/rows"')
        f = self.wait_facts(
            browser, lambda f: (chart_of(f, "orders", "rows") or
                                {}).get("points", 0) >= 3,
            "orders/rows charted from its link")
        self.assertEqual(problems_of(browser.events, origin), [])

    def test_phone_and_axe(self):
        daemon = self.start()
        browser = self.open(daemon, PHONE)
        facts = self.wait_drawn(browser)
        self.assertLessEqual(facts["scrollWidth"], PHONE["width"],
                             "the page scrolls sideways on a phone")
        self.screenshot(browser, "dashboard-phone.png")
        # The range buttons ask for that range.
        browser.evaluate('document.querySelector(\'[data-range="7d"]\').click()')
        wait_for(lambda: any(
            e.get("method") == "Network.requestWillBeSent" and
            "since=7d" in e["params"]["request"]["url"]
            for e in browser.events), timeout=10, what="a 7d request")
        # axe-core, injected as a script: no serious or critical violation,
        # with the alert detail open too.
        with open(AXE) as f:
            browser.evaluate(f.read() + ";0")
        fp = fingerprint("dash-test", "sales", "amount")
        browser.evaluate(f'location.hash = "#alert={fp}"')
        wait_for(lambda: browser.evaluate(
            '!document.getElementById("alert-detail").hidden'), timeout=10,
            interval=0.2, what="the alert detail")
        for viewport in (PHONE, DESKTOP):
            browser.call("Emulation.setDeviceMetricsOverride", viewport)
            result = browser.evaluate(
                "axe.run(document, {resultTypes: ['violations']}).then("
                "r => r.violations.map(v => ({id: v.id, impact: v.impact, "
                "nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
                await_promise=True)
            serious = [v for v in result
                       if v["impact"] in ("serious", "critical")]
            self.assertEqual(serious, [], json.dumps(result, indent=1))
        self.assertEqual(problems_of(browser.events,
                                     f"http://127.0.0.1:{daemon.port}"), [])

    def test_alert_detail(self):
        daemon = self.start()
        fp = fingerprint("dash-test", "sales", "amount")
        status, _, body = daemon.request("/api/alerts/" + fp)
        self.assertEqual(status, 200, body)
        detail = json.loads(body)
        self.assertEqual((detail["check"], detail["metric"]),
                         ("sales", "amount"))
        # Opened by the seeded anomalous run (the clock starts at NBAQ_NOW
        # and runs on from there).
        self.assertTrue(self.flagged_ms <= detail["started_ms"] <
                        self.flagged_ms + 60000, detail)
        events = [t["event"] for t in detail["transitions"]]
        self.assertEqual(events[0], "opened")
        # The daemon's own run (100 again) resolves it, unless it has not
        # been judged yet: either way the detail says which.
        self.assertEqual("resolved" in events, not detail["open"])
        self.assertEqual(detail["notifications"], [])  # no channel
        self.assertEqual(detail["silences"], [])
        self.assertEqual(daemon.request("/api/alerts/" + "0" * 16)[0], 404)
        browser = self.open(daemon, DESKTOP, "#alert=" + fp)
        wait_for(lambda: browser.evaluate(
            '!document.getElementById("alert-detail").hidden'), timeout=10,
            interval=0.2, what="the alert detail")
        text = browser.evaluate(
            'document.getElementById("alert-detail").innerText')
        self.assertIn("Alert: sales / amount", text)
        self.assertIn("Transitions", text)
        self.assertIn("Notifications per channel", text)
        self.assertIn("Silences", text)
        self.screenshot(browser, "dashboard-alert.png")

    def test_token_in_fragment_and_prompt(self):
        daemon = self.start(TOKEN)
        browser = self.open(daemon, DESKTOP, "#token=" + TOKEN)
        facts = self.wait_drawn(browser)
        self.assertFalse(facts["authShown"])
        self.assertEqual(facts["hash"], "")  # taken off the address bar
        other = self.open(daemon, DESKTOP)
        wait_for(lambda: other.evaluate(FACTS)["authShown"], timeout=10,
                 interval=0.2, what="the token form")
        other.evaluate(f'document.getElementById("token").value = "{TOKEN}";'
                       'document.getElementById("token-use").click()')
        facts = self.wait_drawn(other)
        self.assertFalse(facts["authShown"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
