#!/usr/bin/env python3
"""json_validity inside the real nbaq-host, on a local directory and on a
real s3rver (fixture `s3rver`) holding the same objects.

    test_json_validity.py LocalDirectory | S3rver

Every figure below is worked out by hand from FIXTURES (positions by
counting characters); the Wilson bounds were computed independently with
Python's statistics.NormalDist; the expected sample for a seed comes from
reference_sample(), a separate Python implementation of the same seeded
reservoir (splitmix64, xoshiro256**, algorithm R).
"""
import gzip
import os
import re
import sys
import unittest
import urllib.request

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "lib", "objstore", "tests"))
import checker_case  # noqa: E402
from checker_case import nbaq_test  # noqa: E402

CAP = 1024  # max_object_bytes: 1K in the configs below

FIXTURES = {
    "data/good-1.json": b'{"id": 1, "name": "a"}',
    "data/good-2.json": '[1, 2.5, "x\\u00e9", "caf\u00e9"]'.encode(),
    "data/good-3.json": b'{\n  "a": [\n    true,\n    null\n  ]\n}\n',
    "data/good-4.jsonl": b'{"n": 1}\n{"n": 2}\n\n{"n": 3}\n',
    "data/good-5.json.gz": gzip.compress(b'{"zipped": [1, 2, 3]}'),
    "data/empty.json": b"",
    # '}' is character 9
    "data/bad-trailing.json": b'{"a": 1,}',
    # line 2 ends (character 8) before its object closes
    "data/bad-lines.jsonl": b'{"n": 1}\n{"n": 2\n{"n": 3}\n',
    # 0xC3 at character 8 needs a continuation byte; 0x28 at 9 is not one
    "data/bad-utf8.json": b'{"k": "\xc3\x28"}',
    # line 3, ']' is character 4
    "data/bad.jsonl.gz": gzip.compress(b"[1]\n[2]\n[3,]\n"),
    # valid, but 3001 bytes: over the cap
    "data/big.json": b"[" + b"0," * 1499 + b"0]",
    "data/notes.txt": b"not json, and not sampled\n",
    # required fields /id (integer) and /tags (array)
    "fields/a.json": b'{"id": 1, "tags": []}',
    "fields/b.json": b'{"id": "2", "tags": []}',
    "fields/c.jsonl": b'{"id":1,"tags":[]}\n{"id":2}\n',
}

REASONS = {  # by key under data/, in key order
    "bad-lines.jsonl": "2:8: line ends before the document is complete",
    "bad-trailing.json": "1:9: trailing comma before '}'",
    "bad-utf8.json": "1:9: invalid UTF-8: truncated sequence (lead byte "
                     "0xC3, then byte 0x28)",
    "bad.jsonl.gz": "3:4: trailing comma before ']'",
    "empty.json": "empty",
}

# Wilson score bounds in percent, from statistics.NormalDist (z = 1.95996)
WILSON_5_OF_10 = (23.659309051256404, 76.3406909487436)
WILSON_5_OF_11 = (21.271271622459764, 71.9908462590678)
WILSON_5_OF_9 = (26.665129349549314, 81.12214789023353)


def reference_sample(keys, k, seed):
    """The sample the plugin must draw from keys (in listing order)."""
    mask = (1 << 64) - 1
    state = seed & mask
    rng = []
    for _ in range(4):
        state = (state + 0x9E3779B97F4A7C15) & mask
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        rng.append(z ^ (z >> 31))

    def rotl(x, r):
        return ((x << r) | (x >> (64 - r))) & mask

    def next64():
        s = rng
        result = (rotl((s[1] * 5) & mask, 7) * 9) & mask
        t = (s[1] << 17) & mask
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def uniform(bound):
        threshold = (1 << 64) % bound
        while True:
            x = next64()
            if x >= threshold:
                return x % bound

    kept = []
    for i, key in enumerate(keys):
        if i < k:
            kept.append(key)
        else:
            j = uniform(i + 1)
            if j < k:
                kept[j] = key
    return sorted(kept)


def check_yaml(name, options):
    return checker_case.check_yaml("json_validity", name, options)


