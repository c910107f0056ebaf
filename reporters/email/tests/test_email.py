"""email: the mail (envelope, headers, plain-text body) as a real SMTP
server on 127.0.0.1 receives it (aiosmtpd, Debian's python3-aiosmtpd),
STARTTLS with login, transient failures and refusals."""
import email
import email.policy
import email.utils
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import unittest

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "channels"))
import channel_test as ct  # noqa: E402
import tls_certs  # noqa: E402  (tests/support, put on the path by ct)

# aiosmtpd logs the handshakes the tests make fail on purpose.
logging.getLogger("mail.log").setLevel(logging.CRITICAL)

# The body for fixtures/alerts.json, by hand (CRLF line ends, 8bit UTF-8).
# The last line carries the sending time and is checked apart.
EXPECTED_BODY = """\
Monitor sales_pipeline, run 20260504T060000Z-7f3a:
3 alerts (2 critical, 1 high), 1 resolved (medium).

CRITICAL (2)

  [NEW] orders_landing / newest_age_seconds
    newest_age_seconds 93600 > fail_above 21600
    since 2026-05-04T06:00:04.250Z, failing 1 run
    fingerprint 0a4f3e2d1c0b9a88

  [FLAPPING] pg_replica_lag / lag_seconds
    lag_seconds changed state 6 times in 1h
    since 2026-05-04T05:30:00.000Z, failing 1 run
    fingerprint 3b3b3b3b00112233

HIGH (1)

  [ESCALATED] schema_drift
    column discount dropped from public.orders
    since 2026-05-04T03:00:00.000Z, failing 4 runs
    fingerprint e5f6a7b8c9d0e1f2

MEDIUM (1)

  [RESOLVED] null_ratio / customer_id_null_pct
    Kunden-ID <= 1% wieder "grün" & stabil
    from 2026-05-04T04:00:00.000Z to 2026-05-04T06:00:04.250Z, lasted 2h
    fingerprint 77aa55bb33cc11dd

-- 
""".replace("\n", "\r\n").encode("utf-8")

SUBJECT = ("[nbaq] CRITICAL sales_pipeline: 3 alerts (2 critical, 1 high), "
           "1 resolved (medium)")


class Recorder:
    """aiosmtpd handler: keeps every EHLO and message, and answers DATA
    from a script (data_replies[i] for the i-th DATA, then 250)."""

    def __init__(self, data_replies=()):
        self.ehlos = 0
        self.messages = []
        self.data_replies = list(data_replies)
        self.data_count = 0

    async def handle_EHLO(self, server, session, envelope, hostname,
                          responses):
        self.ehlos += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server, session, envelope):
        index = self.data_count
        self.data_count += 1
        if index < len(self.data_replies):
            return self.data_replies[index]
        self.messages.append({
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "content": envelope.original_content,
            "tls": session.ssl is not None,
            "user": session.auth_data.login if session.authenticated
            else None,
        })
        return "250 OK"


