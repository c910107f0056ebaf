"""The html reporter, loaded in headless Chromium: no console errors, no
request leaves the file, the sections and charts are there, nothing
hostile becomes markup, the page fits a phone. Screenshots are written
to <build>/tests/reports/artifacts/."""
import base64
import html.parser
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import report_test_support as s  # noqa: E402
from chromium_cdp import Browser  # noqa: E402

SECTIONS = ["summary", "checks", "alerts", "metrics", "trends",
            "recommendations"]
PHONE = {"width": 390, "height": 844, "deviceScaleFactor": 1,
         "mobile": True}


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def load_page(path, viewport=PHONE, screenshot=None):
    """Loads path; returns (browser facts, problems seen)."""
    browser = Browser()
    try:
        for domain in ("Runtime", "Log", "Page", "Network"):
            browser.call(domain + ".enable")
        browser.call("Emulation.setDeviceMetricsOverride", viewport)
        browser.call("Page.navigate", {"url": "file://" + path})
        browser.wait_event("Page.loadEventFired")
        facts = browser.evaluate("""({
            sections: [...document.querySelectorAll('section')].map(s => s.id),
            headings: [...document.querySelectorAll('h2')].map(h => h.textContent),
            charts: document.querySelectorAll('figure svg polyline').length,
            points: [...document.querySelectorAll('polyline')].map(
                p => p.getAttribute('points').trim().split(/\\s+/).length),
            active: document.querySelectorAll(
                'script, img, iframe, object, embed, link[rel=stylesheet]').length,
            text: document.body.innerText,
            checkNames: [...document.querySelectorAll('#checks tbody tr td:nth-child(2)')]
                .map(td => td.textContent),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            viewport: document.querySelector('meta[name=viewport]').content,
            // Tables cut off inside their own scroll box.
            clipped: [...document.querySelectorAll('.scroll')]
                .filter(d => d.scrollWidth > d.clientWidth + 1)
                .map(d => d.closest('section').id),
            // Past the right edge of the window, hidden or not (but for
            // a header kept for screen readers only, clipped to nothing).
            outside: [...document.querySelectorAll('th, td, p, li, figure')]
                .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                .filter(e => !e.closest('thead') || getComputedStyle(
                    e.closest('thead')).clipPath === 'none')
                .map(e => e.tagName + ' ' + e.textContent.slice(0, 30)),
            emoji: /[\\u{1F000}-\\u{1FAFF}\\u{2600}-\\u{27BF}\\u{FE0F}]/u
                .test(document.body.innerText),
            statusIcons: [...document.querySelectorAll('.st svg.ic')].map(
                i => [i.getBoundingClientRect().width,
                      getComputedStyle(i).display]),
            bands: document.querySelectorAll('figure svg polygon.band').length,
            flags: [...document.querySelectorAll('figure')].map(f =>
                [f.querySelector('figcaption').textContent,
                 f.querySelectorAll('circle.flag').length]),
        })""")
        if screenshot:
            shot = browser.call("Page.captureScreenshot",
                                {"format": "png",
                                 "captureBeyondViewport": True})
            with open(screenshot, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        problems = []
        for event in browser.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and \
                    params.get("type") in ("error", "assert", "warning"):
                problems.append(("console", params))
            elif method == "Runtime.exceptionThrown":
                problems.append(("exception", params))
            elif method == "Log.entryAdded" and \
                    params["entry"]["level"] in ("error", "warning"):
                problems.append(("log", params["entry"]))
            elif method == "Network.requestWillBeSent" and \
                    params["request"]["url"] != "file://" + path:
                problems.append(("request", params["request"]["url"]))
        return facts, problems
    finally:
        browser.close()


class HtmlTest(unittest.TestCase):
    def write_report(self, name, fixture=s.BASIC, options=()):
        data = s.report_bytes(self, "html", fixture, options)
        path = os.path.join(os.path.abspath(s.ARGS.artifacts), name)
        with open(path, "wb") as f:
            f.write(data)
        return data, path

    def test_self_contained_markup(self):
        data, _ = self.write_report("report.html")
        collector = TagCollector()
        collector.feed(data.decode())
        tags = [t for t, _ in collector.tags]
        self.assertNotIn("script", tags)
        for tag, attrs in collector.tags:
            for name in ("src", "href"):
                value = attrs.get(name)
                self.assertTrue(value is None or value.startswith("data:"),
                                (tag, attrs))
        metas = [a for t, a in collector.tags if t == "meta"]
        self.assertIn({"name": "viewport",
                       "content": "width=device-width, initial-scale=1"},
                      metas)
        self.assertTrue(any(a.get("http-equiv") ==
                            "Content-Security-Policy" for a in metas))

    def test_in_chromium_on_a_phone(self):
        run = s.load_fixture()
        _, path = self.write_report("report.html")
        shot = os.path.join(s.ARGS.artifacts, "report-phone.png")
        facts, problems = load_page(path, screenshot=shot)
        self.assertEqual(problems, [])
        self.assertEqual(facts["sections"], SECTIONS)
        self.assertEqual(facts["headings"],
                         ["Executive summary", "Recent checks",
                          "Active alerts", "Metrics overview",
                          "Trend analysis", "Recommendations"])
        with_history = [m for c in run["checks"] for m in c["metrics"]
                        if len(m.get("history", [])) >= 2]
        self.assertEqual(facts["charts"], len(with_history))
        self.assertEqual(facts["active"], 0)
        self.assertEqual(sorted(facts["checkNames"]),
                         sorted(c["name"] for c in run["checks"]))
        # Compared with the device width: on a phone the layout viewport
        # widens to fit wide content, so innerWidth alone would not tell.
        self.assertLessEqual(facts["scrollWidth"], PHONE["width"],
                             "the page scrolls sideways on a phone")
        self.assertRegex(facts["text"], r"Overall health:\s+ERROR")
        self.assertEqual(facts["clipped"], [])
        self.assertEqual(facts["outside"], [])
        self.assertFalse(facts["emoji"])
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_desktop_screenshot(self):
        # Long names, as real checks have them, must wrap, not widen the
        # trend table past the page.
        run = s.load_fixture()
        run["checks"][0]["name"] = "warehouse_orders_landing_zone_hourly"
        run["checks"][0]["metrics"][0]["name"] = (
            "newest_object_age_seconds_under_the_partition_prefix")
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_fixture(tmp, "long.json", run)
            _, path = self.write_report("report.html", fixture)
        shot = os.path.join(s.ARGS.artifacts, "report-desktop.png")
        facts, problems = load_page(
            path, {"width": 1400, "height": 900, "deviceScaleFactor": 1,
                   "mobile": False}, shot)
        self.assertEqual(problems, [])
        self.assertLessEqual(facts["scrollWidth"], 1400)
        # Every table whole: the trend table's last column ("Before")
        # is not behind a scrollbar.
        self.assertEqual(facts["clipped"], [])
        self.assertEqual(facts["outside"], [])
        self.assertIn("Before", facts["text"])
        # Status icons are inline SVG shapes, a word beside each; no emoji.
        self.assertFalse(facts["emoji"])
        self.assertGreater(len(facts["statusIcons"]), 10)
        for width, display in facts["statusIcons"]:
            self.assertGreater(width, 8)
            self.assertEqual(display, "inline-block")

    def test_hostile_text_stays_text(self):
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_hostile(tmp)
            _, path = self.write_report("hostile.html", fixture)
        facts, problems = load_page(
            path, screenshot=os.path.join(s.ARGS.artifacts,
                                          "hostile-phone.png"))
        self.assertEqual(problems, [])
        self.assertEqual(facts["active"], 0)
        self.assertEqual(facts["sections"], SECTIONS)
        self.assertIn(s.HOSTILE_CHECK, facts["checkNames"])
        self.assertIn("</svg><img src=x onerror=1>", facts["text"])

    def test_chart_shows_band_and_flagged_points(self):
        # detect-integration's evidence: a band per history point and the
        # points the anomaly rule flagged (here the 2nd and the last).
        run = s.load_fixture()
        m = run["checks"][0]["metrics"][1]  # orders_landing object_count
        n = len(m["history"])
        m["band"] = [[20, 28, i in (1, n - 1)] for i in range(n)]
        m["band"][0] = [None, None, False]  # not judged yet
        m["evidence"] = {"state": "JUDGED", "expected": 24, "lower": 20,
                         "upper": 28, "score": -5.5}
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_fixture(tmp, "band.json", run)
            _, path = self.write_report("band.html", fixture)
        facts, problems = load_page(
            path, {"width": 1400, "height": 900, "deviceScaleFactor": 1,
                   "mobile": False},
            os.path.join(s.ARGS.artifacts, "report-band.png"))
        self.assertEqual(problems, [])
        self.assertEqual(facts["bands"], 1)
        flags = dict((caption.split(" ")[0] + caption.split(" ")[2], count)
                     for caption, count in facts["flags"])
        self.assertEqual(flags["orders_landingobject_count"], 2)
        # Without a band, only this run's anomalous flag is drawn.
        self.assertEqual(flags["orders_landingnewest_age_seconds"], 0)

    def test_charts_are_bounded(self):
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_fixture(tmp, "big.json",
                                      s.big_run(40, 2, 500))
            data, path = self.write_report(
                "big.html", fixture, ["max_charts=10", "chart_points=50",
                                      "max_rows=30"])
        facts, problems = load_page(path)
        self.assertEqual(problems, [])
        self.assertEqual(facts["charts"], 10)
        self.assertTrue(all(n == 50 for n in facts["points"]),
                        facts["points"])
        self.assertIn("70 more not shown (raise max_charts).",
                      facts["text"])
        self.assertEqual(len(facts["checkNames"]), 30)


if __name__ == "__main__":
    s.main()
