#!/usr/bin/env python3
"""TLS failures of an https:// endpoint, which s3rver (plain HTTP) cannot
produce: a self-signed certificate, one from a CA nobody configured, one
valid for another host name, and a plain-HTTP server spoken to with
https://. Each must end in an ERROR that names the bucket and says TLS,
after one connection (TLS failures are not retried, docs/objstore.md),
with no request - so no signed request - reaching the server, and no
secret in any output. With the throw-away CA given as `ca_file` the same
server is trusted and its listing is read.

The endpoint is lib/http's RecordingServer behind Python's ssl module;
the certificates are made by `openssl` (tests/support/tls_certs.py) in a
temporary directory. objstore_probe drives the client, then the real
nbaq-host runs object_count checks on the same servers."""
import os
import shutil
import ssl
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import checker_case  # noqa: E402  (puts tests/support on the path)
import test_s3_edge as edge  # noqa: E402  (lib/http/tests on the path)
import tls_certs  # noqa: E402
from checker_case import nbaq_test  # noqa: E402
from recording_server import RecordingServer, Reply  # noqa: E402

# What the trusted server lists, and the figures worked out by hand.
LISTING = edge.page([("p/a.json", 5), ("p/b/c.json", 7)])
LISTED_LINES = ["O\t5\t1704164645678\tabc\tp/a.json",
                "O\t7\t1704164645678\tabc\tp/b/c.json",
                "END objects=2 bytes=12 pages=1 skipped=0 from_cache=0"]
WRONG_NAME = "s3.example.org"


class Endpoint(RecordingServer):
    """A RecordingServer answering the listing, behind TLS with the
    certificate (cert, key) - or, cert None, plain HTTP - always addressed
    as https://. `connections` counts TCP connections accepted: a TLS
    failure never gets as far as `requests`."""

    def __init__(self, cert=None):
        super().__init__(lambda request: Reply(200, LISTING))
        self.connections = 0
        self.httpd.verify_request = self._count
        # The handshakes these tests break make the handler raise: expected.
        self.httpd.handle_error = lambda request, address: None
        if cert is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*cert)
            # The handshake then runs in the handler thread, not in accept.
            self.httpd.socket = context.wrap_socket(
                self.httpd.socket, server_side=True,
                do_handshake_on_connect=False)
        self.url = f"https://127.0.0.1:{self.port}"

    def _count(self, request, address):
        with self._lock:
            self.connections += 1
        return True


class TlsCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="nbaq-objstore-tls-")
        cls.ca = tls_certs.ThrowAwayCA(cls.dir)
        cls.good = cls.ca.issue("good")
        cls.wrong_name = cls.ca.issue("wrong", cn=WRONG_NAME,
                                      san=f"DNS:{WRONG_NAME}")
        cls.self_signed = tls_certs.self_signed(cls.dir, "self")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)


