"""The SigV4 Authorization header nbaq sends (curl's CURLOPT_AWS_SIGV4
plus the x-amz-content-sha256 header lib/http adds) must equal the one
Debian's python3-botocore computes, independently, for the same request
at the same time with the same credentials."""
import datetime
import os
import subprocess
import sys
import unittest
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from recording_server import RecordingServer, Reply  # noqa: E402

import botocore.auth  # noqa: E402
from botocore.awsrequest import AWSRequest  # noqa: E402
from botocore.credentials import Credentials  # noqa: E402

BUILD = os.environ.get("NBAQ_BUILD_DIR", "")
HTTP_PROBE = os.path.join(BUILD, "lib/http/tests/http_probe")
OBJSTORE_PROBE = os.path.join(BUILD, "lib/objstore/tests/objstore_probe")

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "FQoGZXIvYXdzEXAMPLE/token+with=odd/chars"
FIXED_DATE = "20240102T030405Z"
EMPTY_SHA = ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852"
             "b855")


def botocore_authorization(request, port, region, service, token=None):
    """Authorization botocore computes for a request the server saw."""
    dates = [v for k, v in request.headers if k.lower() == "x-amz-date"]
    when = datetime.datetime.strptime(dates[0], "%Y%m%dT%H%M%SZ")
    headers = {"host": f"127.0.0.1:{port}"}
    for name, value in request.headers:
        if name.lower() in ("content-type", "x-amz-security-token"):
            headers[name] = value
    aws_request = AWSRequest(method=request.method,
                             url=f"http://127.0.0.1:{port}{request.path}",
                             headers=headers, data=request.body)
    signer_class = (botocore.auth.S3SigV4Auth if service == "s3"
                    else botocore.auth.SigV4Auth)
    signer = signer_class(Credentials(ACCESS_KEY, SECRET_KEY, token),
                          service, region)
    with mock.patch("botocore.auth.datetime") as fake:
        fake.datetime.utcnow.return_value = when
        signer.add_auth(aws_request)
    return aws_request.headers["Authorization"]


class SigV4Test(unittest.TestCase):
    def probe_env(self, token=None):
        env = dict(os.environ, NBAQ_PROBE_ACCESS_KEY=ACCESS_KEY,
                   NBAQ_PROBE_SECRET_KEY=SECRET_KEY)
        env.pop("NBAQ_PROBE_TOKEN", None)
        if token:
            env["NBAQ_PROBE_TOKEN"] = token
        return env

    def run_probe(self, server, method, path, region, service, body=None,
                  headers=(), token=None):
        args = [HTTP_PROBE, "--sigv4", f"{region}:{service}",
                "--header", f"X-Amz-Date: {FIXED_DATE}"]
        for h in headers:
            args += ["--header", h]
        if body is not None:
            args += ["--body", body]
        args += [method, server.url + path]
        out = subprocess.run(args, capture_output=True, text=True,
                             env=self.probe_env(token), timeout=60)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return server.requests[-1]

    def assert_same_signature(self, server, request, region, service,
                              token=None):
        sent = server.header_values(request, "Authorization")
        self.assertEqual(len(sent), 1)
        expected = botocore_authorization(request, server.port, region,
                                          service, token)
        self.assertEqual(sent[0], expected)
        return sent[0]

    def test_fixed_requests_match_botocore(self):
        cases = [
            # a ListObjectsV2 page with a continuation token and a prefix
            ("GET", "/bkt/?continuation-token=1%2Fabc%2B%3D%3D&list-type=2"
                    "&max-keys=1000&prefix=dir%2Fsub%20x%2B", "us-east-1",
             "s3", None, (), None),
            # an object whose key has a space, '+', '&' and non-ASCII
            ("GET", "/bkt/dir/x%20y%2Bz%26w/%C3%A9t%C3%A9.json",
             "eu-west-1", "s3", None, (), TOKEN),
            # a body: its SHA-256 goes into x-amz-content-sha256
            ("PUT", "/bkt/upload.json", "eu-central-1", "s3",
             '{"a": 1}', ("Content-Type: application/json",), None),
            # another service (CloudWatch): no x-amz-content-sha256
            ("POST", "/", "us-west-2", "monitoring",
             "Action=PutMetricData&Version=2010-08-01",
             ("Content-Type: application/x-www-form-urlencoded",), None),
        ]
        with RecordingServer(lambda r: Reply(200, b"")) as server:
            for method, path, region, service, body, headers, token in cases:
                with self.subTest(method=method, path=path):
                    request = self.run_probe(server, method, path, region,
                                             service, body, headers, token)
                    self.assertEqual(request.path, path)
                    auth = self.assert_same_signature(server, request, region,
                                                      service, token)
                    self.assertIn(f"Credential={ACCESS_KEY}/20240102/"
                                  f"{region}/{service}/aws4_request", auth)
                    sha = server.header_values(request,
                                               "x-amz-content-sha256")
                    if service == "s3":
                        self.assertIn("x-amz-content-sha256", auth)
                        self.assertEqual(len(sha), 1)
                    else:
                        self.assertEqual(sha, [])
            self.assertEqual(
                server.header_values(server.requests[0],
                                     "x-amz-content-sha256"), [EMPTY_SHA])
            self.assertEqual(
                server.header_values(server.requests[1],
                                     "x-amz-security-token"), [TOKEN])

    def test_object_store_requests_match_botocore(self):
        """The client's own URLs (key encoding, query order) sign the
        way botocore expects, for a listing and for GETs."""
        listing = (b'<?xml version="1.0" encoding="UTF-8"?>'
                   b'<ListBucketResult><IsTruncated>false</IsTruncated>'
                   b'</ListBucketResult>')

        def respond(request):
            if "list-type=2" in request.path:
                return Reply(200, listing)
            return Reply(200, b"{}")
        keys = ["dir/x y+z&w/été.json", "a~b/c=d;e,f@g$h.json", "plain"]
        env = dict(os.environ, AWS_ACCESS_KEY_ID=ACCESS_KEY,
                   AWS_SECRET_ACCESS_KEY=SECRET_KEY)
        env.pop("AWS_SESSION_TOKEN", None)
        with RecordingServer(respond) as server:
            base = [OBJSTORE_PROBE, "--endpoint", server.url, "--region",
                    "ap-southeast-2"]
            out = subprocess.run(base + ["list", "s3://bkt/dir/sub x+&é/"],
                                 capture_output=True, text=True, env=env,
                                 timeout=60)
            self.assertIn("END objects=0", out.stdout)
            out = subprocess.run(base + ["get", "s3://bkt/"] + keys,
                                 capture_output=True, text=True, env=env,
                                 timeout=60)
            self.assertEqual(out.stdout.count("\tok\t2\t2\t"), 3, out.stdout)
            self.assertEqual(len(server.requests), 4)
            self.assertEqual(
                server.requests[0].path,
                "/bkt/?list-type=2&max-keys=1000&prefix=dir%2Fsub%20x%2B"
                "%26%C3%A9%2F")
            paths = sorted(r.path for r in server.requests[1:])
            self.assertEqual(paths, sorted([
                "/bkt/dir/x%20y%2Bz%26w/%C3%A9t%C3%A9.json",
                "/bkt/a~b/c%3Dd%3Be%2Cf%40g%24h.json", "/bkt/plain"]))
            for request in server.requests:
                self.assert_same_signature(server, request, "ap-southeast-2",
                                           "s3")


if __name__ == "__main__":
    unittest.main()
