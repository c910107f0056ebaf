#!/usr/bin/env python3
"""object_count with a history store, through the real nbaq-host on a local
directory: a by_prefix partition deleted between runs comes back as 0 and
its threshold fires (missing_series: zero, the default), is a warning on
the check with `warn`, disappears with `ignore`, and retires after
missing_series_runs runs; and `backfill:` gives objects.per_day a baseline
on the first run, from file mtimes or from a date in the key.

Runs are placed in time with NBAQ_NOW; expected values are counted here
from the files the test writes."""
import datetime
import json
import os
import shutil
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

DAY_MS = 86400000
HOUR = "2026-01-0{day}T{hour:02d}:00:00Z"


def config(url, check_extra="", options_extra=""):
    return f"""monitor: oc_hist
history:
  url: history.db
checks:
  - name: landing
    plugin: object_count
    options:
      url: "{url}"
      by_prefix: true
{options_extra}    thresholds:
      "objects.by_prefix.*":
        fail_below: 1
{check_extra}reporters:
  - plugin: json
    options:
      output: report.json
"""


class Landing(unittest.TestCase):
    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)
        self.data = os.path.join(self.dir, "data")
        for prefix, count in (("a", 2), ("b", 3), ("c", 1)):
            for i in range(count):
                nbaq_test.write_file(self.data, f"{prefix}/f{i}.json", "{}\n")

    def url(self):
        return "file://" + self.data

    def run_at(self, when, check_extra="", options_extra=""):
        nbaq_test.write_file(self.dir, "monitor.yaml",
                             config(self.url(), check_extra, options_extra))
        proc = nbaq_test.run_host("-c", os.path.join(self.dir, "monitor.yaml"),
                                  env={"NBAQ_NOW": when} if when else None)
        with open(os.path.join(self.dir, "report.json")) as f:
            check = json.load(f)["checks"][0]
        return proc, check, {m["name"]: m for m in check["metrics"]}


class MissingSeries(Landing):
    def test_deleted_prefix_comes_back_as_zero_and_fires(self):
        proc, check, m = self.run_at(HOUR.format(day=1, hour=0))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(m["objects.by_prefix.b"]["value"], 3)
        shutil.rmtree(os.path.join(self.data, "b"))
        proc, check, m = self.run_at(HOUR.format(day=1, hour=1))
        self.assertEqual(proc.returncode, 2, proc.stderr)
        b = m["objects.by_prefix.b"]
        self.assertEqual(b["value"], 0)
        self.assertEqual(b["status"], "FAIL")
        self.assertEqual(
            b["reason"], "objects.by_prefix.b=0 below fail_below 1; "
            "missing series: not reported, counted as 0")
        self.assertEqual(m["bytes.by_prefix.b"]["value"], 0)
        self.assertEqual(check["status"], "FAIL")
        self.assertIn("missing series counted as 0: "
                      "bytes.by_prefix.b (last seen 2026-01-01T00:00:00Z), "
                      "objects.by_prefix.b (last seen 2026-01-01T00:00:00Z)",
                      check["message"])
        # a and c are untouched
        self.assertEqual(m["objects.by_prefix.a"]["value"], 2)
        self.assertEqual(m["objects.by_prefix.a"]["reason"], "")

    def test_retired_after_missing_series_runs(self):
        extra = "    missing_series_runs: 2\n"
        self.run_at(HOUR.format(day=1, hour=0), extra)
        shutil.rmtree(os.path.join(self.data, "b"))
        reported = []
        for hour in (1, 2, 3):
            _, _, m = self.run_at(HOUR.format(day=1, hour=hour), extra)
            reported.append("objects.by_prefix.b" in m)
        # seen at 00:00: among the last 2 runs before 01:00 and 02:00,
        # not before 03:00 (the filled-in zeros do not count as seen)
        self.assertEqual(reported, [True, True, False])

    def delete_b_with(self, mode):
        extra = f"    missing_series: {mode}\n"
        self.run_at(HOUR.format(day=1, hour=0), extra)
        shutil.rmtree(os.path.join(self.data, "b"))
        return self.run_at(HOUR.format(day=1, hour=1), extra)

    def test_warn_mode(self):
        proc, check, m = self.delete_b_with("warn")
        self.assertEqual(proc.returncode, 1, proc.stderr)
        self.assertNotIn("objects.by_prefix.b", m)
        self.assertEqual(check["status"], "WARNING")
        self.assertIn("missing series: "
                      "bytes.by_prefix.b (last seen 2026-01-01T00:00:00Z), "
                      "objects.by_prefix.b (last seen 2026-01-01T00:00:00Z)",
                      check["message"])

    def test_ignore_mode(self):
        proc, check, m = self.delete_b_with("ignore")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertNotIn("objects.by_prefix.b", m)
        self.assertEqual(check["status"], "PASS")

    def test_bad_mode_is_a_config_error(self):
        nbaq_test.write_file(self.dir, "monitor.yaml", config(
            self.url(), "    missing_series: zeroes\n"))
        proc = nbaq_test.run_host("-c", os.path.join(self.dir, "monitor.yaml"))
        self.assertEqual(proc.returncode, 78, proc.stderr)
        self.assertIn("missing_series", proc.stderr)
        self.assertIn("zeroes", proc.stderr)


