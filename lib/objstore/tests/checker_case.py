"""What the object checkers' tests (object_count, freshness,
json_validity) share: a check written as YAML, a run of the real nbaq-host
with a json reporter whose report is read back, a check's metrics, the
options that point a check at the s3rver fixture, and a test case class
that uploads objstore_fixtures there.

ctest sets NBAQ_SOURCE_DIR and NBAQ_HOST (tests/support/nbaq_test.py).
"""
import json
import os
import subprocess
import sys
import unittest

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "tests", "support"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbaq_test  # noqa: E402
import objstore_fixtures  # noqa: E402


def check_yaml(plugin, name, options):
    """One entry of `checks:`, option values written as JSON (which is
    YAML)."""
    lines = [f"  - name: {name}", f"    plugin: {plugin}", "    options:"]
    for key, value in options.items():
        lines.append(f"      {key}: {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def run_checks(test, monitor, checks_yaml, *host_args, workdir=None,
               cwd=None, argv_prefix=(), host=None):
    """Runs nbaq-host on a config of these checks and a json reporter
    (written in workdir, a new temporary directory by default; the host
    runs in cwd, by default workdir). argv_prefix goes before the host
    (setpriv ...); host replaces the build's nbaq-host. Returns
    (CompletedProcess, {check name: check})."""
    d = workdir or nbaq_test.temp_dir(test)
    config = nbaq_test.write_file(d, "monitor.yaml", (
        f"monitor: {monitor}\nchecks:\n" + checks_yaml +
        "reporters:\n  - plugin: json\n"
        "    options: {output: report.json}\n"))
    argv = [*argv_prefix, host or nbaq_test.HOST, "-c", config, *host_args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                          cwd=cwd or d)
    path = os.path.join(d, "report.json")
    test.assertTrue(os.path.exists(path),
                    f"no report; host stderr:\n{proc.stderr}")
    with open(path) as f:
        report = json.load(f)
    return proc, {c["name"]: c for c in report["checks"]}


def config_error(test, monitor, checks_yaml):
    """Runs nbaq-host --check-config on a config of these checks; asserts
    that it refuses it (exit 78) and returns its stderr."""
    d = nbaq_test.temp_dir(test)
    config = nbaq_test.write_file(d, "monitor.yaml", (
        f"monitor: {monitor}\nchecks:\n" + checks_yaml))
    proc = subprocess.run([nbaq_test.HOST, "-c", config, "--check-config"],
                          capture_output=True, text=True, timeout=120, cwd=d)
    test.assertEqual(proc.returncode, 78, proc.stdout + proc.stderr)
    return proc.stderr.replace(config, "monitor.yaml")


def metrics(check):
    """{metric name: value} of a check of the json report."""
    return {m["name"]: m["value"] for m in check["metrics"]}


def s3_options(s3, url, **extra):
    """Options for a check of url on the s3rver fixture (s3: its
    nbaq_test.service_env("s3rver")), then extra."""
    options = {"url": url, "endpoint": s3["NBAQ_TEST_S3_ENDPOINT"],
               "access_key_id": s3["NBAQ_TEST_S3_ACCESS_KEY"],
               "secret_access_key": s3["NBAQ_TEST_S3_SECRET_KEY"]}
    options.update(extra)
    return options


class FixtureBucketCase(unittest.TestCase):
    """Uploads objstore_fixtures under data/ of bucket (set by the
    subclass) on the s3rver fixture, once per class; s3 is the fixture's
    environment."""
    bucket = None
    metrics = staticmethod(metrics)

    @classmethod
    def setUpClass(cls):
        cls.s3 = nbaq_test.service_env("s3rver")
        objstore_fixtures.upload_s3(cls.s3["NBAQ_TEST_S3_ENDPOINT"],
                                    cls.bucket)

    def s3_options(self, **extra):
        """Options for the fixtures on s3rver (url: s3://bucket/data/
        unless extra says otherwise)."""
        url = extra.pop("url", f"s3://{self.bucket}/data/")
        return s3_options(self.s3, url, **extra)