class ProbeTlsTest(TlsCase):
    def refused(self, cert, detail, options=()):
        """Lists s3://bkt/p/ on an Endpoint(cert) with 3 retries allowed;
        asserts the ERROR line, one connection and no request."""
        with Endpoint(cert) as server:
            lines = edge.probe(self, server, "list", "s3://bkt/p/",
                               options=options)
        self.assertEqual(lines, [
            f"ERROR network: GET s3://bkt/p/: TLS failure ({detail})",
            "END objects=0 bytes=0 pages=1 skipped=0 from_cache=0"])
        self.assertEqual(server.connections, 1)
        self.assertEqual(server.requests, [])

    def test_self_signed_certificate_is_refused(self):
        self.refused(self.self_signed,
                     "SSL certificate problem: self-signed certificate")

    def test_certificate_of_an_unknown_ca_is_refused(self):
        self.refused(self.good, "SSL certificate problem: unable to get "
                                "local issuer certificate")

    def test_certificate_for_another_host_is_refused(self):
        # The CA is trusted: only the name is wrong.
        self.refused(self.wrong_name, "SSL: no alternative certificate "
                     "subject name matches target host name '127.0.0.1'",
                     options=("--ca-file", self.ca.cert))

    def test_plain_http_server_spoken_to_with_https(self):
        with Endpoint(None) as server:
            lines = edge.probe(self, server, "list", "s3://bkt/p/")
        # The detail is OpenSSL's reading of an HTTP reply as a TLS record.
        self.assertTrue(lines[0].startswith(
            "ERROR network: GET s3://bkt/p/: TLS failure ("), lines)
        self.assertEqual(lines[1:], [
            "END objects=0 bytes=0 pages=1 skipped=0 from_cache=0"])
        self.assertEqual(server.connections, 1)
        self.assertEqual(server.requests, [])

    def test_missing_ca_file_is_named(self):
        missing = os.path.join(self.dir, "no-such-ca.pem")
        self.refused(self.good, f"error setting certificate file: {missing}",
                     options=("--ca-file", missing))

    def test_ca_file_trusts_the_throw_away_ca(self):
        with Endpoint(self.good) as server:
            lines = edge.probe(self, server, "list", "s3://bkt/p/",
                               options=("--ca-file", self.ca.cert))
        self.assertEqual(lines, LISTED_LINES)
        self.assertEqual(server.connections, 1)
        self.assertEqual(len(server.requests), 1)
        self.assertEqual(server.requests[0].path,
                         "/bkt/?list-type=2&max-keys=1000&prefix=p%2F")
        auth = server.header_values(server.requests[0], "Authorization")
        self.assertEqual(len(auth), 1)
        self.assertTrue(auth[0].startswith(
            "AWS4-HMAC-SHA256 Credential=AKIDTEST/"), auth)

    def test_listing_cached_with_a_ca_is_not_shared_without_it(self):
        cache = tempfile.mkdtemp(dir=self.dir)
        with Endpoint(self.good) as server:
            trusted = edge.probe(self, server, "list", "s3://bkt/p/",
                                 options=("--ca-file", self.ca.cert,
                                          "--cache-dir", cache))
            untrusted = edge.probe(self, server, "list", "s3://bkt/p/",
                                   options=("--cache-dir", cache))
            again = edge.probe(self, server, "list", "s3://bkt/p/",
                               options=("--ca-file", self.ca.cert,
                                        "--cache-dir", cache))
        self.assertEqual(trusted, LISTED_LINES)
        self.assertEqual(untrusted[0], "ERROR network: GET s3://bkt/p/: TLS "
                         "failure (SSL certificate problem: unable to get "
                         "local issuer certificate)")
        self.assertEqual(again, LISTED_LINES[:2] + [
            "END objects=2 bytes=12 pages=0 skipped=0 from_cache=1"])
        self.assertEqual(server.connections, 2)
        self.assertEqual(len(server.requests), 1)


class HostTlsTest(TlsCase):
    """object_count inside the real nbaq-host: what a user sees."""

    def test_object_count_checks(self):
        servers = {"self_signed": Endpoint(self.self_signed),
                   "unknown_ca": Endpoint(self.good),
                   "wrong_name": Endpoint(self.wrong_name),
                   "plain_http": Endpoint(None),
                   "trusted": Endpoint(self.good)}
        # The config's directory holds the CA, named relative to the config;
        # the host runs from elsewhere.
        config_dir = nbaq_test.temp_dir(self)
        shutil.copy(self.ca.cert, os.path.join(config_dir, "ca.pem"))
        with_ca = ("wrong_name", "trusted")
        yaml = ""
        for name, server in servers.items():
            options = {"url": "s3://bkt/p/", "endpoint": server.url,
                       "access_key_id": "AKIDTEST",
                       "secret_access_key": edge.SECRET, "max_retries": 3,
                       "request_timeout": "10s"}
            if name in with_ca:
                options["ca_file"] = "ca.pem"
            yaml += checker_case.check_yaml("object_count", name, options)
        for server in servers.values():
            server.__enter__()
        try:
            proc, checks = checker_case.run_checks(
                self, "tlstest", yaml, workdir=config_dir,
                cwd=nbaq_test.temp_dir(self))
        finally:
            for server in servers.values():
                server.__exit__(None, None, None)
        with open(os.path.join(config_dir, "report.json")) as f:
            report_text = f.read()
        for text in (proc.stdout, proc.stderr, report_text):
            self.assertNotIn(edge.SECRET, text)
        for marker in edge.SANITIZER_MARKERS:
            self.assertNotIn(marker, proc.stderr)
        self.assertEqual(proc.returncode, 3, proc.stderr)

        self.assertEqual(checks["trusted"]["status"], "PASS",
                         checks["trusted"]["message"])
        got = checker_case.metrics(checks["trusted"])
        self.assertEqual((got["objects"], got["bytes"],
                          got["zero_byte_objects"]), (2, 12, 0))
        self.assertEqual(len(servers["trusted"].requests), 1)

        details = {
            "self_signed": "self-signed certificate",
            "unknown_ca": "unable to get local issuer certificate",
            "wrong_name": "no alternative certificate subject name matches",
            "plain_http": "",
        }
        for name, detail in details.items():
            with self.subTest(check=name):
                c = checks[name]
                self.assertEqual(c["status"], "ERROR")
                self.assertTrue(c["message"].startswith(
                    "GET s3://bkt/p/: TLS failure ("), c["message"])
                self.assertIn(detail, c["message"])
                self.assertEqual(servers[name].connections, 1)
                self.assertEqual(servers[name].requests, [])


if __name__ == "__main__":
    unittest.main(verbosity=2)