class JsonValidityCases:
    """The cases, run once per backend by the subclasses below."""
    key_prefix = ""  # how keys under data/ appear in messages

    def options(self, prefix="data", **extra):
        raise NotImplementedError

    def run_checks(self, checks_yaml, *args):
        return checker_case.run_checks(self, "jvtest", checks_yaml, *args)

    def run_one(self, *args, **options):
        proc, checks = self.run_checks(check_yaml("jv", self.options(**options)),
                                       *args)
        return proc, checks["jv"]

    metrics = staticmethod(checker_case.metrics)

    def assert_counts(self, check, **expected):
        got = self.metrics(check)
        for name, value in expected.items():
            if isinstance(value, float):
                self.assertAlmostEqual(got[name], value, places=6, msg=name)
            else:
                self.assertEqual(got[name], value, name)

    def test_counts_with_oversized_skipped(self):
        proc, check = self.run_one(oversized="skip", seed=1)
        self.assertEqual(check["status"], "FAIL", check["message"])
        self.assertEqual(proc.returncode, 2)
        self.assert_counts(check, candidates=10, sampled=10, valid=5,
                           invalid=4, empty=1, oversized=1, unreadable=0,
                           valid_pct=50.0, valid_pct_low=WILSON_5_OF_10[0],
                           valid_pct_high=WILSON_5_OF_10[1])
        msg = check["message"]
        self.assertIn("5 of 10 sampled objects valid (50.0%, 95% interval "
                      "23.7-76.3%)", msg)
        self.assertIn("valid_pct 50.0% < min_valid_pct 100%", msg)
        named = "; ".join(f"{self.key_prefix}{k}: {r}"
                          for k, r in REASONS.items())
        self.assertIn("; not valid: " + named, msg)

    def test_oversized_is_an_error_by_default(self):
        proc, check = self.run_one(seed=1)
        self.assertEqual(check["status"], "ERROR", check["message"])
        self.assertEqual(proc.returncode, 3)
        self.assert_counts(check, candidates=11, sampled=11, valid=5,
                           invalid=4, empty=1, oversized=1)
        self.assertIn(f"1 over the {CAP} byte cap (oversized: error)",
                      check["message"])
        self.assertIn(f"{self.key_prefix}big.json: larger than {CAP} bytes "
                      "(max_object_bytes)", check["message"])

    def test_oversized_counted_invalid(self):
        _, check = self.run_one(oversized="invalid", seed=1)
        self.assert_counts(check, sampled=11, valid=5, invalid=5, empty=1,
                           oversized=1, valid_pct=500 / 11,
                           valid_pct_low=WILSON_5_OF_11[0],
                           valid_pct_high=WILSON_5_OF_11[1])

    def test_empty_objects_left_out(self):
        _, check = self.run_one(oversized="skip", empty_objects="skip")
        self.assert_counts(check, sampled=10, valid=5, invalid=4, empty=1,
                           valid_pct=500 / 9,
                           valid_pct_low=WILSON_5_OF_9[0],
                           valid_pct_high=WILSON_5_OF_9[1])
        self.assertNotIn("empty.json", check["message"])

    def test_bar_judged_on_the_interval(self):
        # 50% valid, interval 23.7-76.3%, against a bar of 70%
        base = {"oversized": "skip", "min_valid_pct": 70}
        _, checks = self.run_checks(
            check_yaml("point", self.options(**base)) +
            check_yaml("upper", self.options(judge_by="upper_bound", **base)) +
            check_yaml("lower", self.options(judge_by="lower_bound", **base)) +
            check_yaml("warn", self.options(below_status="warning", **base)))
        self.assertEqual(checks["point"]["status"], "FAIL")
        self.assertIn("valid_pct 50.0% < min_valid_pct 70%",
                      checks["point"]["message"])
        self.assertEqual(checks["upper"]["status"], "PASS",
                         checks["upper"]["message"])
        self.assertEqual(checks["lower"]["status"], "FAIL")
        self.assertIn("lower bound 23.7% < min_valid_pct 70%",
                      checks["lower"]["message"])
        self.assertEqual(checks["warn"]["status"], "WARNING")

    def test_report_invalid_limits_the_names(self):
        _, check = self.run_one(oversized="skip", report_invalid=2)
        msg = check["message"]
        self.assertIn(f"; not valid: {self.key_prefix}bad-lines.jsonl: ", msg)
        self.assertIn(f"; {self.key_prefix}bad-trailing.json: ", msg)
        self.assertNotIn("bad-utf8.json", msg)
        self.assertTrue(msg.endswith(" (and 3 more)"), msg)

    def sample_of(self, seed, size=3):
        proc, check = self.run_one("-vv", oversized="skip", seed=seed,
                                   sample_size=size)
        sample = [line.split("sample: ", 1)[1]
                  for line in proc.stderr.splitlines()
                  if "debug: sample: " in line]
        self.assertEqual(len(sample), size, proc.stderr)
        self.assertEqual(self.metrics(check)["sampled"], size)
        return sample, check

    def test_seed_reproduces_the_sample(self):
        first, check1 = self.sample_of(7)
        second, check2 = self.sample_of(7)
        self.assertEqual(first, second)
        self.assertEqual(self.metrics(check1), self.metrics(check2))
        self.assertEqual(self.metrics(check1)["candidates"], 10)
        others = [self.sample_of(seed)[0] for seed in (1, 2, 3, 4, 5)]
        self.assertTrue(any(o != first for o in others), others)

    def test_required_fields(self):
        _, check = self.run_one(prefix="fields", required_fields={
            "/id": "integer", "/tags": "array"})
        self.assert_counts(check, sampled=3, valid=1, invalid=2)
        p = self.key_prefix.replace("data/", "fields/")
        self.assertIn(f"{p}b.json: 1:8: field '/id' is a string, expected "
                      "integer", check["message"])
        self.assertIn(f"{p}c.jsonl: 2:9: missing required field '/tags'",
                      check["message"])

    def test_bad_required_field_is_refused_before_any_run(self):
        """validate(): --check-config (and every run) refuses it, naming
        the check, the plugin and where the option is written."""
        for fields, expected in (
                ({"/id": "int"}, "required_fields: 'int' is not a type"),
                ({"id": "integer"}, "required_fields: JSON Pointer 'id' must "
                 "be empty or start with '/'")):
            with self.subTest(fields=fields):
                err = checker_case.config_error(self, "jvtest", check_yaml(
                    "jv", self.options(prefix="fields",
                                       required_fields=fields)))
                self.assertRegex(err, r"monitor\.yaml:3:5: check 'jv': "
                                 r"plugin 'json_validity': \S*monitor\.yaml:"
                                 r"\d+:\d+: " + re.escape(expected))

