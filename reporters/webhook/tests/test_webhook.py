"""webhook: the JSON payload, its HMAC signature, custom headers, retries
and failures, against a plain HTTP receiver on 127.0.0.1."""
import datetime
import hashlib
import hmac
import os
import shutil
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "channels"))
import channel_test as ct  # noqa: E402

# The payload for fixtures/alerts.json, worked out by hand from the
# fixture: the four alerts with notify set, critical first, host order
# inside a group; times converted with Python's datetime. generated_at is
# checked apart, being the time of sending.
EXPECTED = {
    "version": 1,
    "monitor": "sales_pipeline",
    "run_id": "20260504T060000Z-7f3a",
    "title": "CRITICAL sales_pipeline: 3 alerts (2 critical, 1 high), "
             "1 resolved (medium)",
    "counts": {"total": 4, "firing": 3, "resolved": 1, "critical": 2,
               "high": 1, "medium": 1, "low": 0, "info": 0},
    "groups": [
        {"severity": "critical", "alerts": [
            {"fingerprint": "0a4f3e2d1c0b9a88", "check": "orders_landing",
             "metric": "newest_age_seconds",
             "summary": "newest_age_seconds 93600 > fail_above 21600",
             "severity": "critical", "state": "new", "failing_runs": 1,
             "started_at": "2026-05-04T06:00:04.250Z"},
            {"fingerprint": "3b3b3b3b00112233", "check": "pg_replica_lag",
             "metric": "lag_seconds",
             "summary": "lag_seconds changed state 6 times in 1h",
             "severity": "critical", "state": "flapping", "failing_runs": 1,
             "started_at": "2026-05-04T05:30:00.000Z"},
        ]},
        {"severity": "high", "alerts": [
            {"fingerprint": "e5f6a7b8c9d0e1f2", "check": "schema_drift",
             "metric": None,
             "summary": "column discount dropped from public.orders",
             "severity": "high", "state": "escalated", "failing_runs": 4,
             "started_at": "2026-05-04T03:00:00.000Z"},
        ]},
        {"severity": "medium", "alerts": [
            {"fingerprint": "77aa55bb33cc11dd", "check": "null_ratio",
             "metric": "customer_id_null_pct",
             "summary": "Kunden-ID <= 1% wieder \"grün\" & stabil",
             "severity": "medium", "state": "resolved", "failing_runs": 0,
             "started_at": "2026-05-04T04:00:00.000Z",
             "ended_at": "2026-05-04T06:00:04.250Z",
             "duration_seconds": 7204},
        ]},
    ],
}

SECRET_PATH = "/hooks/T0001/SECRETPATHTOKEN?key=SECRETQUERY"


