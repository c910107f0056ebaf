#!/usr/bin/env python3
"""The client's listing on a real s3rver and on a local directory with
the same objects: the same keys (byte for byte), sizes and counts; paged
with continuation tokens; shared through the run's listing cache by two
processes at once."""
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
sys.path.insert(0, HERE)
import nbaq_test  # noqa: E402
import objstore_fixtures  # noqa: E402

PROBE = os.path.join(os.environ.get("NBAQ_BUILD_DIR", ""),
                     "lib/objstore/tests/objstore_probe")
BUCKET = f"ls-{os.getpid()}"


class ListingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = nbaq_test.service_env("s3rver")
        objstore_fixtures.upload_s3(cls.s3["NBAQ_TEST_S3_ENDPOINT"], BUCKET)

    def run_probe(self, *args):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="S3RVER",
                   AWS_SECRET_ACCESS_KEY="S3RVER")
        out = subprocess.run([PROBE, "--endpoint",
                              self.s3["NBAQ_TEST_S3_ENDPOINT"], *args],
                             capture_output=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out)
        return out.stdout.decode("utf-8").splitlines()

    @staticmethod
    def keys_and_sizes(lines, strip=""):
        rows = [line.split("\t") for line in lines if line.startswith("O\t")]
        return sorted((r[4][len(strip):], int(r[1])) for r in rows)

    def test_s3_and_local_list_the_same_objects(self):
        expected = sorted((k, len(b)) for k, b, _ in
                          objstore_fixtures.objects())
        s3 = self.run_probe("list", f"s3://{BUCKET}/data/")
        self.assertEqual(self.keys_and_sizes(s3, "data/"), expected)
        self.assertEqual(s3[-1], "END objects=15 bytes=205 pages=1 "
                                 "skipped=0 from_cache=0")
        with tempfile.TemporaryDirectory() as d:
            objstore_fixtures.write_local(os.path.join(d, "data"))
            local = self.run_probe("list", f"file://{d}/data")
        self.assertEqual(self.keys_and_sizes(local), expected)
        # pages: directories read - the root, its 5 first-level
        # directories and the 4 date= directories under events/
        self.assertEqual(local[-1], "END objects=15 bytes=205 pages=10 "
                                    "skipped=0 from_cache=0")
        # The local listing is in key byte order, as S3 lists.
        keys = [line.split("\t")[4].encode() for line in local
                if line.startswith("O\t")]
        self.assertEqual(keys, sorted(keys))

    def test_reading_files(self):
        with tempfile.TemporaryDirectory() as d:
            objstore_fixtures.write_local(os.path.join(d, "data"))
            lines = self.run_probe(
                "--max-bytes", "30", "get", f"file://{d}/data",
                "odd keys/\u00e9t\u00e9.json", "season=2024/empty.json",
                "season=2023/matches.json", "missing.json", "../data/README.txt")
        rows = [line.split("\t") for line in lines]
        self.assertEqual([r[:5] for r in rows], [
            ["R", "0", "ok", "15", "15"],
            ["R", "1", "ok", "0", "0"],
            ["R", "2", "too large", "0", "39"],
            ["R", "3", "not found", "0", "-1"],
            ["R", "4", "config", "0", "-1"]])
        self.assertEqual(rows[2][6], f"file://{d}/data/season=2023/"
                                     "matches.json: 39 bytes, over the cap "
                                     "of 30")
        self.assertEqual(rows[3][6], f"file://{d}/data/missing.json: No "
                                     "such file or directory")

    def test_pages_follow_continuation_tokens(self):
        lines = self.run_probe("--page-size", "4", "list",
                               f"s3://{BUCKET}/data/")
        self.assertEqual(lines[-1], "END objects=15 bytes=205 pages=4 "
                                    "skipped=0 from_cache=0")

    def test_two_processes_share_one_listing(self):
        with tempfile.TemporaryDirectory() as cache:
            env = dict(os.environ, AWS_ACCESS_KEY_ID="S3RVER",
                       AWS_SECRET_ACCESS_KEY="S3RVER")
            args = [PROBE, "--endpoint", self.s3["NBAQ_TEST_S3_ENDPOINT"],
                    "--page-size", "2", "--cache-dir", cache, "list",
                    f"s3://{BUCKET}/data/"]
            procs = [subprocess.Popen(args, stdout=subprocess.PIPE, env=env)
                     for _ in range(2)]
            outs = [p.communicate(timeout=60)[0].decode().splitlines()
                    for p in procs]
            ends = sorted(o[-1] for o in outs)
            self.assertEqual(ends, [
                "END objects=15 bytes=205 pages=0 skipped=0 from_cache=1",
                "END objects=15 bytes=205 pages=8 skipped=0 from_cache=0"])
            self.assertEqual(outs[0][:-1], outs[1][:-1])
            names = sorted(os.listdir(cache))
            self.assertEqual(len(names), 2, names)  # .list and .lock
            self.assertTrue(names[0].endswith(".list"))
            # Another prefix is another listing.
            out = subprocess.run(args[:-1] + [f"s3://{BUCKET}/data/odd "
                                              "keys/"],
                                 capture_output=True, env=env, timeout=60)
            self.assertIn(b"END objects=3 bytes=35 pages=2 skipped=0 "
                          b"from_cache=0", out.stdout)


if __name__ == "__main__":
    unittest.main()
