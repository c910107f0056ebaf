#!/usr/bin/env python3
"""object_count and freshness reading an S3 Inventory (option `inventory`)
inside the real nbaq-host, on the s3rver fixture. The test writes the
inventory itself in AWS's documented CSV format (manifest.json naming
gzip'd CSV data files; keys URL-encoded; a non-current version and a
delete marker that a listing would not show) from botocore's own listing
of the fixture objects, and checks that the figures equal those of a
full listing of the same bucket, with the inventory's age as a metric.
Then what goes wrong: a Parquet inventory, a corrupt gzip, a missing
data file - each an ERROR naming the file."""
import csv
import datetime
import gzip
import io
import json
import os
import sys
import time
import unittest
import urllib.parse

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "lib", "objstore", "tests"))
import checker_case  # noqa: E402
import objstore_fixtures  # noqa: E402

BUCKET = f"inv-{os.getpid()}"
DEST = f"invdest-{os.getpid()}"
SCHEMA = ("Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, "
          "LastModifiedDate, ETag, StorageClass")
AGE_S = 2 * 86400  # the inventory was made two days ago
# Both freshness checks judge as of one instant, an hour from now.
AS_OF = (datetime.datetime.now(datetime.timezone.utc) +
         datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


def csv_gz(rows):
    text = io.StringIO()
    csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        rows)
    return gzip.compress(text.getvalue().encode())


class InventoryTest(checker_case.FixtureBucketCase):
    bucket = BUCKET

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.client = objstore_fixtures.s3_client(
            cls.s3["NBAQ_TEST_S3_ENDPOINT"])
        cls.client.create_bucket(Bucket=DEST)
        listed = cls.client.list_objects_v2(Bucket=BUCKET)["Contents"]
        # Outside the checked prefix: in the inventory, not in the figures.
        rows = [[BUCKET, urllib.parse.quote_plus("other/x.bin"), "", "true",
                 "false", "1000", "2020-01-01T00:00:00.000Z", "e", "STANDARD"]]
        for o in listed:
            t = o["LastModified"].astimezone(datetime.timezone.utc)
            rows.append([BUCKET, urllib.parse.quote_plus(o["Key"]), "v2",
                         "true", "false", str(o["Size"]),
                         t.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                         o["ETag"].strip('"'), "STANDARD"])
        # An old version and a delete marker: a listing shows neither.
        rows.append([BUCKET, "data%2Fseason%3D2023%2Fmatches.json", "v1",
                     "false", "false", "999", "2030-06-01T00:00:00.000Z",
                     "old", "STANDARD"])
        rows.append([BUCKET, "data%2Fgone.json", "v3", "true", "true", "",
                     "2030-06-01T00:00:00.000Z", "", ""])
        half = len(rows) // 2
        created = int((time.time() - AGE_S) * 1000)
        cls.put("inv/data/a.csv.gz", csv_gz(rows[:half]))
        cls.put("inv/data/b.csv.gz", csv_gz(rows[half:]))
        cls.manifest("inv/2026-01-01T00-00Z/manifest.json", "CSV",
                     ["inv/data/missing.csv.gz"], created - 86400000)
        cls.manifest("inv/2026-01-02T00-00Z/manifest.json", "CSV",
                     ["inv/data/a.csv.gz", "inv/data/b.csv.gz"], created)
        cls.manifest("parquet/manifest.json", "Parquet",
                     ["parquet/data/a.parquet"], created)
        cls.put("corrupt/data/a.csv.gz",
                csv_gz(rows)[:40] + b"\x00garbage" * 20)
        cls.manifest("corrupt/manifest.json", "CSV",
                     ["corrupt/data/a.csv.gz"], created)
        cls.manifest("missing/manifest.json", "CSV",
                     ["inv/data/a.csv.gz", "missing/data/nope.csv.gz"],
                     created)

    @classmethod
    def put(cls, key, body):
        cls.client.put_object(Bucket=DEST, Key=key, Body=body)

    @classmethod
    def manifest(cls, key, fmt, files, created_ms):
        cls.put(key, json.dumps({
            "sourceBucket": BUCKET,
            "destinationBucket": f"arn:aws:s3:::{DEST}",
            "version": "2016-11-30",
            "creationTimestamp": str(created_ms),
            "fileFormat": fmt,
            "fileSchema": SCHEMA,
            "files": [{"key": f, "size": 1, "MD5checksum": "0"}
                      for f in files]}).encode())

    def run_checks(self, checks_yaml):
        return checker_case.run_checks(self, "invtest", checks_yaml)

    def check(self, plugin, name, **options):
        return checker_case.check_yaml(plugin, name,
                                       self.s3_options(**options))

    def test_inventory_figures_equal_a_full_listing(self):
        newest = f"s3://{DEST}/inv/"
        _, checks = self.run_checks(
            self.check("object_count", "listed", by_prefix=True) +
            self.check("object_count", "inventory", by_prefix=True,
                       inventory=newest) +
            self.check("freshness", "f_listed", as_of=AS_OF,
                       share_listing=False) +
            self.check("freshness", "f_inventory", as_of=AS_OF,
                       inventory=f"s3://{DEST}/inv/2026-01-02T00-00Z/"
                                 "manifest.json"))
        e = objstore_fixtures.EXPECTED
        listed = self.metrics(checks["listed"])
        inv = self.metrics(checks["inventory"])
        self.assertEqual(checks["inventory"]["status"], "PASS",
                         checks["inventory"]["message"])
        self.assertEqual(inv["objects"], e["objects"])
        self.assertEqual(inv["bytes"], e["bytes"])
        for name, value in listed.items():
            with self.subTest(metric=name):
                self.assertEqual(inv[name], value)
        self.assertEqual(
            {n[len("objects.by_prefix."):]: v for n, v in inv.items()
             if n.startswith("objects.by_prefix.")},
            {k: v[0] for k, v in e["by_prefix"].items()})
        self.assertNotIn("inventory.age_seconds", listed)
        for name in ("inventory", "f_inventory"):
            age = self.metrics(checks[name])["inventory.age_seconds"]
            self.assertGreaterEqual(age, AGE_S)
            self.assertLess(age, AGE_S + 120)
        f_listed = self.metrics(checks["f_listed"])
        f_inv = self.metrics(checks["f_inventory"])
        self.assertEqual(checks["f_inventory"]["status"],
                         checks["f_listed"]["status"])
        for name in ("objects", "newest_age_seconds", "objects_in_window"):
            with self.subTest(metric=name):
                self.assertEqual(f_inv[name], f_listed[name])

    def test_broken_inventories_are_errors_naming_the_file(self):
        _, checks = self.run_checks(
            self.check("object_count", "parquet",
                       inventory=f"s3://{DEST}/parquet/manifest.json") +
            self.check("object_count", "corrupt",
                       inventory=f"s3://{DEST}/corrupt/manifest.json") +
            self.check("object_count", "missing",
                       inventory=f"s3://{DEST}/missing/manifest.json"))
        for name in ("parquet", "corrupt", "missing"):
            self.assertEqual(checks[name]["status"], "ERROR", checks[name])
        self.assertIn(f"inventory s3://{DEST}/parquet/manifest.json: "
                      "fileFormat Parquet is not supported, only CSV",
                      checks["parquet"]["message"])
        self.assertIn(f"inventory data file s3://{DEST}/corrupt/data/"
                      "a.csv.gz: corrupt gzip", checks["corrupt"]["message"])
        self.assertIn(f"inventory data file s3://{DEST}/missing/data/"
                      "nope.csv.gz: not found", checks["missing"]["message"])


if __name__ == "__main__":
    unittest.main()
