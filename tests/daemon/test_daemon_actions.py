"""Silencing and acknowledging from the dashboard (daemon.actions): off by
default, only with a token, refused without the per-process CSRF token or
from another origin, and recorded in the history store (who and when)
through the same silence row as `nbaq-host alerts silence` when made,
from the API and from the page in headless Chromium."""
import base64
import http.server
import json
import os
import sqlite3
import subprocess
import sys
import time
import unittest

from daemon_support import (ARTIFACTS, HOST, Daemon, exec_check, temp_dir,
                            wait_for, write_file)
from nbaq_test import LoopbackHttpServer  # noqa: E402  (path: daemon_support)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "reports"))
from chromium_cdp import Browser  # noqa: E402

TOKEN = "actions-test-token-456"
BAD = "echo 'export missing|files=0'; exit 2"  # CRITICAL: the check FAILs


def webhook(name, port):
    return (f"  - name: {name}\n    plugin: webhook\n"
            f"    options: {{url: 'http://127.0.0.1:{port}/hook', "
            f"timeout: 2s}}\n")


def config(token=TOKEN, actions=True, hook_port=None, dead_port=None):
    hook = ("reporters:\n" + webhook("ops_hook", hook_port) +
            (webhook("dead_hook", dead_port) if dead_port else "")
            if hook_port else "")
    return ("monitor: act-test\nhistory:\n  url: history.db\n"
            "daemon:\n  listen: 127.0.0.1:0\n  refresh: 1s\n  jitter: 0\n" +
            (f"  token: {token}\n" if token else "") +
            (f"  actions: {'true' if actions else 'false'}\n") + hook +
            "checks:\n" + exec_check("export", BAD, "1s"))


class Receiver:
    """A webhook receiver on 127.0.0.1 answering 204 to every POST."""

    def __init__(self, test):
        self.bodies = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                outer.bodies.append(self.rfile.read(n))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass
        server = LoopbackHttpServer(Handler)
        self.port = server.port
        test.addCleanup(server.stop)

def silences(directory):
    conn = sqlite3.connect(os.path.join(directory, "history.db"), timeout=10)
    try:
        return conn.execute(
            "SELECT fingerprint, check_name, until_ms, created_ms, comment "
            "FROM nbaq_alert_silences ORDER BY id").fetchall()
    finally:
        conn.close()


def outbox(directory, fingerprint):
    """The alert's rows of nbaq_alert_outbox, newest first."""
    conn = sqlite3.connect(os.path.join(directory, "history.db"), timeout=10)
    try:
        return conn.execute(
            "SELECT channel, created_ms, delivered_ms, superseded_ms, "
            "attempts, last_error, state FROM nbaq_alert_outbox "
            "WHERE fingerprint = ? ORDER BY id DESC",
            (fingerprint,)).fetchall()
    finally:
        conn.close()


