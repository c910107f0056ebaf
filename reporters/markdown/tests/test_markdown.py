"""The markdown reporter: golden file, sections, order and counts worked
out from the fixture, escaping that keeps tables whole, bounded tables."""
import datetime
import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "reports"))
import report_test_support as s  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "golden")

RANK = ["PASS", "WARNING", "FAIL", "UNKNOWN", "ERROR"]
UNESCAPED_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")


def utc(ms):
    return datetime.datetime.fromtimestamp(
        ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def worst_first(run):
    indexed = list(enumerate(run["checks"]))
    indexed.sort(key=lambda ic: (-RANK.index(ic[1]["status"]),
                                 -s.SEVERITIES.index(
                                     ic[1].get("severity", "MEDIUM")),
                                 ic[0]))
    return [c for _, c in indexed]


def section(text, title):
    """The lines of one '## title' section."""
    lines = text.split("\n")
    start = lines.index("## " + title) + 1
    end = next((i for i in range(start, len(lines))
                if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def table_rows(lines):
    rows = [line for line in lines if line.startswith("|")]
    return rows[2:]  # header and separator


class MarkdownTest(unittest.TestCase):
    def report(self, fixture=s.BASIC, options=()):
        return s.report_bytes(self, "markdown", fixture, options)

    def test_golden(self):
        s.assert_golden(self, self.report(),
                        os.path.join(GOLDEN, "run_basic.md"))

    def test_sections_in_order(self):
        text = self.report().decode()
        headings = [l for l in text.split("\n") if l.startswith("#")]
        self.assertEqual(
            [h for h in headings if not h.startswith("###")],
            ["# Data quality report: sales_pipeline", "## Executive summary",
             "## Recent checks", "## Active alerts", "## Metrics overview",
             "## Trend analysis", "## Recommendations"])
        self.assertIn("- **Date:** 2026-05-04", text)
        self.assertIn("- **Time:** 06:00:00 UTC", text)

    def test_summary_counts(self):
        run = s.load_fixture()
        text = self.report().decode()
        lines = section(text, "Executive summary")
        self.assertIn("**Overall health: \u2666 ERROR.**", lines[1])
        counts = {}
        for row in table_rows(lines):
            cells = [c.strip() for c in row.strip("|").split("|")]
            counts[cells[0].split()[-1]] = int(cells[1])
        self.assertEqual(counts, s.status_counts(run))

    def test_checks_worst_first(self):
        run = s.load_fixture()
        text = self.report().decode()
        rows = table_rows(section(text, "Recent checks"))
        names = [re.search(r"`([^`]+)`", r).group(1) for r in rows]
        self.assertEqual(names, [c["name"] for c in worst_first(run)])

    def test_alerts_grouped_by_severity(self):
        run = s.load_fixture()
        lines = section(self.report().decode(), "Active alerts")
        groups = [l for l in lines if l.startswith("### ")]
        want = []
        for sev in reversed(s.SEVERITIES):
            n = sum(1 for a in run["alerts"]
                    if a["severity"] == sev and a["state"] != "resolved")
            if n:
                want.append(f"{sev.title()} ({n})")
        want.append("Resolved by this run")
        self.assertEqual([g.split(" ", 2)[-1] if "(" in g else g[4:]
                          for g in groups], want)
        silenced = [l for l in lines if l.startswith("- **silenced**")]
        self.assertEqual(len(silenced), 1)
        self.assertIn("silenced until " + utc(1777874400000 + 6 * 86400000),
                      silenced[0])

    def test_recommendations_say_what_since_and_where(self):
        run = s.load_fixture()
        lines = section(self.report().decode(), "Recommendations")
        items = [l for l in lines if re.match(r"\d+\. ", l)]
        # every check that is not PASS is named in a recommendation
        for check in run["checks"]:
            named = any(f"`{check['name']}`" in i for i in items)
            self.assertEqual(named, check["status"] != "PASS", check["name"])
        text = "\n".join(lines)
        landing = run["checks"][0]
        age = landing["metrics"][0]
        last_data = landing["started_ms"] - age["value"] * 1000
        self.assertIn("**Stale data:** `orders_landing` \u203a "
                      "`newest_age_seconds`", text)
        self.assertIn("no new data since about " + utc(last_data), text)
        email = run["checks"][1]["metrics"][0]
        first = email["history"][0]
        self.assertIn(f"rising since {utc(first[0])} (0.01 to 0.082 over "
                      f"{len(email['history'])} runs)", text)
        self.assertIn("**Anomalous value:** `orders_landing` \u203a "
                      "`object_count`", text)
        self.assertIn("run it alone with nbaq-host -c CONFIG --only "
                      "events_json -v", text)
        self.assertEqual(sum(1 for l in lines if "**Look at:**" in l),
                         len(items))

    def test_hostile_text_keeps_tables_whole(self):
        with tempfile.TemporaryDirectory() as tmp:
            text = self.report(s.write_hostile(tmp)).decode()
        # Outside code spans (where CommonMark shows text as it is), no
        # '<' may be left unescaped: it could open an HTML tag on GitHub.
        prose = re.sub(r"(`+).*?\1", "", text)
        self.assertIsNone(re.search(r"(?<!\\)<", prose), prose)
        self.assertIn("`` evil\\|check <script>", text)
        for title in ("Recent checks", "Metrics overview", "Trend analysis"):
            rows = [l for l in section(text, title) if l.startswith("|")]
            self.assertGreater(len(rows), 2, title)
            widths = {len(UNESCAPED_PIPE.findall(r)) for r in rows}
            self.assertEqual(len(widths), 1, (title, rows))
        self.assertIn("\ufffd\ufffd\ufffd", text)

    def test_tables_are_bounded(self):
        with tempfile.TemporaryDirectory() as tmp:
            fixture = s.write_fixture(tmp, "big.json", s.big_run(300, 2, 3))
            text = self.report(fixture, ["max_rows=50",
                                         "max_recommendations=5"]).decode()
        self.assertEqual(len(table_rows(section(text, "Recent checks"))), 50)
        self.assertIn("250 more not shown (raise `max_rows`).", text)
        self.assertIn("550 more not shown (raise `max_rows`).", text)
        # 60 FAIL checks with 2 metrics each: 120 recommendations
        self.assertIn("115 more not shown (raise `max_recommendations`).",
                      text)


if __name__ == "__main__":
    s.main()
