#!/usr/bin/env python3
"""Prefix-parallel listing (`connections`): on the s3rver fixture, a bucket
of 20 first-level prefixes lists to exactly the objects that the
sequential listing gives and that were uploaded (worked out from the
upload, not from either listing), with large and with tiny pages; and a
prefix whose listing fails (a small HTTP endpoint answering 500, or half
a page, for that prefix only) ends the listing in an error naming that
prefix. The run's
listing cache keeps a parallel listing like a sequential one. Many pages
per prefix (several batches, pages parsed by both of the lister's parsing
threads) give every object once, passed on in the caller's thread (the
probe checks), and a bad page among them is named."""
import os
import subprocess
import sys
import unittest
import urllib.parse

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "tests", "support"))
sys.path.insert(0, os.path.join(SOURCE, "lib", "http", "tests"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nbaq_test  # noqa: E402
import objstore_fixtures  # noqa: E402
from recording_server import RecordingServer, Reply  # noqa: E402
from test_s3_edge import SANITIZER_MARKERS, error_doc  # noqa: E402
from test_s3_edge import page, probe  # noqa: E402

PROBE = os.path.join(os.environ.get("NBAQ_BUILD_DIR", ""),
                     "lib/objstore/tests/objstore_probe")
BUCKET = f"par-{os.getpid()}"


def uploaded():
    """{key past "data/": size}: 20 prefixes of 3 to 7 objects (one with
    a deeper level and an awkward name), and two objects at the top."""
    objs = {"top.txt": 3, "z-last": 0}
    for p in range(20):
        name = f"p{p:02d}" if p != 7 else "p 07 été+x"
        for i in range(3 + p % 5):
            objs[f"{name}/obj-{i}.json"] = 10 * p + i
    objs["p03/deeper/part-0.json"] = 5
    return objs


def query_of(req):
    """The query of a listing request, and its prefix."""
    query = urllib.parse.parse_qs(req.path.split("?", 1)[1])
    return query, query.get("prefix", [""])[0]


def delimiter_page(prefixes, objects=()):
    """A delimiter listing of objects and prefixes p00/ ... (as many)."""
    return page(list(objects)).replace(
        b"</ListBucketResult>",
        b"".join(f"<CommonPrefixes><Prefix>p{i:02d}/</Prefix>"
                 f"</CommonPrefixes>".encode()
                 for i in range(prefixes)) + b"</ListBucketResult>")


class ParallelListingTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = nbaq_test.service_env("s3rver")
        client = objstore_fixtures.s3_client(cls.s3["NBAQ_TEST_S3_ENDPOINT"])
        client.create_bucket(Bucket=BUCKET)
        for key, size in uploaded().items():
            client.put_object(Bucket=BUCKET, Key="data/" + key,
                              Body=b"x" * size)

    def listing(self, *options):
        env = dict(os.environ, AWS_ACCESS_KEY_ID="S3RVER",
                   AWS_SECRET_ACCESS_KEY="S3RVER")
        out = subprocess.run([PROBE, "--endpoint",
                              self.s3["NBAQ_TEST_S3_ENDPOINT"], *options,
                              "list", f"s3://{BUCKET}/data/"],
                             capture_output=True, env=env, timeout=60)
        self.assertEqual(out.returncode, 0, out)
        for marker in SANITIZER_MARKERS:
            self.assertNotIn(marker, out.stderr.decode())
        lines = out.stdout.decode("utf-8").splitlines()
        objects = {}
        for line in lines[:-1]:
            _, size, _, _, key = line.split("\t")
            self.assertTrue(key.startswith("data/"), key)
            name = key[len("data/"):]
            self.assertNotIn(name, objects)  # each object exactly once
            objects[name] = int(size)
        return objects, lines[-1]

    def test_parallel_gives_the_same_objects_as_sequential(self):
        expected = uploaded()
        count, total = len(expected), sum(expected.values())
        sequential, seq_end = self.listing("--connections", "1")
        self.assertEqual(sequential, expected)
        for options in (("--connections", "8"),
                        ("--connections", "8", "--page-size", "2"),
                        ("--connections", "3", "--page-size", "1")):
            with self.subTest(options=options):
                objects, end = self.listing(*options)
                self.assertEqual(objects, expected)
                self.assertTrue(end.startswith(
                    f"END objects={count} bytes={total} "), end)

    def test_parallel_requests_one_page_per_prefix_when_pages_are_big(self):
        # 1 delimiter page, then one page for each of the 20 prefixes.
        _, end = self.listing("--connections", "8")
        self.assertIn(" pages=21 ", end)

    def test_the_run_cache_keeps_a_parallel_listing(self):
        cache = nbaq_test.temp_dir(self)
        first, first_end = self.listing("--connections", "8",
                                        "--cache-dir", cache)
        again, again_end = self.listing("--connections", "8",
                                        "--cache-dir", cache)
        self.assertEqual(first, uploaded())
        self.assertEqual(again, uploaded())
        self.assertTrue(first_end.endswith(" from_cache=0"), first_end)
        self.assertIn(" pages=0 ", again_end)
        self.assertTrue(again_end.endswith(" from_cache=1"), again_end)

    def test_a_malformed_page_is_named(self):
        # The page of p05 stops in the middle of its XML: the listing
        # fails naming that prefix and passes none of its objects.
        def respond(req):
            query, prefix = query_of(req)
            if "delimiter" in query:
                return Reply(200, delimiter_page(8))
            body = page([(prefix + "k", 2)])
            return Reply(200, body[:len(body) // 2] if prefix == "p05/"
                         else body)
        with RecordingServer(respond) as server:
            lines = probe(self, server, "list", "s3://bkt/",
                          options=("--connections", "4", "--retries", "0"))
        self.assertTrue([line for line in lines if line.startswith(
            "ERROR protocol: listing s3://bkt/p05/: malformed listing XML "
            "at line ")], lines)
        self.assertFalse([line for line in lines if "p05/k" in line])

    def test_a_failing_prefix_is_named(self):
        def respond(req):
            query, prefix = query_of(req)
            if "delimiter" in query:
                return Reply(200, delimiter_page(20, [("top", 1)]))
            if prefix == "p13/":
                return Reply(500, error_doc("InternalError", "broken"))
            return Reply(200, page([(prefix + "k", 2)]))
        with RecordingServer(respond) as server:
            lines = probe(self, server, "list", "s3://bkt/",
                          options=("--connections", "4", "--retries", "0"))
        self.assertIn("ERROR server: listing s3://bkt/p13/: server error "
                      "HTTP 500 InternalError after 1 tries", lines)
        self.assertFalse([line for line in lines if "p13/k" in line])

    def test_many_pages_per_prefix_come_out_exact(self):
        # 12 prefixes of 5 pages of 3 keys over 3 connections: 5 batches,
        # and more pages waiting than connections; then the same with the
        # last page of p11 (the last batch, when both threads parse)
        # broken off, or answered 500.
        def pages(bad=None):
            def respond(req):
                query, prefix = query_of(req)
                if "delimiter" in query:
                    return Reply(200, delimiter_page(12))
                n = int(query.get("continuation-token", ["0"])[0])
                body = page([(f"{prefix}k{n}-{j}", n + j) for j in range(3)],
                            str(n + 1) if n < 4 else None)
                if prefix == "p11/" and n == 4 and bad == "half":
                    return Reply(200, body[:len(body) // 2])
                if prefix == "p11/" and n == 4 and bad == "500":
                    return Reply(500, error_doc("InternalError", "broken"))
                return Reply(200, body)
            return respond
        expected = {f"p{p:02d}/k{n}-{j}" for p in range(12) for n in range(5)
                    for j in range(3)}
        options = ("--connections", "3", "--retries", "0")
        with RecordingServer(pages()) as server:
            lines = probe(self, server, "list", "s3://bkt/", options=options)
        keys = [line.split("\t")[4] for line in lines
                if line.startswith("O\t")]
        self.assertEqual(sorted(keys), sorted(expected))
        self.assertEqual(lines[-1], "END objects=180 bytes=540 pages=61 "
                         "skipped=0 from_cache=0")
        with RecordingServer(pages("half")) as server:
            lines = probe(self, server, "list", "s3://bkt/", options=options)
        self.assertTrue([line for line in lines if line.startswith(
            "ERROR protocol: listing s3://bkt/p11/: malformed listing XML "
            "at line ")], lines)
        self.assertFalse([line for line in lines if "p11/k4-" in line])
        with RecordingServer(pages("500")) as server:
            lines = probe(self, server, "list", "s3://bkt/", options=options)
        self.assertIn("ERROR server: listing s3://bkt/p11/: server error "
                      "HTTP 500 InternalError after 1 tries", lines)


if __name__ == "__main__":
    unittest.main()