def closed_port():
    """A loopback port nothing listens on: a send there is refused."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ActionsTest(unittest.TestCase):
    def start(self, token=TOKEN, actions=True, hook_port=None,
              dead_port=None):
        self.dir = temp_dir(self)
        daemon = Daemon(self.dir, config(token, actions, hook_port,
                                         dead_port))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        self.auth = {"Authorization": "Bearer " + token} if token else {}
        st = daemon.wait(lambda: (lambda s: s if s["alerts"]["active"] else
                                  None)(daemon.status(self.auth)),
                         timeout=20, what="the export alert")
        self.status = st
        self.fingerprint = st["alerts"]["active"][0]["fingerprint"]
        return daemon

    def post(self, daemon, action, headers, query="by=alice&until=2h"):
        path = f"/api/alerts/{self.fingerprint}/{action}?{query}"
        status, _, body = daemon.request(path, "POST", headers, body=b"")
        return status, json.loads(body)

    def test_refused_without_token_csrf_or_origin(self):
        daemon = self.start()
        csrf = self.status["daemon"]["csrf"]
        self.assertTrue(self.status["daemon"]["actions"])
        self.assertEqual(len(csrf), 64)
        origin = f"http://127.0.0.1:{daemon.port}"
        good = dict(self.auth, **{"X-Nbaq-Csrf": csrf, "Origin": origin})
        # No bearer token: 401, as every /api route.
        no_token = {k: v for k, v in good.items() if k != "Authorization"}
        self.assertEqual(self.post(daemon, "silence", no_token)[0], 401)
        # No CSRF token, or a wrong one.
        for headers in ({**self.auth, "Origin": origin},
                        {**good, "X-Nbaq-Csrf": "0" * 64}):
            status, body = self.post(daemon, "silence", headers)
            self.assertEqual(status, 403)
            self.assertIn("CSRF", body["error"])
        # No Origin, or another site's.
        for headers in ({**self.auth, "X-Nbaq-Csrf": csrf},
                        {**good, "Origin": "http://evil.example"}):
            status, body = self.post(daemon, "ack", headers)
            self.assertEqual(status, 403)
            self.assertIn("Origin", body["error"])
        # Who acts is required.
        status, body = self.post(daemon, "ack", good, "until=2h")
        self.assertEqual(status, 400)
        self.assertIn("'by'", body["error"])
        # GET on an action, an unknown alert.
        self.assertEqual(daemon.request(
            f"/api/alerts/{self.fingerprint}/ack", headers=good)[0], 405)
        status, _, _ = daemon.request(
            "/api/alerts/00000000000000ff/ack?by=alice", "POST", good, b"")
        self.assertEqual(status, 404)
        self.assertEqual(silences(self.dir), [])  # nothing was recorded

    def test_recorded_when_made(self):
        receiver = Receiver(self)
        daemon = self.start(hook_port=receiver.port)
        origin = f"http://127.0.0.1:{daemon.port}"
        headers = dict(self.auth, **{"X-Nbaq-Csrf":
                                     self.status["daemon"]["csrf"],
                                     "Origin": origin})
        before = int(time.time() * 1000)
        status, body = self.post(daemon, "ack", headers,
                                 "by=alice&until=2h&comment=on%20it")
        after = int(time.time() * 1000)
        self.assertEqual(status, 200, body)
        rows = silences(self.dir)
        self.assertEqual(len(rows), 1)
        fp, check, until, created, comment = rows[0]
        self.assertEqual((fp, check), (self.fingerprint, ""))
        self.assertTrue(before <= created <= after)
        self.assertTrue(created + 2 * 3600 * 1000 - 5 <= until <=
                        after + 2 * 3600 * 1000)
        self.assertEqual(comment,
                         "dashboard ack by alice from 127.0.0.1: on it")
        self.assertEqual(body["until_ms"], until)
        # The alert detail shows the silence, active.
        detail = daemon.get_json(f"/api/alerts/{self.fingerprint}",
                                 self.auth)
        self.assertEqual([(s["scope"], s["active"], s["comment"])
                          for s in detail["silences"]],
                         [("alert", True, comment)])
        self.assertIn("silenced", [t["event"] for t in detail["transitions"]])
        # The webhook channel was notified when the alert opened (its
        # round may still be sending when the alert shows on the board).
        def sent():
            d = daemon.get_json(f"/api/alerts/{self.fingerprint}", self.auth)
            return [(n["channel"], n["delivery"])
                    for n in d["notifications"]] == [("ops_hook",
                                                      "delivered")]
        daemon.wait(sent, timeout=20, what="the webhook notification")
        self.assertTrue(receiver.bodies)
        # The next round sees the silence (the same row the CLI writes).
        daemon.wait(lambda: any(a["state"] == "SILENCED" for a in
                                daemon.status(self.auth)["alerts"]["active"]),
                    timeout=20, what="the alert silenced")

    def test_delivered_and_failed_notifications_in_the_detail(self):
        # ops_hook answers 204; dead_hook's port refuses every connection.
        receiver = Receiver(self)
        daemon = self.start(hook_port=receiver.port, dead_port=closed_port())
        wait_for(lambda: receiver.bodies, timeout=20,
                 what="the webhook delivery")

        def settled():
            rows = outbox(self.dir, self.fingerprint)
            by = {r[0]: r for r in rows}
            return rows if by.get("ops_hook", [0, 0, None])[2] and \
                by.get("dead_hook", [0] * 5)[4] >= 1 else None
        rows = wait_for(settled, timeout=20,
                        what="one delivery and one failed attempt stored")
        detail = daemon.get_json(f"/api/alerts/{self.fingerprint}",
                                 self.auth)
        # Rows may have moved on between the two reads (a retry of
        # dead_hook): compare with a fresh read when they differ.
        got = detail["notifications"]
        if len(got) != len(rows) or any(
                n["attempts"] != r[4] for n, r in zip(got, rows)):
            rows = outbox(self.dir, self.fingerprint)
        expected = []
        for channel, created, delivered, superseded, attempts, error, \
                state in rows:
            delivery = ("delivered" if delivered else "superseded"
                        if superseded else "failed" if attempts
                        else "pending")
            expected.append((channel, delivery, state.upper(), created,
                             delivered, attempts, error))
        self.assertEqual([(n["channel"], n["delivery"], n["state"],
                           n["queued_ms"], n["delivered_ms"], n["attempts"],
                           n["last_error"]) for n in got], expected)
        deliveries = {n["channel"]: n["delivery"] for n in got}
        self.assertEqual(deliveries["ops_hook"], "delivered")
        self.assertEqual(deliveries["dead_hook"], "failed")
        dead = next(n for n in got if n["channel"] == "dead_hook")
        self.assertNotEqual(dead["last_error"], "")
        events = [(t["event"], t["detail"]) for t in detail["transitions"]]
        self.assertIn(("delivered", "ops_hook"), events)
        self.assertIn(("queued", "dead_hook"), events)
        # The page shows them in the alert's detail.
        browser = Browser()
        self.addCleanup(browser.close)
        browser.call("Page.enable")
        browser.call("Emulation.setDeviceMetricsOverride", {
            "width": 1200, "height": 1400, "deviceScaleFactor": 1,
            "mobile": False})
        browser.call("Page.navigate", {
            "url": f"http://127.0.0.1:{daemon.port}/#token={TOKEN}&alert="
                   f"{self.fingerprint}"})
        browser.wait_event("Page.loadEventFired")
        text = wait_for(lambda: (lambda t: t if "dead_hook" in t else None)(
            browser.evaluate('document.getElementById("alert-detail")'
                             '.innerText')), timeout=15, interval=0.2,
            what="the notifications in the detail")
        self.assertRegex(text, r"ops_hook\s+delivered")
        self.assertRegex(text, r"dead_hook\s+failed")
        os.makedirs(ARTIFACTS, exist_ok=True)
        shot = browser.call("Page.captureScreenshot", {"format": "png"})
        with open(os.path.join(ARTIFACTS, "alert-notifications.png"),
                  "wb") as f:
            f.write(base64.b64decode(shot["data"]))

    def test_from_the_page(self):
        daemon = self.start()
        browser = Browser()
        self.addCleanup(browser.close)
        for domain in ("Runtime", "Page"):
            browser.call(domain + ".enable")
        browser.call("Page.navigate", {
            "url": f"http://127.0.0.1:{daemon.port}/#token={TOKEN}&alert="
                   f"{self.fingerprint}"})
        browser.wait_event("Page.loadEventFired")
        wait_for(lambda: browser.evaluate(
            '!!document.querySelector("#alert-detail form.actions")'),
            timeout=15, interval=0.2, what="the action form")
        browser.evaluate('document.getElementById("act-by").value = "Robin";'
                         'document.querySelector(\'[data-action="silence"]\')'
                         '.click()')
        text = wait_for(lambda: (lambda t: t if "Silenced until" in t else
                                 None)(browser.evaluate(
                                     'document.getElementById('
                                     '"alert-detail-status").textContent')),
                        timeout=10, interval=0.2, what="the silence made")
        self.assertIn("Silenced until", text)
        rows = silences(self.dir)
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0][4].startswith(
            "dashboard silence by Robin from 127.0.0.1"), rows[0])

    def test_off_by_default(self):
        daemon = self.start(actions=False)
        self.assertFalse(self.status["daemon"]["actions"])
        self.assertNotIn("csrf", self.status["daemon"])
        status, body = self.post(daemon, "silence", dict(
            self.auth, Origin=f"http://127.0.0.1:{daemon.port}"))
        self.assertEqual(status, 403)
        self.assertIn("actions are off", body["error"])
        self.assertEqual(silences(self.dir), [])

    def test_actions_need_a_token(self):
        d = temp_dir(self)
        path = write_file(d, "monitor.yaml", config(token=None))
        r = subprocess.run([HOST, "-c", path, "--check-config"], cwd=d,
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("monitor.yaml:", r.stderr)
        self.assertIn("'actions: true' needs 'token' or 'token_file'",
                      r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
