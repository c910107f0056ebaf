"""slack: the incoming-webhook message (blocks and text fallback), long
groups cut to Slack's limits, retries and failures, against a plain HTTP
receiver on 127.0.0.1."""
import json
import os
import shutil
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "channels"))
import channel_test as ct  # noqa: E402

MORE = "\u2026"  # the ellipsis Slack's "and N more" line starts with

# For fixtures/alerts.json, by hand: Slack's mrkdwn needs &, <, > as
# entities; dates are Slack's <!date^epoch^format|fallback>; the resolved
# alert lasted 04:00:00.000 -> 06:00:04.250, two hours and four seconds,
# which reportfmt's two-unit duration writes "2h".
EXPECTED = {
    "text": "CRITICAL sales_pipeline: 3 alerts (2 critical, 1 high), "
            "1 resolved (medium)",
    "blocks": [
        {"type": "header", "text": {
            "type": "plain_text",
            "text": "CRITICAL sales_pipeline: 3 alerts (2 critical, "
                    "1 high), 1 resolved (medium)"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*Critical (2)*\n"
            "\u2022 *NEW* `orders_landing` \u00b7 `newest_age_seconds`: "
            "newest_age_seconds 93600 &gt; fail_above 21600 \u2014 since "
            "<!date^1777874404^{date_short_pretty} {time}"
            "|2026-05-04T06:00:04.250Z>\n"
            "\u2022 *FLAPPING* `pg_replica_lag` \u00b7 `lag_seconds`: "
            "lag_seconds changed state 6 times in 1h \u2014 since "
            "<!date^1777872600^{date_short_pretty} {time}"
            "|2026-05-04T05:30:00.000Z>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*High (1)*\n"
            "\u2022 *ESCALATED* `schema_drift`: column discount dropped "
            "from public.orders \u2014 since "
            "<!date^1777863600^{date_short_pretty} {time}"
            "|2026-05-04T03:00:00.000Z>"}},
        {"type": "section", "text": {"type": "mrkdwn", "text":
            "*Medium (1)*\n"
            "\u2022 *RESOLVED* `null_ratio` \u00b7 `customer_id_null_pct`: "
            "Kunden-ID &lt;= 1% wieder \"gr\u00fcn\" &amp; stabil "
            "\u2014 lasted 2h"}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text":
            "nbaq \u00b7 monitor *sales_pipeline* \u00b7 run "
            "`20260504T060000Z-7f3a`"}]},
    ],
}

SECRET_PATH = "/services/T0001/B0002/SECRETSLACKTOKEN"


def many_alerts_fixture(directory, count):
    """A run with count critical alerts whose summaries are long."""
    alerts = [{
        "fingerprint": f"fp{i:04d}", "check": f"check_{i:04d}",
        "metric": "m", "summary": f"alert {i:04d} " + "x" * 400,
        "severity": "CRITICAL", "state": "new",
        "started_ms": 1777874404250, "notify": True,
    } for i in range(count)]
    run = {"monitor": "m" * 200, "run_id": "r1", "started_ms": 0,
           "finished_ms": 0, "alerts": alerts}
    path = os.path.join(directory, "many.json")
    with open(path, "w") as f:
        json.dump(run, f)
    return path


class SlackTest(ct.HttpChannelTests, unittest.TestCase):
    def send(self, url, *options, fixture="alerts.json"):
        return ct.run_channel("slack", fixture,
                              [f"webhook_url={url}", *options])

    def test_message_blocks(self):
        with ct.Receiver() as receiver:
            result = self.send(receiver.url(SECRET_PATH))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(receiver.requests), 1)
        req = receiver.requests[0]
        self.assertEqual(req.path, SECRET_PATH)
        self.assertEqual(req.headers["Content-Type"], "application/json")
        self.assertEqual(req.json(), EXPECTED)
        self.assertNotIn("SECRET", result.stderr)

    def test_resolved_only_title_says_resolved(self):
        message = ct.post_resolved_only(self, self.send)
        self.assertEqual(message["text"], ct.RESOLVED_ONLY_TITLE)
        self.assertEqual(message["blocks"][0]["text"]["text"],
                         ct.RESOLVED_ONLY_TITLE)

    def test_long_groups_fit_slack_limits(self):
        directory = tempfile.mkdtemp(prefix="nbaq-slack-")
        self.addCleanup(shutil.rmtree, directory)
        with ct.Receiver() as receiver:
            result = self.send(receiver.url("/hook"),
                               fixture=many_alerts_fixture(directory, 60))
        self.assertEqual(result.returncode, 0, result.stderr)
        message = receiver.requests[0].json()
        header = message["blocks"][0]["text"]["text"]
        self.assertLessEqual(len(header), 150)
        self.assertTrue(header.endswith(MORE + ": 60 alerts (60 critical)"),
                        header)
        section = message["blocks"][1]["text"]["text"]
        self.assertLessEqual(len(section), 3000)
        lines = section.split("\n")
        self.assertEqual(lines[0], "*Critical (60)*")
        shown = [line for line in lines[1:] if line.startswith("\u2022")]
        self.assertGreater(len(shown), 3)
        # Each summary cut at 300 characters, ellipsis added.
        self.assertIn("alert 0000 " + "x" * 289 + MORE + " \u2014 since",
                      shown[0])
        self.assertEqual(lines[-1], f"_{MORE} and {60 - len(shown)} more_")
        self.assertEqual(len(lines), 1 + len(shown) + 1)

    def test_rate_limited_then_accepted(self):
        with ct.Receiver(statuses=[429]) as receiver:
            result = self.send(receiver.url("/hook"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(receiver.requests), 2)
        self.assertEqual(receiver.requests[0].body, receiver.requests[1].body)

    def test_rejected_payload_reports_slack_error(self):
        with ct.Receiver(statuses=[400], reply=b"invalid_payload") as receiver:
            result = self.send(receiver.url(SECRET_PATH))
        self.assertEqual(result.returncode, 1)
        self.assertIn("HTTP 400", result.stderr)
        self.assertIn("invalid_payload", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_a_reply_quoting_the_hook_url_is_scrubbed(self):
        reply = f"no_such_hook: POST {SECRET_PATH}".encode()
        with ct.Receiver(statuses=[404], reply=reply) as receiver:
            result = self.send(receiver.url(SECRET_PATH))
        self.assertEqual(result.returncode, 1)
        self.assertIn("HTTP 404", result.stderr)
        self.assertIn("no_such_hook: POST ***", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_receiver_down_fails_without_secrets(self):
        port = ct.refused_port()
        result = self.send(f"http://127.0.0.1:{port}{SECRET_PATH}")
        self.assertEqual(result.returncode, 1)
        self.assertIn("connection refused", result.stderr)
        self.assertNotIn("SECRET", result.stderr)


if __name__ == "__main__":
    ct.main()
