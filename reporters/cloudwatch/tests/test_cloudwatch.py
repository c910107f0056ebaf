"""Tests of the cloudwatch reporter (ctest cloudwatch_reporter).

Both formats run through nbaq-plugin-test (sdk/harness); format: api
writes no output. It sends to
cw_receiver.Receiver on 127.0.0.1, which records each request;
signatures are recomputed with botocore, form bodies parsed with
urllib.parse, and the expected data worked out here from the fixture.
The last class drives the real nbaq-host.
"""
import argparse
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(SOURCE, "tests", "reports"))

import report_test_support as s  # noqa: E402
from cw_receiver import (Receiver, check_signature,  # noqa: E402
                         error_body, parse_form)

ARGS = argparse.Namespace(harness=None, plugin=None)
KEY, SECRET, TOKEN = ("AKIDTESTEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYSECRET",
                      "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN==")
REGION = "eu-west-1"
STATUS = {"PASS": 0, "WARNING": 1, "FAIL": 2, "ERROR": 3, "UNKNOWN": 4}
# The nbaq units of the fixtures and what README.md says they become.
UNITS = {"s": "Seconds", "files": "Count", "ratio": "None", "rows": "Count",
         "": "None", "u\"<n>": "None", "ms": "Milliseconds", "%": "Percent",
         "B": "Bytes", "objects": "Count"}


def clean_env(home):
    """The environment without AWS_* settings, HOME pointing at home."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["HOME"] = home
    return env


def iso_ms(epoch_ms):
    t = datetime.datetime.fromtimestamp(epoch_ms // 1000,
                                        datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{epoch_ms % 1000:03d}Z"


def sanitize(text, limit=255, name=True):
    """README.md's rules, written again independently of the C code."""
    out = "".join(c if 0x20 <= ord(c) <= 0x7E else "_" for c in text)
    out = out[:limit]
    if name and out.startswith(":"):
        out = "_" + out[1:]
    return out if out.strip(" ") else "_"


def expected_data(run, status_metric="CheckStatus"):
    """(MetricName, value, Unit, dimensions) per datum, in order, for a
    run whose names need no sanitizing and whose values are all finite."""
    out = []
    for c in run["checks"]:
        dims = [("Monitor", run["monitor"]), ("Check", c["name"])]
        for m in c.get("metrics", []):
            out.append((m["name"], float(m["value"]), UNITS[m["unit"]], dims))
        out.append((status_metric, float(STATUS[c["status"]]), "None", dims))
    return out


def api_argv(*options):
    """nbaq-plugin-test for format: api, which writes no output."""
    argv = [ARGS.harness]
    for opt in options:
        argv += ["--set", opt]
    return argv


def as_tuples(data):
    return [(d["MetricName"], float(d["Value"]), d["Unit"], d["Dimensions"])
            for d in data]


class ApiCase(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="nbaq-cw-")
        self.addCleanup(tmp.cleanup)
        self.home = tmp.name  # HOME too: no ~/.aws of the developer's

    def run_api(self, receiver, fixture=s.BASIC, options=(), creds=True,
                env=None, endpoint=True):
        opts = [f"region={REGION}", "retry_delay=10ms"]
        if endpoint:
            opts.append(f"endpoint={receiver.url}")
        if creds:
            opts += [f"access_key_id={KEY}", f"secret_access_key={SECRET}",
                     f"session_token={TOKEN}"]
        # the last setting wins
        argv = api_argv(*opts, *options) + [ARGS.plugin, fixture]
        full_env = clean_env(self.home)
        full_env.update(env or {})
        return subprocess.run(argv, capture_output=True, text=True,
                              timeout=120, env=full_env)

    def assert_ok(self, proc):
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def fixture(self, name, run, raw=None):
        return s.write_fixture(self.home, name, run, raw)


