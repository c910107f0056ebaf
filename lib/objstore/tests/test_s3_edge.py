#!/usr/bin/env python3
"""What a real S3 server can answer but s3rver cannot be made to: a
signature mismatch (403), broken or truncated listing XML, a listing that
never ends, server errors that heal (retries), throttling, stalls, and
objects over the read cap. A small HTTP endpoint on 127.0.0.1 answers;
objstore_probe drives the client. Every figure is asserted exactly."""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "http", "tests"))
from recording_server import RecordingServer, Reply  # noqa: E402

PROBE = os.path.join(os.environ.get("NBAQ_BUILD_DIR", ""),
                     "lib/objstore/tests/objstore_probe")
SECRET = "sEcReT/key+that-must-never-show"
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                     "runtime error:")


def page(keys, token=None):
    contents = "".join(
        f"<Contents><Key>{k}</Key><LastModified>2024-01-02T03:04:05.678Z"
        f"</LastModified><ETag>&quot;abc&quot;</ETag><Size>{n}</Size>"
        f"</Contents>" for k, n in keys)
    more = (f"<IsTruncated>true</IsTruncated><NextContinuationToken>{token}"
            f"</NextContinuationToken>" if token else
            "<IsTruncated>false</IsTruncated>")
    return ('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns='
            '"http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name>'
            f'<Prefix></Prefix>{more}{contents}</ListBucketResult>').encode()


def error_doc(code, message):
    return (f"<?xml version='1.0'?><Error><Code>{code}</Code><Message>"
            f"{message}</Message></Error>").encode()