class LocalDirectory(JsonValidityCases, unittest.TestCase):
    key_prefix = ""

    @classmethod
    def setUpClass(cls):
        import tempfile
        cls.tmp = tempfile.TemporaryDirectory(prefix="nbaq-jv-")
        for key, body in FIXTURES.items():
            path = os.path.join(cls.tmp.name, *key.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(body)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def options(self, prefix="data", **extra):
        return {"url": "file://" + os.path.join(self.tmp.name, prefix),
                "max_object_bytes": "1K", **extra}

    def test_sample_matches_the_reference(self):
        # a local listing is in key byte order: the candidates are the
        # JSON-suffixed keys not over the cap, sorted
        keys = sorted(k[len("data/"):] for k, body in FIXTURES.items()
                      if k.startswith("data/") and not k.endswith(".txt")
                      and len(body) <= CAP)
        for seed in (7, 12345):
            sample, _ = self.sample_of(seed, size=4)
            self.assertEqual(sample, reference_sample(keys, 4, seed))


class S3rver(JsonValidityCases, unittest.TestCase):
    key_prefix = "data/"
    bucket = f"jv-{os.getpid()}"

    @classmethod
    def setUpClass(cls):
        cls.s3 = nbaq_test.service_env("s3rver")
        endpoint = cls.s3["NBAQ_TEST_S3_ENDPOINT"]
        # s3rver does not check signatures: plain PUTs load the fixtures
        cls.put(f"{endpoint}/{cls.bucket}", None)
        for key, body in FIXTURES.items():
            cls.put(f"{endpoint}/{cls.bucket}/{key}", body)

    @staticmethod
    def put(url, body):
        request = urllib.request.Request(url, data=body, method="PUT")
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200, (url, response.status)

    def options(self, prefix="data", **extra):
        return checker_case.s3_options(self.s3,
                                       f"s3://{self.bucket}/{prefix}/",
                                       max_object_bytes="1K", **extra)


if __name__ == "__main__":
    unittest.main(verbosity=2)