class Authenticator:
    def __init__(self, user, password):
        self.user, self.password = user, password

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login == self.user and
              auth_data.password == self.password)
        return AuthResult(success=ok, handled=False,
                          auth_data=auth_data if ok else None)


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free port of 127.0.0.1."""

    def __init__(self, handler, **smtp_options):
        self.handler = handler
        self.port = ct.refused_port()
        self.controller = Controller(handler, hostname="127.0.0.1",
                                     port=self.port, **smtp_options)

    def url(self, scheme="smtp"):
        return f"{scheme}://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def split_message(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    return head, body


class EmailTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="nbaq-email-")
        cls.cert, cls.key = tls_certs.self_signed(cls.tmp, "server")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def tls_context(self):
        import ssl
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context

    def send(self, url, *options, fixture="alerts.json"):
        return ct.run_channel("email", fixture, [
            f"url={url}", "from=nbaq <nbaq@dq.example.com>",
            "to=oncall@example.com", "to=Data Team <data@example.com>",
            "timeout=10s", *options])

    def test_mail_headers_and_body(self):
        recorder = Recorder()
        with SmtpServer(recorder) as server:
            before = time.time()
            result = self.send(server.url())
            after = time.time()
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(recorder.messages), 1)
        got = recorder.messages[0]
        self.assertEqual(got["mail_from"], "nbaq@dq.example.com")
        self.assertEqual(got["rcpt_tos"],
                         ["oncall@example.com", "data@example.com"])
        self.assertFalse(got["tls"])

        msg = email.message_from_bytes(got["content"],
                                       policy=email.policy.default)
        self.assertEqual(msg["Subject"], SUBJECT)
        self.assertEqual(msg["From"], "nbaq <nbaq@dq.example.com>")
        self.assertEqual([a.addr_spec for a in msg["To"].addresses],
                         ["oncall@example.com", "data@example.com"])
        self.assertEqual(msg["MIME-Version"], "1.0")
        self.assertEqual(msg.get_content_type(), "text/plain")
        self.assertEqual(msg.get_content_charset(), "utf-8")
        self.assertEqual(msg["Auto-Submitted"], "auto-generated")
        self.assertEqual(msg["X-Nbaq-Monitor"], "sales_pipeline")
        self.assertRegex(msg["Message-ID"],
                         r"^<20260504T060000Z-7f3a\.\d+\.\d+"
                         r"@dq\.example\.com>$")
        date = email.utils.parsedate_to_datetime(msg["Date"]).timestamp()
        self.assertGreaterEqual(date, int(before))
        self.assertLessEqual(date, after)

        head, body = split_message(got["content"])
        self.assertTrue(body.startswith(EXPECTED_BODY), body)
        last = body[len(EXPECTED_BODY):].decode()
        self.assertRegex(last, r"^Sent by nbaq at "
                               r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\.\r\n$")
        for line in got["content"].split(b"\r\n"):
            self.assertLessEqual(len(line), 998)
            self.assertNotIn(b"\n", line)

    def test_non_ascii_subject_and_sender_are_encoded(self):
        recorder = Recorder()
        with SmtpServer(recorder) as server:
            result = ct.run_channel("email", "alerts.json", [
                f"url={server.url()}",
                "from=Qualitätswächter <nbaq@dq.example.com>",
                "to=oncall@example.com",
                "subject_prefix=[Datenqualität – Überwachung der Pipelines]"])
        self.assertEqual(result.returncode, 0, result.stderr)
        raw = recorder.messages[0]["content"]
        head, _ = split_message(raw)
        head.decode("ascii")  # every header is 7-bit
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        self.assertEqual(
            msg["Subject"],
            "[Datenqualität – Überwachung der Pipelines] " + SUBJECT[7:])
        self.assertEqual(msg["From"].addresses[0].display_name,
                         "Qualitätswächter")
        self.assertEqual(msg["From"].addresses[0].addr_spec,
                         "nbaq@dq.example.com")

    def test_resolved_only_subject_says_resolved(self):
        recorder = Recorder()
        directory = tempfile.mkdtemp(prefix="nbaq-email-")
        self.addCleanup(shutil.rmtree, directory)
        with SmtpServer(recorder) as server:
            result = self.send(server.url(),
                               fixture=ct.resolved_only_fixture(directory))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(recorder.messages), 1)
        msg = email.message_from_bytes(recorder.messages[0]["content"],
                                       policy=email.policy.default)
        self.assertEqual(msg["Subject"], "[nbaq] " + ct.RESOLVED_ONLY_TITLE)
        body = msg.get_content()
        self.assertIn("2 alerts resolved (1 critical, 1 medium).", body)
        self.assertNotIn("[NEW]", body)

    def test_starttls_and_login(self):
        recorder = Recorder()
        with SmtpServer(recorder, tls_context=self.tls_context(),
                        require_starttls=True,
                        authenticator=Authenticator(b"nbaq", b"SECRETPW"),
                        auth_required=True) as server:
            result = self.send(server.url(), "starttls=true",
                               f"ca_file={self.cert}", "username=nbaq",
                               "password=SECRETPW")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(len(recorder.messages), 1)
        self.assertTrue(recorder.messages[0]["tls"])
        self.assertEqual(recorder.messages[0]["user"], b"nbaq")

    def test_wrong_password_fails_without_the_password(self):
        recorder = Recorder()
        with SmtpServer(recorder, tls_context=self.tls_context(),
                        require_starttls=True,
                        authenticator=Authenticator(b"nbaq", b"right"),
                        auth_required=True) as server:
            result = self.send(server.url(), "starttls=true",
                               f"ca_file={self.cert}", "username=nbaq",
                               "password=SECRETWRONG")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(recorder.messages, [])
        self.assertIn(f"smtp://127.0.0.1:{server.port}", result.stderr)
        self.assertIn("SMTP reply 535", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_starttls_required_never_falls_back_to_plain_text(self):
        recorder = Recorder()
        with SmtpServer(recorder) as server:  # offers no STARTTLS
            result = self.send(server.url(), "starttls=true",
                               "username=nbaq", "password=SECRETPW")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(recorder.messages, [])
        self.assertNotIn("SECRET", result.stderr)

    def test_untrusted_certificate_is_refused(self):
        recorder = Recorder()
        with SmtpServer(recorder, tls_context=self.tls_context(),
                        require_starttls=True) as server:
            result = self.send(server.url(), "starttls=true")
        self.assertEqual(result.returncode, 1)
        self.assertEqual(recorder.messages, [])

    def test_transient_reply_is_retried_in_the_run(self):
        recorder = Recorder(data_replies=["451 4.3.0 try again later"])
        with SmtpServer(recorder) as server:
            result = self.send(server.url())
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(recorder.data_count, 2)
        self.assertEqual(len(recorder.messages), 1)

    def test_permanent_reply_is_not_retried(self):
        recorder = Recorder(data_replies=["554 5.7.1 rejected"] * 3)
        with SmtpServer(recorder) as server:
            result = self.send(server.url())
        self.assertEqual(result.returncode, 1)
        self.assertEqual(recorder.data_count, 1)
        self.assertIn("SMTP reply 554", result.stderr)

    def test_nothing_to_notify_sends_nothing(self):
        recorder = Recorder()
        with SmtpServer(recorder) as server:
            result = self.send(server.url(), fixture="quiet.json")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(recorder.ehlos, 0)
        self.assertEqual(recorder.messages, [])

    def test_server_down(self):
        port = ct.refused_port()
        result = self.send(f"smtp://127.0.0.1:{port}", "username=nbaq",
                           "password=SECRETPW")
        self.assertEqual(result.returncode, 1)
        self.assertIn(f"smtp://127.0.0.1:{port}", result.stderr)
        self.assertNotIn("SECRET", result.stderr)

    def test_bad_recipient_is_named(self):
        result = self.send("smtp://127.0.0.1:1", "to=not an address")
        self.assertEqual(result.returncode, 1)
        self.assertIn("'not an address' is not a mail address",
                      result.stderr)


if __name__ == "__main__":
    ct.main()
