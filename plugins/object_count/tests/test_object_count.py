#!/usr/bin/env python3
"""object_count inside the real nbaq-host, on a real s3rver (fixture
`s3rver`) and on a local directory holding the same objects: the same
figures from both, worked out by hand in objstore_fixtures.EXPECTED.
Then the failures a user meets, each an ERROR naming the bucket or path."""
import os
import sys
import unittest

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "lib", "objstore", "tests"))
import checker_case  # noqa: E402
import objstore_fixtures  # noqa: E402
from checker_case import nbaq_test  # noqa: E402

BUCKET = f"oc-{os.getpid()}"


def check_yaml(name, **options):
    return checker_case.check_yaml("object_count", name, options)


class ObjectCountTest(checker_case.FixtureBucketCase):
    bucket = BUCKET

    def local_dir(self):
        d = nbaq_test.temp_dir(self)
        objstore_fixtures.write_local(os.path.join(d, "data"))
        return os.path.join(d, "data")

    def run_checks(self, checks_yaml, as_user=None, workdir=None, cwd=None):
        prefix = []
        host = None
        if as_user is not None:
            prefix = ["setpriv", f"--reuid={as_user}", f"--regid={as_user}",
                      "--clear-groups"]
            host = nbaq_test.host_copy(self, ["object_count", "json"])
        return checker_case.run_checks(self, "objtest", checks_yaml,
                                       workdir=workdir, cwd=cwd,
                                       argv_prefix=prefix, host=host)

    def assert_fixture_figures(self, check):
        e = objstore_fixtures.EXPECTED
        m = self.metrics(check)
        self.assertEqual(check["status"], "PASS", check["message"])
        self.assertEqual(m["objects"], e["objects"])
        self.assertEqual(m["bytes"], e["bytes"])
        self.assertEqual(m["zero_byte_objects"], e["zero_byte_objects"])
        by_prefix = {name[len("objects.by_prefix."):]: (value,
                     m["bytes.by_prefix." + name[len("objects.by_prefix."):]])
                     for name, value in m.items()
                     if name.startswith("objects.by_prefix.")}
        self.assertEqual(by_prefix, e["by_prefix"])
        self.assertEqual((m["objects.top_level"], m["bytes.top_level"]),
                         e["top_level"])
        self.assertEqual(m["prefixes"], 5)
        self.assertEqual(m["objects.by_prefix_other"], 0)
        self.assertEqual(m["unlisted_entries"], 0)

    def test_s3_and_local_give_the_same_figures(self):
        local = self.local_dir()
        _, checks = self.run_checks(
            check_yaml("s3", by_prefix=True, **self.s3_options()) +
            check_yaml("s3_small_pages", by_prefix=True,
                       **self.s3_options(page_size=2, share_listing=False)) +
            check_yaml("local", url="file://" + local, by_prefix=True))
        for name in ("s3", "s3_small_pages", "local"):
            with self.subTest(check=name):
                self.assert_fixture_figures(checks[name])
        self.assertIn(f"15 objects, 205 B under s3://{BUCKET}/data/",
                      checks["s3"]["message"])
        self.assertIn(f"15 objects, 205 B under file://{local}",
                      checks["local"]["message"])

    def test_relative_directory_is_relative_to_the_config(self):
        d = nbaq_test.temp_dir(self)
        objstore_fixtures.write_local(os.path.join(d, "data"))
        _, checks = self.run_checks(check_yaml("rel", url="data"),
                                    workdir=d, cwd=nbaq_test.temp_dir(self))
        self.assertEqual(self.metrics(checks["rel"])["objects"], 15)
        self.assertIn(f"under file://{d}/data", checks["rel"]["message"])

    def test_suffix_filter(self):
        _, checks = self.run_checks(check_yaml(
            "json", suffixes=[".json"], **self.s3_options()))
        m = self.metrics(checks["json"])
        # 15 objects less README.txt and teams.jsonl
        self.assertEqual(m["objects"], 13)
        self.assertEqual(m["bytes"], 205 - 12 - 28)

    def test_checks_of_one_run_share_one_listing(self):
        _, checks = self.run_checks(
            check_yaml("first", **self.s3_options()) +
            check_yaml("second", **self.s3_options()))
        shared = [n for n, c in checks.items()
                  if "listing shared" in c["message"]]
        self.assertEqual(len(shared), 1, checks)
        for c in checks.values():
            self.assertEqual(self.metrics(c)["objects"], 15)

    def test_failures_are_errors_naming_the_place(self):
        wrong_key = self.s3_options(access_key_id="NOSUCHKEY")
        cases = {
            "refused": (self.s3_options(endpoint="http://127.0.0.1:1",
                                        max_retries=0),
                        f"s3://{BUCKET}/data/", "connection refused"),
            "dns": (self.s3_options(endpoint="http://nbaq-test.invalid",
                                    max_retries=0),
                    f"s3://{BUCKET}/data/", "host name does not resolve"),
            "no_bucket": (self.s3_options(url="s3://no-such-bucket/x/"),
                          "no-such-bucket", "does not exist"),
            "wrong_key": (wrong_key, f"s3://{BUCKET}/data/",
                          "access denied, HTTP 403 InvalidAccessKeyId"),
            "no_dir": ({"url": "file:///nonexistent/nbaq/dir"},
                       "file:///nonexistent/nbaq/dir",
                       "directory does not exist"),
        }
        yaml = "".join(check_yaml(n, **o) for n, (o, _, _) in cases.items())
        proc, checks = self.run_checks(yaml)
        self.assertEqual(proc.returncode, 3)
        for name, (_, place, reason) in cases.items():
            with self.subTest(check=name):
                c = checks[name]
                self.assertEqual(c["status"], "ERROR")
                self.assertIn(place, c["message"])
                self.assertIn(reason, c["message"])
                self.assertNotIn("S3RVER", c["message"])

    def test_bad_options_are_refused_before_any_run(self):
        """validate(): --check-config (and every run) refuses them, naming
        the check, the plugin and where the option is written."""
        for options, expected in (
                ({"url": "ftp://x/y"}, "monitor.yaml:6:12: url 'ftp://x/y': "
                 "not s3://bucket/prefix, file:///dir or a directory path"),
                ({"url": "/data", "max_prefixes": 5}, "monitor.yaml:7:21: "
                 "max_prefixes applies with by_prefix: true only")):
            with self.subTest(options=options):
                err = checker_case.config_error(self, "octest",
                                                check_yaml("bad", **options))
                self.assertIn("monitor.yaml:3:5: check 'bad': plugin "
                              "'object_count': " + expected, err)

    def test_unreadable_directory_is_reported_and_the_rest_counted(self):
        d = nbaq_test.temp_dir(self)
        os.chmod(d, 0o755)
        root = os.path.join(d, "data")
        objstore_fixtures.write_local(root)
        locked = os.path.join(root, "season=2023")
        os.chmod(locked, 0o000)
        self.addCleanup(os.chmod, locked, 0o755)
        # root reads everything: run the host as nobody then.
        user = 65534 if os.geteuid() == 0 else None
        if user is not None:
            os.chown(d, user, user)  # where the report is written
        _, checks = self.run_checks(
            check_yaml("local", url="file://" + root, by_prefix=True),
            as_user=user, workdir=d)
        c = checks["local"]
        m = self.metrics(c)
        self.assertEqual(c["status"], "WARNING")
        self.assertIn(f"{root}/season=2023: Permission denied", c["message"])
        self.assertEqual(m["unlisted_entries"], 1)
        self.assertEqual(m["objects"], 15 - 2)
        self.assertEqual(m["bytes"], 205 - 67)


if __name__ == "__main__":
    unittest.main()
