#!/usr/bin/env python3
"""freshness inside the real nbaq-host, on a local directory (whose file
times the test sets) and on a real s3rver (which dates objects at upload:
only key-derived figures can agree there). Figures worked out by hand
from objstore_fixtures (ages in hours are in its object list)."""
import datetime
import os
import sys
import time
import unittest

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "lib", "objstore", "tests"))
import checker_case  # noqa: E402
import objstore_fixtures  # noqa: E402
from checker_case import nbaq_test  # noqa: E402

BUCKET = f"fr-{os.getpid()}"


def check_yaml(name, **options):
    return checker_case.check_yaml("freshness", name, options)


class FreshnessTest(checker_case.FixtureBucketCase):
    bucket = BUCKET

    def setUp(self):
        d = nbaq_test.temp_dir(self)
        self.root = os.path.join(d, "data")
        objstore_fixtures.write_local(self.root)
        self.today = datetime.datetime.now(datetime.timezone.utc).date()

    def run_checks(self, checks_yaml):
        return checker_case.run_checks(self, "freshtest", checks_yaml)[1]

    def date(self, offset):
        return objstore_fixtures.day(offset, self.today)

    def test_newest_age_and_window_on_a_directory(self):
        checks = self.run_checks(
            check_yaml("stale", url=self.root, max_age="1h") +
            check_yaml("fresh", url=self.root, max_age="3h"))
        stale, fresh = checks["stale"], checks["fresh"]
        m = self.metrics(stale)
        # newest: season=2024/matches.json, 2 h old
        self.assertGreaterEqual(m["newest_age_seconds"], 7200)
        self.assertLess(m["newest_age_seconds"], 7200 + 60)
        self.assertEqual(m["objects"], 15)
        # within 24 h: ages 2..9 h (8 objects) and yesterday's event (4 h)
        self.assertEqual(m["objects_in_window"], 9)
        self.assertEqual(m["future_objects"], 0)
        self.assertEqual(stale["status"], "FAIL")
        self.assertIn("newest object is 2h 0m old (max 60m) under file://"
                      + self.root, stale["message"])
        self.assertEqual(fresh["status"], "PASS")

    def test_late_date_partitions_same_on_s3_and_directory(self):
        options = {"partition_by": "key_date",
                   "partition_pattern": "date=%Y-%m-%d", "lookback": "6d"}
        if datetime.datetime.now(datetime.timezone.utc).date() != self.today:
            self.skipTest("the UTC day changed during the test")
        checks = self.run_checks(
            check_yaml("local", url=self.root, **options) +
            check_yaml("s3", **self.s3_options(**options)))
        late = (f"2 of 6 expected partitions late: date={self.date(-6)}, "
                f"date={self.date(-4)}")
        for name in ("local", "s3"):
            with self.subTest(check=name):
                c = checks[name]
                m = self.metrics(c)
                self.assertEqual(c["status"], "FAIL")
                self.assertIn(late, c["message"])
                self.assertEqual(m["partitions"], 4)
                self.assertEqual(m["late_partitions"], 2)
                self.assertEqual(m["undated_objects"], 11)
                self.assertEqual(m["future_partitions"], 0)

    def test_schedule_with_deadline_and_grace(self):
        # Judged as of 05:00 UTC today, daily data due 6 h after the day
        # ends: yesterday's partition is not due yet, so only the day
        # before yesterday's window counts: 4 expected, 1 late (-4).
        as_of = f"{self.today.isoformat()}T05:00:00Z"
        checks = self.run_checks(check_yaml(
            "deadline", url=self.root, partition_by="key_date",
            partition_pattern="date=%Y-%m-%d", lookback="5d",
            due_after="4h", grace="2h", as_of=as_of,
            future_tolerance="30d"))
        c = checks["deadline"]
        self.assertIn(f"1 of 4 expected partitions late: date={self.date(-4)}",
                      c["message"])

    def test_prefix_partitions(self):
        checks = self.run_checks(
            check_yaml("local", url=self.root, partition_by="prefix",
                       max_age="30h") +
            check_yaml("s3", **self.s3_options(partition_by="prefix",
                                               max_age="30h")))
        local = checks["local"]
        m = self.metrics(local)
        self.assertEqual(local["status"], "FAIL")
        self.assertIn("1 of 5 partitions late: season=2023", local["message"])
        self.assertEqual(m["late_partitions"], 1)
        # newest in season=2023 is teams.jsonl, 47 h old
        self.assertGreaterEqual(m["age_seconds.by_prefix.season=2023"],
                                47 * 3600)
        self.assertLess(m["age_seconds.by_prefix.season=2023"],
                        47 * 3600 + 60)
        self.assertIn("age_seconds.by_prefix.v1%2E2", m)
        s3 = self.metrics(checks["s3"])  # uploaded seconds ago: all fresh
        self.assertEqual((s3["partitions"], s3["late_partitions"]), (5, 0))

    def test_future_objects_are_reported_not_trusted(self):
        future = os.path.join(self.root, "season=2024", "tomorrow.json")
        with open(future, "w") as f:
            f.write("{}")
        t = time.time() + 86400
        os.utime(future, (t, t))
        checks = self.run_checks(check_yaml("f", url=self.root,
                                            max_age="3h"))
        c = checks["f"]
        m = self.metrics(c)
        self.assertEqual(c["status"], "WARNING")
        self.assertEqual(m["future_objects"], 1)
        self.assertEqual(m["objects"], 16)
        self.assertLess(m["newest_age_seconds"], 7200 + 60)  # not the future
        self.assertIn("1 objects dated in the future, not trusted, first "
                      "season=2024/tomorrow.json", c["message"])

    def test_bad_options_are_refused_before_any_run(self):
        """validate(): --check-config (and every run) refuses them, naming
        the check, the plugin and the option's place."""
        cases = [
            (dict(as_of="noon"), "monitor.yaml:7:14: as_of 'noon' is not "
             "YYYY-MM-DDTHH:MM:SSZ"),
            (dict(as_of="2024-02-30T05:00:00Z"), "monitor.yaml:7:14: as_of "
             "'2024-02-30T05:00:00Z' is not YYYY-MM-DDTHH:MM:SSZ"),
            (dict(partition_by="key_date"), "monitor.yaml:7:21: "
             "partition_by key_date needs partition_pattern"),
            (dict(partition_by="key_date", partition_pattern="%Y-%q"),
             "monitor.yaml:8:26: partition_pattern '%Y-%q': unknown "
             "directive '%q'"),
            (dict(partition_pattern="dt=%Y-%m-%d"), "monitor.yaml:7:26: "
             "partition_pattern applies to partition_by key_date only"),
            (dict(partition_by="none", schedule="daily"), "monitor.yaml:8:17: "
             "schedule applies to partition_by key_date or prefix only"),
            (dict(url="ftp://host/x"), "monitor.yaml:6:12: url "
             "'ftp://host/x': not s3://bucket/prefix, file:///dir or a "
             "directory path"),
            (dict(url="s3://", inventory="s3://inv/manifest.json"),
             "monitor.yaml:6:12: url s3://: no bucket name"),
            (dict(inventory="s3://inv/manifest.json"), "monitor.yaml:7:18: "
             "inventory 's3://inv/manifest.json': an S3 Inventory needs an "
             "s3:// url"),
        ]
        for options, expected in cases:
            with self.subTest(options=options):
                options = {"url": self.root, **options}
                err = checker_case.config_error(
                    self, "freshtest", check_yaml("bad", **options))
                self.assertIn("monitor.yaml:3:5: check 'bad': plugin "
                              "'freshness': " + expected, err)

    def test_missing_directory(self):
        checks = self.run_checks(check_yaml("missing",
                                            url=self.root + "-missing"))
        self.assertEqual(checks["missing"]["status"], "ERROR")
        self.assertIn(f"file://{self.root}-missing: directory does not exist",
                      checks["missing"]["message"])

if __name__ == "__main__":
    unittest.main()