def utc_day(ms):
    return datetime.datetime.fromtimestamp(
        ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d")


class Backfill(Landing):
    """The plugin dates objects with the real clock: these runs use it."""

    def setUp(self):
        super().setUp()
        now = time.time()
        self.today = int(now // 86400) * 86400
        # day d before today holds (d * 5) % 7 + 1 files, d = 1..30
        self.per_day = {}
        for d in range(1, 31):
            day = self.today - d * 86400
            n = (d * 5) % 7 + 1
            self.per_day[utc_day(day * 1000)] = n
            for i in range(n):
                key = f"logs/dt={utc_day(day * 1000)}/f{i}.json"
                path = nbaq_test.write_file(self.data, key, "{}\n")
                os.utime(path, (day + 3600 + i, day + 3600 + i))

    def show(self):
        proc = nbaq_test.run_host(
            "-c", os.path.join(self.dir, "monitor.yaml"), "history", "show",
            "--check", "landing", "--metric", "objects.per_day", "--since",
            "40d", "--json")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        return json.loads(proc.stdout)["values"]

    def assert_baseline(self, m):
        values = self.show()
        self.assertEqual(len(values), 29)
        run_ms = values[-1]["ts_ms"]
        for k, v in zip(range(28, 0, -1), values[:28]):
            self.assertGreaterEqual(v["ts_ms"], run_ms - k * DAY_MS)
            self.assertLess(v["ts_ms"], run_ms - k * DAY_MS + 60000)
            self.assertEqual(v["reason"], "backfilled")
            self.assertEqual(v["value"],
                             self.per_day[utc_day(v["ts_ms"] - DAY_MS)])
        self.assertEqual(m["objects.per_day"]["value"],
                         self.per_day[utc_day(run_ms - DAY_MS)])
        self.assertEqual(len(m["objects.per_day"]["history"]), 29)

    def test_from_mtime(self):
        proc, check, m = self.run_at(
            None, options_extra="      backfill: {days: 28}\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_baseline(m)

    def test_from_key_date(self):
        # mtimes all now: only the key says the day
        for root, _, files in os.walk(self.data):
            for f in files:
                os.utime(os.path.join(root, f))
        proc, check, m = self.run_at(None, options_extra=(
            '      backfill: {days: 28, date: "dt=%Y-%m-%d"}\n'))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assert_baseline(m)
        # the second run stores one more value and no second backfill
        proc, check, m = self.run_at(None, options_extra=(
            '      backfill: {days: 28, date: "dt=%Y-%m-%d"}\n'))
        self.assertEqual(len(self.show()), 30)


class BackfillS3(Backfill):
    """The same dated keys on the real s3rver (fixture `s3rver`): there
    LastModified is the upload time, so only the key dates the objects."""

    def setUp(self):
        super().setUp()
        sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                        "lib", "objstore", "tests"))
        import objstore_fixtures
        self.s3 = nbaq_test.service_env("s3rver")
        client = objstore_fixtures.s3_client(self.s3["NBAQ_TEST_S3_ENDPOINT"])
        self.addCleanup(client.close)
        self.bucket = f"ochist-{os.getpid()}-{os.urandom(4).hex()}"
        client.create_bucket(Bucket=self.bucket)
        for root, _, files in os.walk(self.data):
            for f in files:
                key = os.path.relpath(os.path.join(root, f), self.data)
                client.put_object(Bucket=self.bucket, Key="data/" + key,
                                  Body=b"{}\n")

    def url(self):
        return (f"s3://{self.bucket}/data/\"\n"
                f"      endpoint: \"{self.s3['NBAQ_TEST_S3_ENDPOINT']}\"\n"
                f"      access_key_id: {self.s3['NBAQ_TEST_S3_ACCESS_KEY']}\n"
                f"      secret_access_key: \""
                f"{self.s3['NBAQ_TEST_S3_SECRET_KEY']}")

    def test_from_mtime(self):
        """Every object was uploaded now: no past day holds one."""
        proc, check, m = self.run_at(
            None, options_extra="      backfill: {days: 28}\n")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        values = self.show()
        self.assertEqual([v["value"] for v in values], [0] * 29)


if __name__ == "__main__":
    unittest.main(verbosity=2)