def probe(test, server, *args, options=()):
    """Runs objstore_probe on server.url with signing keys (SECRET) in the
    environment, 3 retries and a 2 s timeout unless options say otherwise;
    asserts on test that the secret is nowhere in the output and that no
    sanitizer spoke (ASan builds), and returns the output lines. Shared
    with test_s3_tls.py."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDTEST",
               AWS_SECRET_ACCESS_KEY=SECRET)
    env.pop("AWS_SESSION_TOKEN", None)
    out = subprocess.run(
        [PROBE, "--endpoint", server.url, "--timeout-ms", "2000",
         "--retries", "3",
         *options, *args], capture_output=True, text=True, env=env,
        timeout=60)
    test.assertNotIn(SECRET, out.stdout + out.stderr)
    for marker in SANITIZER_MARKERS:
        test.assertNotIn(marker, out.stderr)
    return out.stdout.splitlines()


class S3EdgeTest(unittest.TestCase):
    def probe(self, server, *args, options=()):
        return probe(self, server, *args, options=options)

    def test_entities_and_pages_come_out_exact(self):
        pages = {None: page([("a&amp;b &lt;c&gt;.json", 1),
                             ("\u00e9t\u00e9 x+y.json", 22)], "t/1+="),
                 "t%2F1%2B%3D": page([("last.json", 0)])}

        def respond(req):
            token = None
            for part in req.path.split("?", 1)[1].split("&"):
                if part.startswith("continuation-token="):
                    token = part.split("=", 1)[1]
            return Reply(200, pages[token])
        with RecordingServer(respond) as server:
            lines = self.probe(server, "list", "s3://b/")
        self.assertEqual(lines, [
            "O\t1\t1704164645678\tabc\ta&b <c>.json",
            "O\t22\t1704164645678\tabc\t\u00e9t\u00e9 x+y.json",
            "O\t0\t1704164645678\tabc\tlast.json",
            "END objects=3 bytes=23 pages=2 skipped=0 from_cache=0"])

    def test_signature_mismatch_is_access_denied(self):
        body = error_doc("SignatureDoesNotMatch", "The request signature we "
                         "calculated does not match the signature you "
                         "provided.")
        with RecordingServer(lambda r: Reply(403, body)) as server:
            lines = self.probe(server, "list", "s3://bkt/p/")
        self.assertEqual(lines[0],
                         "ERROR denied: s3://bkt/p/: access denied, HTTP 403 "
                         "SignatureDoesNotMatch: The request signature we "
                         "calculated does not match the signature you "
                         "provided. (credentials from environment)")

    def test_an_echoed_session_token_never_shows(self):
        """An endpoint that quotes the request's session token in its
        error: whole, XML-escaped, and cut short by the message limit."""
        token = "FQoGZXIvYXdzEJr//////////wEaDSessionT0ken+Value=="
        escaped = token.replace("+", "&#43;")

        def echo(req):
            sent = dict((k.lower(), v) for k, v in req.headers)
            self.assertEqual(sent.get("x-amz-security-token"), token)
            head = (f"token {sent['x-amz-security-token']} and {token} "
                    "expired ")
            # The last token starts 10 bytes before the 299 kept.
            filler = "x" * (299 - 10 - len(head) - 1)
            return Reply(403, error_doc(
                "InvalidToken", f"token {sent['x-amz-security-token']} and "
                f"{escaped} expired {filler} {token}"))
        env = dict(os.environ, AWS_ACCESS_KEY_ID="AKIDTEST",
                   AWS_SECRET_ACCESS_KEY=SECRET, AWS_SESSION_TOKEN=token)
        with RecordingServer(echo) as server:
            out = subprocess.run(
                [PROBE, "--endpoint", server.url, "--timeout-ms", "2000",
                 "--retries", "0", "list", "s3://bkt/"],
                capture_output=True, text=True, env=env, timeout=60)
        line = out.stdout.splitlines()[0]
        self.assertTrue(line.startswith(
            "ERROR denied: s3://bkt/: access denied, HTTP 403 InvalidToken: "
            "token *** and *** expired xxx"), line)
        self.assertTrue(line.endswith("x *** (credentials from environment)"),
                        line)
        for piece in (token, token[:12], "SessionT0ken"):
            self.assertNotIn(piece, out.stdout + out.stderr)

    def test_malformed_xml(self):
        bad = b"<ListBucketResult><Contents><Key>x</Contents>"
        with RecordingServer(lambda r: Reply(200, bad)) as server:
            lines = self.probe(server, "list", "s3://bkt/")
        self.assertTrue(lines[0].startswith(
            "ERROR protocol: listing s3://bkt/, page 1: malformed listing "
            "XML at line 1 column "), lines)
        self.assertIn("mismatched tag", lines[0])
        self.assertEqual(lines[1], "END objects=0 bytes=0 pages=1 skipped=0 "
                                   "from_cache=0")

    def test_truncated_xml_delivers_nothing_of_the_page(self):
        whole = page([("a.json", 1), ("b.json", 2)])
        cut = whole[:len(whole) - 40]
        with RecordingServer(lambda r: Reply(200, cut)) as server:
            lines = self.probe(server, "list", "s3://bkt/")
        self.assertIn("unclosed token", lines[0])
        self.assertTrue(lines[0].startswith("ERROR protocol: "))
        self.assertEqual(lines[1], "END objects=0 bytes=0 pages=1 skipped=0 "
                                   "from_cache=0")

    def test_connection_cut_mid_body_retries_the_page(self):
        whole = page([("a.json", 1)])

        def respond(req):
            if len(server.requests) == 1:
                return Reply(200, whole[:50], content_length=len(whole),
                             action="truncate")
            return Reply(200, whole)
        with RecordingServer(respond) as server:
            lines = self.probe(server, "list", "s3://bkt/")
            self.assertEqual(len(server.requests), 2)
        self.assertEqual(lines[-1], "END objects=1 bytes=1 pages=2 skipped=0 "
                                    "from_cache=0")

    def test_listing_that_never_ends_hits_the_page_bound(self):
        with RecordingServer(lambda r: Reply(200, page([("k", 1)], "again"))
                             ) as server:
            lines = self.probe(server, "list", "s3://bkt/",
                               options=("--max-pages", "5"))
            self.assertEqual(len(server.requests), 5)
        self.assertEqual(lines[-2], "ERROR limit: listing s3://bkt/ did not "
                                    "end after 5 pages (max_pages)")
        self.assertEqual(lines[-1], "END objects=5 bytes=5 pages=5 skipped=0 "
                                    "from_cache=0")

    def test_server_errors_are_retried_then_reported(self):
        def flaky(req):
            if len(server.requests) <= 2:
                return Reply(503, error_doc("SlowDown", "Reduce your rate"))
            return Reply(200, page([("k", 7)]))
        with RecordingServer(flaky) as server:
            lines = self.probe(server, "list", "s3://bkt/")
            self.assertEqual(len(server.requests), 3)
        self.assertEqual(lines[-1], "END objects=1 bytes=7 pages=1 skipped=0 "
                                    "from_cache=0")

        with RecordingServer(lambda r: Reply(500, error_doc("InternalError",
                                                           "oops"))) as server:
            lines = self.probe(server, "list", "s3://bkt/",
                               options=("--retries", "2"))
            self.assertEqual(len(server.requests), 3)
        self.assertEqual(lines[0], "ERROR server: s3://bkt/: server error "
                                   "HTTP 500 InternalError after 3 tries")

    def test_throttling_honours_retry_after(self):
        def throttle(req):
            if len(server.requests) == 1:
                return Reply(429, b"", headers={"Retry-After": "1"})
            return Reply(200, page([]))
        with RecordingServer(throttle) as server:
            lines = self.probe(server, "list", "s3://bkt/")
            self.assertEqual(len(server.requests), 2)
        self.assertEqual(lines[-1], "END objects=0 bytes=0 pages=1 skipped=0 "
                                    "from_cache=0")

    def test_stalled_server_times_out_after_retries(self):
        with RecordingServer(lambda r: Reply(action="stall")) as server:
            lines = self.probe(server, "list", "s3://bkt/",
                               options=("--retries", "1", "--timeout-ms",
                                        "300"))
            self.assertEqual(len(server.requests), 2)
        self.assertTrue(lines[0].startswith(
            "ERROR network: GET s3://bkt/: timed out after retries"), lines)

    def test_object_over_the_cap(self):
        def respond(req):
            if req.path.endswith("/big"):
                return Reply(200, b"x" * 5000)
            return Reply(200, b"y" * 10)
        with RecordingServer(respond) as server:
            lines = self.probe(server, "get", "s3://bkt/", "big", "small",
                               options=("--max-bytes", "100"))
        results = sorted(lines)
        self.assertEqual(results[0].split("\t")[:5],
                         ["R", "0", "too large", "0", "5000"])
        self.assertEqual(results[0].split("\t")[6],
                         "s3://bkt/big: 5000 bytes, over the cap of 100")
        self.assertEqual(results[1].split("\t")[:5],
                         ["R", "1", "ok", "10", "10"])


if __name__ == "__main__":
    unittest.main()