class FormAndSignature(ApiCase):
    def test_fixed_run_is_sent_exactly(self):
        run = s.load_fixture()
        with Receiver() as r:
            proc = self.run_api(r)
        self.assert_ok(proc)
        self.assertEqual(len(r.requests), 1)
        req = r.requests[0]
        self.assertEqual((req.method, req.path), ("POST", "/"))
        check_signature(self, req, r.url, KEY, SECRET, TOKEN, REGION)
        top, data = parse_form(self, req.body)
        self.assertEqual(top, {"Action": "PutMetricData",
                               "Version": "2010-08-01", "Namespace": "nbaq"})
        self.assertEqual(as_tuples(data), expected_data(run))
        stamp = iso_ms(run["started_ms"])
        self.assertEqual(stamp, "2026-05-04T06:00:00.000Z")
        for d in data:
            self.assertEqual(d["Timestamp"], stamp)
            self.assertNotIn("StorageResolution", d)
        # 6 metrics and 5 check statuses; the log line says so
        self.assertEqual(len(data), 11)
        self.assertIn("published 11 metric data of 5 checks in 1 "
                      "PutMetricData requests", proc.stderr)
        # format: api writes no report
        self.assertIn("wrote nothing", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_options_change_namespace_dimensions_units(self):
        run = s.load_fixture()
        with Receiver() as r:
            proc = self.run_api(r, options=[
                "namespace=Data/Quality", "dimensions=Environment=prod",
                "dimensions=Team=data eng", "units=ratio=Percent",
                "units=rows=None", "status_metric=Health",
                "high_resolution=true"])
        self.assert_ok(proc)
        check_signature(self, r.requests[0], r.url, KEY, SECRET, TOKEN,
                        REGION)
        top, data = parse_form(self, r.requests[0].body)
        self.assertEqual(top["Namespace"], "Data/Quality")
        units = dict(UNITS, ratio="Percent", rows="None")
        expected = []
        for name, value, _, dims in expected_data(run, "Health"):
            expected.append((name, value, dims))
        self.assertEqual([(d["MetricName"], float(d["Value"]),
                           d["Dimensions"][:2]) for d in data], expected)
        for d in data:
            self.assertEqual(d["Dimensions"][2:], [("Environment", "prod"),
                                                   ("Team", "data eng")])
            self.assertEqual(d["StorageResolution"], "1")
        by_name = {d["MetricName"]: d["Unit"] for d in data}
        self.assertEqual(by_name["email.null_rate"], units["ratio"])
        self.assertEqual(by_name["rows"], "None")
        self.assertEqual(by_name["newest_age_seconds"], "Seconds")

    def test_many_dimensions_keep_their_names(self):
        # more map entries than any small scratch buffer of the host would
        # hold: every name must still be the one written
        extra = [(f"Dim{i}", f"v{i}") for i in range(8)]
        with Receiver() as r:
            proc = self.run_api(r, options=[f"dimensions={n}={v}"
                                            for n, v in extra])
        self.assert_ok(proc)
        _, data = parse_form(self, r.requests[0].body)
        for d in data:
            self.assertEqual(d["Dimensions"][2:], extra)

    def test_credentials_from_environment(self):
        with Receiver() as r:
            proc = self.run_api(r, creds=False, env={
                "AWS_ACCESS_KEY_ID": "AKIDENV",
                "AWS_SECRET_ACCESS_KEY": "envsecret",
                "AWS_REGION": "us-west-2"},
                options=[])
        self.assert_ok(proc)
        # the option region=eu-west-1 wins over AWS_REGION
        check_signature(self, r.requests[0], r.url, "AKIDENV", "envsecret",
                        None, REGION)

    def test_region_from_environment(self):
        argv_env = {"AWS_REGION": "ap-south-1"}
        with Receiver() as r:
            argv = api_argv(f"endpoint={r.url}", f"access_key_id={KEY}",
                            f"secret_access_key={SECRET}") + [ARGS.plugin,
                                                              s.BASIC]
            env = clean_env(self.home)
            env.update(argv_env)
            proc = subprocess.run(argv, capture_output=True, text=True,
                                  timeout=120, env=env)
        self.assert_ok(proc)
        check_signature(self, r.requests[0], r.url, KEY, SECRET, None,
                        "ap-south-1")

    def test_credentials_from_profile(self):
        creds = os.path.join(self.home, "creds.ini")
        with open(creds, "w") as f:
            f.write("[default]\naws_access_key_id = AKIDDEFAULT\n"
                    "aws_secret_access_key = defaultsecret\n\n"
                    "# the team's\n[ops]\naws_access_key_id=AKIDOPS\n"
                    "aws_secret_access_key = ops/secret+key\n"
                    "aws_session_token = opstoken\n")
        with Receiver() as r:
            proc = self.run_api(r, creds=False, options=[
                f"credentials_file={creds}", "profile=ops"])
        self.assert_ok(proc)
        check_signature(self, r.requests[0], r.url, "AKIDOPS",
                        "ops/secret+key", "opstoken", REGION)
        # ~/.aws/credentials and AWS_PROFILE, the default places
        os.makedirs(os.path.join(self.home, ".aws"))
        os.rename(creds, os.path.join(self.home, ".aws", "credentials"))
        with Receiver() as r:
            proc = self.run_api(r, creds=False, env={"AWS_PROFILE": "default"})
        self.assert_ok(proc)
        check_signature(self, r.requests[0], r.url, "AKIDDEFAULT",
                        "defaultsecret", None, REGION)

    def test_missing_credentials_and_region(self):
        with Receiver() as r:
            proc = self.run_api(r, creds=False)
            self.assertEqual(proc.returncode, 1)
            self.assertIn("no AWS credentials", proc.stderr)
            proc = self.run_api(r, creds=False, options=["profile=nope"],
                                env={"AWS_SHARED_CREDENTIALS_FILE":
                                     os.path.join(self.home, "missing")})
            self.assertEqual(proc.returncode, 1)
            self.assertIn("missing: No such file or directory", proc.stderr)
            proc = self.run_api(r, options=["access_key_id=x"], creds=False)
            self.assertIn("must be given together", proc.stderr)
            argv = api_argv(f"endpoint={r.url}") + [ARGS.plugin, s.BASIC]
            proc = subprocess.run(argv, capture_output=True, text=True,
                                  timeout=60, env=clean_env(self.home))
            self.assertEqual(proc.returncode, 1)
            self.assertIn("no AWS region", proc.stderr)
        self.assertEqual(r.requests, [])

    def test_bad_options_are_refused(self):
        # The host refuses a bad URL before the plugin runs (exit 78, as
        # nbaq-host --check-config refuses it); the plugin the rest (1).
        cases = [("namespace=AWS/EC2", "namespace: may not start with AWS/"),
                 ("namespace=", "namespace: is empty"),
                 ("endpoint=ftp://x/", "option 'endpoint': has scheme 'ftp'"),
                 ("endpoint=http://user:pw@127.0.0.1:1/",
                  "option 'endpoint': must not hold user:password@"),
                 ("units=rows=Rows", "units: 'Rows' is not a CloudWatch unit"),
                 ("dimensions=Check=x", "dimension 'Check': name is already"),
                 ("dimensions=:x=y", "name may not start with ':'"),
                 ("status_metric=Monitor", "status_metric: is also a "
                                           "dimension name"),
                 ("region=EU WEST", "region: is not a region name")]
        with Receiver() as r:
            for option, message in cases:
                proc = self.run_api(r, options=[option])
                host_refuses = message.startswith("option '")
                self.assertEqual(proc.returncode, 78 if host_refuses else 1,
                                 option)
                self.assertIn(message, proc.stderr)
        self.assertEqual(r.requests, [])

    def test_reason_names_where_an_option_was_written(self):
        # given on the harness's command line: that is where it was
        # written
        with Receiver() as r:
            proc = self.run_api(r, options=["namespace=AWS/EC2"])
            self.assertEqual(proc.returncode, 1)
            self.assertRegex(proc.stderr, r"ERROR: command line:\d+:1: "
                             r"namespace: may not")
            # status_metric keeps its default: no place to name
            proc = self.run_api(r, options=["dimensions=CheckStatus=x"])
            self.assertEqual(proc.returncode, 1)
            self.assertIn("ERROR: status_metric: is also a dimension",
                          proc.stderr)
        self.assertEqual(r.requests, [])


class Batching(ApiCase):
    def all_data(self, receiver):
        data = []
        for req in receiver.requests:
            check_signature(self, req, receiver.url, KEY, SECRET, TOKEN,
                            REGION)
            self.assertLessEqual(len(req.body), 1_000_000)
            top, part = parse_form(self, req.body)
            self.assertEqual(top["Namespace"], "nbaq")
            self.assertLessEqual(len(part), 1000)
            data += part
        return data

    def test_over_1000_data_make_several_requests(self):
        run = s.big_run(1200, metrics_per_check=1, history_points=1)
        path = self.fixture("big.json", run)
        with Receiver() as r:
            proc = self.run_api(r, fixture=path)
        self.assert_ok(proc)
        self.assertEqual([len(parse_form(self, q.body)[1])
                          for q in r.requests], [1000, 1000, 400])
        self.assertEqual(as_tuples(self.all_data(r)), expected_data(run))

    def test_request_bytes_stay_under_1_mb(self):
        # '/' is percent-encoded (3 bytes): about 4 KB per datum, so the
        # byte limit splits long before 1000 data.
        run = s.big_run(300, metrics_per_check=2, history_points=1)
        for i, c in enumerate(run["checks"]):
            c["name"] = "/" * 1020 + f"{i:04d}"
            for j, m in enumerate(c["metrics"]):
                m["name"] = "/" * 250 + f"m{j}"
        path = self.fixture("wide.json", run)
        with Receiver() as r:
            proc = self.run_api(r, fixture=path)
        self.assert_ok(proc)
        self.assertGreater(len(r.requests), 3)
        data = self.all_data(r)
        self.assertEqual(as_tuples(data), expected_data(run))
        for req in r.requests[:-1]:  # each full: no room for another datum
            self.assertGreater(len(req.body), 1_000_000 - 5000)

    def test_batch_size_option(self):
        with Receiver() as r:
            proc = self.run_api(r, options=["batch_size=4"])
        self.assert_ok(proc)
        sizes = [len(parse_form(self, q.body)[1]) for q in r.requests]
        self.assertEqual(sizes, [4, 4, 3])
        self.assertEqual(as_tuples(self.all_data(r)),
                         expected_data(s.load_fixture()))


class Failures(ApiCase):
    def test_throttling_then_success(self):
        script = [(400, error_body("Throttling", "Rate exceeded")),
                  (400, error_body("ThrottlingException", "Rate exceeded")),
                  (503, error_body("ServiceUnavailable", "busy", "Receiver"))]
        with Receiver(script) as r:
            proc = self.run_api(r, options=["retries=3"])
        self.assert_ok(proc)
        self.assertEqual(len(r.requests), 4)
        for req in r.requests:
            check_signature(self, req, r.url, KEY, SECRET, TOKEN, REGION)
            self.assertEqual(req.body, r.requests[0].body)

    def test_throttled_beyond_the_retries(self):
        script = [(400, error_body("Throttling", "Rate exceeded"))] * 5
        with Receiver(script) as r:
            proc = self.run_api(r, options=["retries=2"])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(len(r.requests), 3)
        self.assertIn("PutMetricData request 1 (11 metric data) to "
                      f"{r.url[:-1]}: HTTP 400 Throttling after 3 attempts: "
                      "Rate exceeded", proc.stderr)

    def test_persistent_500_fails_cleanly_without_secrets(self):
        echo = f"saw {SECRET} and {TOKEN} in your request"
        script = [(500, error_body("InternalFailure", echo, "Receiver"))] * 9
        with Receiver(script) as r:
            proc = self.run_api(r, options=["retries=2", "batch_size=6"])
        self.assertEqual(proc.returncode, 1)
        # two batches (6 + 5), three attempts each
        self.assertEqual(len(r.requests), 6)
        self.assertIn("HTTP 500 InternalFailure after 3 attempts: saw *** and "
                      "*** in your request", proc.stderr)
        self.assertIn("2 of 2 requests failed; 0 of 11 metric data "
                      "published", proc.stderr)
        for text in (proc.stdout, proc.stderr):
            self.assertNotIn(SECRET, text)
            self.assertNotIn(TOKEN, text)
            self.assertNotIn(SECRET[:12], text)
        reason = [line for line in proc.stderr.splitlines()
                  if line.startswith("reporter 'cloudwatch': ERROR: ")]
        self.assertEqual(len(reason), 1, proc.stderr)

    def test_refused_credentials_stop_at_once(self):
        script = [(403, error_body("InvalidClientTokenId",
                                   "The security token included in the "
                                   "request is invalid."))] * 3
        with Receiver(script) as r:
            proc = self.run_api(r, options=["batch_size=4"])
        self.assertEqual(proc.returncode, 1)
        self.assertEqual(len(r.requests), 1)
        self.assertIn("HTTP 403 InvalidClientTokenId after 1 attempt: The "
                      "security token included in the request is invalid. "
                      "(stopped: 0 metric data published before",
                      proc.stderr)

    def test_connection_refused(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with Receiver() as r:
            proc = self.run_api(r, endpoint=False, options=[
                f"endpoint=http://127.0.0.1:{port}/"])
        self.assertEqual(proc.returncode, 1)
        self.assertIn("PutMetricData request 1 (11 metric data): POST "
                      f"http://127.0.0.1:{port}: connection refused",
                      proc.stderr)


class Values(ApiCase):
    def test_values_cloudwatch_refuses_are_left_out(self):
        t0 = 1777874400000
        values = ["NaN", "Inf", "-Inf", 1e300, -1e-200, 0, -5.25,
                  2.0 ** 360, 2.0 ** -360]
        run = {"monitor": "m", "started_ms": t0, "checks": [
            {"name": "c", "status": "PASS", "metrics": [
                {"name": f"v{i}", "value": v, "unit": "ms"}
                for i, v in enumerate(values)]}]}
        with Receiver() as r:
            proc = self.run_api(r, fixture=self.fixture("values.json", run))
        self.assert_ok(proc)
        _, data = parse_form(self, r.requests[0].body)
        kept = [(d["MetricName"], float(d["Value"]), d["Unit"]) for d in data]
        self.assertEqual(kept, [("v5", 0.0, "Milliseconds"),
                                ("v6", -5.25, "Milliseconds"),
                                ("v7", 2.0 ** 360, "Milliseconds"),
                                ("v8", 2.0 ** -360, "Milliseconds"),
                                ("CheckStatus", 0.0, "None")])
        self.assertIn("left out 5 values CloudWatch does not take (NaN or "
                      "infinite: 3; beyond +-2^360 or nearer zero than "
                      "2^-360: 2)", proc.stderr)

    def test_names_are_sanitized_and_unique(self):
        run = s.hostile_run()
        dup = {"name": "dups", "status": "WARNING", "metrics": [
            {"name": "a_b", "value": 1}, {"name": "a\tb", "value": 2},
            {"name": "CheckStatus", "value": 3}, {"name": "Monitor",
                                                  "value": 4},
            {"name": ":colon", "value": 5}, {"name": "x" * 300, "value": 6},
            {"name": "x" * 255, "value": 7}]}
        run["checks"].append(dup)
        path = s.write_fixture(self.home, "hostile.json", run,
                               {"@@BAD@@": b"\xff\xfe\xc3"})
        with Receiver() as r:
            proc = self.run_api(r, fixture=path)
        self.assert_ok(proc)
        _, data = parse_form(self, r.requests[0].body)
        got = [(d["MetricName"], d["Dimensions"][1][1]) for d in data]
        bad = "\udcff\udcfe\udcc3"  # the invalid bytes, one char each
        self.assertEqual(sanitize(bad), "___")
        expected = [(sanitize(s.HOSTILE_METRIC), s.HOSTILE_CHECK),
                    # NaN and -Inf left out; 1e300 is out of range
                    ("CheckStatus", s.HOSTILE_CHECK),
                    ("CheckStatus", "plain"),
                    ("a_b", "dups"), ("a_b_2", "dups"),
                    ("CheckStatus_2", "dups"), ("Monitor_2", "dups"),
                    ("_colon", "dups"), ("x" * 255, "dups"),
                    ("x" * 253 + "_2", "dups"), ("CheckStatus", "dups")]
        self.assertEqual(got, expected)
        self.assertEqual(data[0]["Dimensions"][0],
                         ("Monitor", sanitize(run["monitor"], 1024, False)))
        self.assertIn("7 metric names changed", proc.stderr)


class Emf(unittest.TestCase):
    def run_emf(self, fixture, options=()):
        with tempfile.TemporaryDirectory(prefix="nbaq-cw-emf-") as tmp:
            out = os.path.join(tmp, "out.jsonl")
            argv = [ARGS.harness, "-o", out, "--set", "format=emf"]
            for opt in options:
                argv += ["--set", opt]
            proc = subprocess.run(argv + [ARGS.plugin, fixture],
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertIn("extension jsonl", proc.stderr)
            with open(out, "rb") as f:
                return f.read(), proc

    def test_fixed_run_field_by_field(self):
        run = s.load_fixture()
        data, _ = self.run_emf(s.BASIC)
        self.assertTrue(data.endswith(b"\n"))
        lines = [json.loads(line) for line in data.decode().splitlines()]
        self.assertEqual(len(lines), len(run["checks"]))
        for line, check in zip(lines, run["checks"]):
            metrics = check["metrics"]
            names = [m["name"] for m in metrics] + ["CheckStatus"]
            units = [UNITS[m["unit"]] for m in metrics] + ["None"]
            self.assertEqual(line["_aws"], {
                "Timestamp": run["started_ms"],
                "CloudWatchMetrics": [{
                    "Namespace": "nbaq",
                    "Dimensions": [["Monitor", "Check"]],
                    "Metrics": [{"Name": n, "Unit": u}
                                for n, u in zip(names, units)]}]})
            expected = {"Monitor": run["monitor"], "Check": check["name"],
                        "CheckStatus": STATUS[check["status"]]}
            for m in metrics:
                expected[m["name"]] = m["value"]
            self.assertEqual({k: v for k, v in line.items() if k != "_aws"},
                             expected)
            self.assertEqual(list(line)[0], "_aws")

    def test_large_check_is_split_into_directives_of_100(self):
        run = s.big_run(2, metrics_per_check=250, history_points=1)
        run["checks"][1]["metrics"][7]["value"] = "NaN"
        with tempfile.TemporaryDirectory() as tmp:
            path = s.write_fixture(tmp, "wide.json", run)
            data, proc = self.run_emf(path, options=[
                "namespace=Q", "dimensions=Env=prod",
                "high_resolution=true"])
        lines = [json.loads(line) for line in data.decode().splitlines()]
        # check 0: 250 metrics + status = 251 -> 100, 100, 51
        # check 1: 249 + status = 250 -> 100, 100, 50
        counts = [len(l["_aws"]["CloudWatchMetrics"][0]["Metrics"])
                  for l in lines]
        self.assertEqual(counts, [100, 100, 51, 100, 100, 50])
        seen = {}
        for line in lines:
            directive = line["_aws"]["CloudWatchMetrics"][0]
            self.assertEqual(directive["Namespace"], "Q")
            self.assertEqual(directive["Dimensions"],
                             [["Monitor", "Check", "Env"]])
            self.assertEqual(line["Env"], "prod")
            for m in directive["Metrics"]:
                self.assertEqual(m["StorageResolution"], 1)
                seen[(line["Check"], m["Name"])] = line[m["Name"]]
        expected = {}
        for c in run["checks"]:
            for m in c["metrics"]:
                if m["value"] != "NaN":
                    expected[(c["name"], m["name"])] = m["value"]
            expected[(c["name"], "CheckStatus")] = STATUS[c["status"]]
        self.assertEqual(seen, expected)
        self.assertIn("left out 1 values", proc.stderr)

    def test_hostile_names_make_valid_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            data, _ = self.run_emf(s.write_hostile(tmp))
        lines = [json.loads(line) for line in data.decode("ascii")
                 .splitlines()]
        self.assertEqual(lines[0]["Check"], s.HOSTILE_CHECK)
        self.assertEqual(lines[0][sanitize(s.HOSTILE_METRIC)], 1.5)
        self.assertNotIn("1starts.with-digit:and-dash", lines[0])  # NaN


class RealHost(unittest.TestCase):
    """The real nbaq-host with exec checks and two cloudwatch reporters."""

    CONFIG = """\
monitor: cw_it
timeout: 30s
checks:
  - name: rows_ok
    plugin: exec
    options:
      command: [sh, -c, "echo 120"]
      mode: number
      metric: rows
      unit: rows
  - name: latency
    plugin: exec
    options:
      command: [sh, -c, "echo 2.5"]
      mode: number
      metric: p99
      unit: ms
    thresholds:
      p99:
        warn_above: 2
reporters:
  - name: cw_api
    plugin: cloudwatch
    options:
      region: eu-west-1
      endpoint: {url}
      namespace: IT
{extra}"""

    def host(self):
        path = os.environ.get("NBAQ_HOST", "")
        if not path or subprocess.run([path, "--version"],
                                      capture_output=True).returncode != 0:
            self.skipTest("nbaq-host is not built")
        return path

    def run_host(self, config_text):
        tmp = tempfile.TemporaryDirectory(prefix="nbaq-cw-it-")
        self.addCleanup(tmp.cleanup)
        config = os.path.join(tmp.name, "monitor.yaml")
        with open(config, "w") as f:
            f.write(config_text)
        env = clean_env(tmp.name)
        env.update({"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
                    "AWS_SESSION_TOKEN": TOKEN})
        argv = [self.host(), "-c", config]
        plugin_dir = os.environ.get("NBAQ_PLUGIN_DIR")
        if plugin_dir:
            argv += ["--plugin-dir", plugin_dir]
        return tmp.name, subprocess.run(argv, capture_output=True, text=True,
                                        timeout=120, env=env)

    def test_api_and_emf(self):
        extra = ("  - name: cw_emf\n    plugin: cloudwatch\n    options:\n"
                 "      format: emf\n      output: emf.jsonl\n")
        with Receiver() as r:
            before = int(datetime.datetime.now().timestamp() * 1000)
            tmp, proc = self.run_host(self.CONFIG.format(url=r.url,
                                                         extra=extra))
            after = int(datetime.datetime.now().timestamp() * 1000)
        self.assertEqual(proc.returncode, 1, proc.stderr)  # one WARNING
        self.assertEqual(len(r.requests), 1, proc.stderr)
        check_signature(self, r.requests[0], r.url, KEY, SECRET, TOKEN,
                        "eu-west-1")
        top, data = parse_form(self, r.requests[0].body)
        self.assertEqual(top["Namespace"], "IT")
        dims = lambda c: [("Monitor", "cw_it"), ("Check", c)]  # noqa: E731
        self.assertEqual(as_tuples(data), [
            ("rows", 120.0, "Count", dims("rows_ok")),
            ("CheckStatus", 0.0, "None", dims("rows_ok")),
            ("p99", 2.5, "Milliseconds", dims("latency")),
            ("CheckStatus", 1.0, "None", dims("latency"))])
        stamp = datetime.datetime.strptime(
            data[0]["Timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=datetime.timezone.utc).timestamp() * 1000
        self.assertTrue(before - 1 <= stamp <= after, (before, stamp, after))
        with open(os.path.join(tmp, "emf.jsonl")) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual([(l["Check"], l["CheckStatus"]) for l in lines],
                         [("rows_ok", 0), ("latency", 1)])
        self.assertEqual(lines[1]["p99"], 2.5)
        self.assertEqual(lines[0]["_aws"]["Timestamp"], round(stamp))

    def test_api_refuses_output_dir(self):
        extra = "      output_dir: out\n"
        with Receiver() as r:
            _, proc = self.run_host(self.CONFIG.format(url=r.url, extra=extra))
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("output_dir: applies only to format: emf", proc.stderr)
        self.assertEqual(r.requests, [])

    def test_server_error_is_reported_without_secrets(self):
        body = error_body("InternalFailure", f"echo {SECRET}", "Receiver")
        with Receiver([(500, body)] * 10) as r:
            _, proc = self.run_host(self.CONFIG.format(
                url=r.url, extra="      retries: 1\n"
                                 "      retry_delay: 10ms\n"))
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("reporter 'cw_api'", proc.stderr)
        self.assertIn("HTTP 500 InternalFailure after 2 attempts: echo ***",
                      proc.stderr)
        self.assertNotIn(SECRET, proc.stderr + proc.stdout)
        self.assertNotIn(TOKEN, proc.stderr + proc.stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--harness", required=True)
    parser.add_argument("--plugin", required=True)
    known, rest = parser.parse_known_args()
    ARGS.harness, ARGS.plugin = known.harness, known.plugin
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
