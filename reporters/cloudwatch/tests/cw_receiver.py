"""A stand-in for the CloudWatch query API on 127.0.0.1, for the tests.

It records every request as received (method, path, headers, body) and
answers from a script of (status, body) pairs, then 200 with an empty
PutMetricDataResponse. The checks of what it received are independent of
the reporter: the SigV4 signature is recomputed with botocore (Debian's
python3-botocore), the form body is parsed with urllib.parse.
"""
import datetime
import os
import re
import sys
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "lib", "http", "tests"))
from recording_server import ScriptedServer  # noqa: E402

OK_BODY = (b'<PutMetricDataResponse xmlns="http://monitoring.amazonaws.com/'
           b'doc/2010-08-01/"><ResponseMetadata><RequestId>1</RequestId>'
           b'</ResponseMetadata></PutMetricDataResponse>')


def error_body(code, message, kind="Sender"):
    return (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code>"
            f"<Message>{message}</Message></Error><RequestId>r</RequestId>"
            "</ErrorResponse>").encode()


class Receiver(ScriptedServer):
    """Use as a context manager; url is the endpoint to give the plugin.
    requests holds recording_server.Request tuples."""

    def __init__(self, script=()):
        super().__init__(script, then=(200, OK_BODY),
                         headers={"Content-Type": "text/xml"})
        self.url += "/"


def header_map(request):
    """Lower-case name -> value; a repeated header is an error."""
    out = {}
    for name, value in request.headers:
        key = name.lower()
        if key in out:
            raise AssertionError(f"header {name} sent twice")
        out[key] = value
    return out


AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/"
    r"(?P<region>[^/]+)/(?P<service>[^/]+)/aws4_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$")


def check_signature(test, request, url, key, secret, token, region):
    """Recomputes the request's SigV4 signature with botocore from the
    method, URL, signed headers, body and X-Amz-Date as received, and
    asserts that it equals the one sent."""
    headers = header_map(request)
    match = AUTH_RE.match(headers.get("authorization", ""))
    test.assertIsNotNone(match, headers.get("authorization"))
    amz_date = headers["x-amz-date"]
    test.assertEqual(match["key"], key)
    test.assertEqual(match["date"], amz_date[:8])
    test.assertEqual(match["region"], region)
    test.assertEqual(match["service"], "monitoring")
    sent = datetime.datetime.strptime(amz_date, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=datetime.timezone.utc)
    now = datetime.datetime.now(datetime.timezone.utc)
    test.assertLess(abs((now - sent).total_seconds()), 600)

    signed = match["signed"].split(";")
    must = {"content-type", "host", "x-amz-date"}
    if token:
        must.add("x-amz-security-token")
        test.assertEqual(headers["x-amz-security-token"], token)
    else:
        test.assertNotIn("x-amz-security-token", headers)
    test.assertTrue(must <= set(signed), signed)
    test.assertTrue(headers["content-type"].startswith(
        "application/x-www-form-urlencoded"))

    aws_request = AWSRequest(
        method=request.method,
        url=urllib.parse.urljoin(url, request.path),
        data=request.body,
        headers={name: headers[name] for name in signed})
    aws_request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials(key, secret, token), "monitoring", region)
    test.assertEqual(auth.signed_headers(auth.headers_to_sign(aws_request)),
                     match["signed"])
    canonical = auth.canonical_request(aws_request)
    expected = auth.signature(auth.string_to_sign(aws_request, canonical),
                              aws_request)
    test.assertEqual(match["sig"], expected,
                     "signature differs from botocore's")


MEMBER_RE = re.compile(r"MetricData\.member\.(\d+)\.(.+)")
DIMENSION_RE = re.compile(r"Dimensions\.member\.(\d+)\.(Name|Value)")


def parse_form(test, body):
    """The PutMetricData fields: (top-level dict, [datum dict...]) with
    each datum's Dimensions as a list of (name, value) in member order."""
    pairs = urllib.parse.parse_qsl(body.decode("ascii"),
                                   keep_blank_values=True,
                                   strict_parsing=True)
    keys = [k for k, _ in pairs]
    test.assertEqual(len(keys), len(set(keys)), "a field is repeated")
    top, members = {}, {}
    for key, value in pairs:
        m = MEMBER_RE.fullmatch(key)
        if not m:
            top[key] = value
            continue
        datum = members.setdefault(int(m[1]), {"Dimensions": {}})
        d = DIMENSION_RE.fullmatch(m[2])
        if d:
            datum["Dimensions"].setdefault(int(d[1]), {})[d[2]] = value
        else:
            datum[m[2]] = value
    test.assertEqual(sorted(members), list(range(1, len(members) + 1)))
    data = []
    for i in sorted(members):
        datum = members[i]
        dims = datum["Dimensions"]
        test.assertEqual(sorted(dims), list(range(1, len(dims) + 1)))
        datum["Dimensions"] = [(dims[j]["Name"], dims[j]["Value"])
                               for j in sorted(dims)]
        data.append(datum)
    return top, data