def parse_time(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z")


class WebhookTest(ct.HttpChannelTests, unittest.TestCase):
    def send(self, receiver_url, *options, fixture="alerts.json"):
        return ct.run_channel("webhook", fixture,
                              [f"url={receiver_url}", *options])

    def test_payload_signature_and_headers(self):
        with ct.Receiver() as receiver:
            before = time.time()
            result = self.send(receiver.url(SECRET_PATH),
                               "hmac_secret=correct horse battery",
                               "headers=Authorization=Bearer SECRETBEARER",
                               "headers=X-Team=data-platform")
            after = time.time()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(receiver.requests), 1)
        req = receiver.requests[0]
        self.assertEqual(req.path, SECRET_PATH)
        self.assertEqual(req.headers["Content-Type"], "application/json")
        self.assertEqual(req.headers["Authorization"], "Bearer SECRETBEARER")
        self.assertEqual(req.headers["X-Team"], "data-platform")

        # The signature, recomputed by Python's hmac over the raw body.
        mac = hmac.new(b"correct horse battery", req.body,
                       hashlib.sha256).hexdigest()
        self.assertEqual(req.headers["X-Nbaq-Signature"], "sha256=" + mac)

        payload = req.json()
        generated = parse_time(payload.pop("generated_at"))
        self.assertEqual(payload, EXPECTED)
        self.assertGreaterEqual(generated.timestamp(), int(before))
        self.assertLessEqual(generated.timestamp(), after)
        self.assertEqual(int(req.headers["X-Nbaq-Timestamp"]),
                         int(generated.timestamp()))
        for secret in ("SECRET", "correct horse"):
            self.assertNotIn(secret, result.stderr)

    def test_unsigned_without_hmac_secret(self):
        with ct.Receiver() as receiver:
            result = self.send(receiver.url("/hook"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(receiver.requests), 1)
        self.assertNotIn("X-Nbaq-Signature", receiver.requests[0].headers)
        self.assertIn("X-Nbaq-Timestamp", receiver.requests[0].headers)

    def test_resolved_only_title_says_resolved(self):
        payload = ct.post_resolved_only(self, self.send)
        self.assertEqual(payload["title"], ct.RESOLVED_ONLY_TITLE)
        self.assertEqual(payload["counts"]["firing"], 0)
        self.assertEqual(payload["counts"]["resolved"], 2)
        states = [a["state"] for g in payload["groups"] for a in g["alerts"]]
        self.assertEqual(states, ["resolved", "resolved"])

    def test_server_error_then_success_is_retried_in_the_run(self):
        with ct.Receiver(statuses=[500]) as receiver:
            result = self.send(receiver.url("/hook"), "hmac_secret=k")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(receiver.requests), 2)
        first, second = receiver.requests
        self.assertEqual(first.body, second.body)
        self.assertEqual(first.headers["X-Nbaq-Signature"],
                         second.headers["X-Nbaq-Signature"])

    def test_server_error_without_retries_fails(self):
        with ct.Receiver(statuses=[500, 500]) as receiver:
            result = self.send(receiver.url(SECRET_PATH), "retries=0")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(receiver.requests), 1)
        self.assertIn("HTTP 500", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_client_error_is_not_retried(self):
        with ct.Receiver(statuses=[403, 200]) as receiver:
            result = self.send(receiver.url("/hook"))
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(receiver.requests), 1)
        self.assertIn("HTTP 403", result.stderr)

    def test_receiver_down_fails_without_secrets(self):
        port = ct.refused_port()
        url = f"http://127.0.0.1:{port}{SECRET_PATH}"
        result = self.send(url, "headers=Authorization=Bearer SECRETBEARER")
        self.assertEqual(result.returncode, 1)
        self.assertIn("connection refused", result.stderr)
        self.assertIn(f"127.0.0.1:{port}", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_invalid_utf8_becomes_replacement_characters(self):
        directory = tempfile.mkdtemp(prefix="nbaq-webhook-")
        self.addCleanup(shutil.rmtree, directory)
        path = os.path.join(directory, "bad-utf8.json")
        with open(path, "wb") as f:
            # cJSON reads the stray bytes as they are, as a plugin's
            # message could hold them.
            f.write(b'{"monitor": "m\xff", "run_id": "r", "alerts": [{'
                    b'"fingerprint": "f", "check": "c\xc3", "metric": "",'
                    b' "summary": "bad \xe2\x82 byte", "severity": "LOW",'
                    b' "state": "new", "notify": true}]}')
        with ct.Receiver() as receiver:
            result = self.send(receiver.url("/hook"), fixture=path)
        self.assertEqual(result.returncode, 0, result.stderr)
        payload = receiver.requests[0].json()  # strict UTF-8 decoding
        self.assertEqual(payload["monitor"], "m\ufffd")
        alert = payload["groups"][0]["alerts"][0]
        self.assertEqual(alert["check"], "c\ufffd")
        self.assertEqual(alert["summary"], "bad \ufffd\ufffd byte")

    def test_header_with_line_break_is_refused(self):
        with ct.Receiver() as receiver:
            result = self.send(receiver.url("/hook"),
                               "headers=X-Evil=SECRETVALUE\r\nX-Injected: 1")
        # Refused by the host's option check, before the plugin runs.
        self.assertEqual(result.returncode, 78)
        self.assertEqual(receiver.requests, [])
        self.assertIn("X-Evil", result.stderr)
        self.assertNotIn("SECRET", result.stderr)


if __name__ == "__main__":
    ct.main()
