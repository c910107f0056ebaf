#!/usr/bin/env python3
"""One rule for entries a local listing cannot list, in all three checkers
that list (docs/objstore.md, "Unreadable entries"): a dangling symbolic
link and a fifo next to good objects make object_count, freshness and
json_validity alike WARNING, each with unlisted_entries = 2 and the same
words in its message; the good objects are still judged."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checker_case  # noqa: E402
from checker_case import nbaq_test  # noqa: E402


class UnreadableEntries(unittest.TestCase):
    def test_all_listing_checkers_judge_them_alike(self):
        d = nbaq_test.temp_dir(self)
        root = os.path.join(d, "data")
        os.mkdir(root)
        for name in ("a.json", "b.json"):
            with open(os.path.join(root, name), "w") as f:
                f.write('{"ok": true}\n')
        os.symlink(os.path.join(root, "nowhere"), os.path.join(root, "gone.json"))
        os.mkfifo(os.path.join(root, "pipe.json"))
        now = time.time()
        os.utime(os.path.join(root, "a.json"), (now, now))
        checks = (
            checker_case.check_yaml("object_count", "count", {"url": root}) +
            checker_case.check_yaml("freshness", "fresh",
                                    {"url": root, "max_age": "1h"}) +
            checker_case.check_yaml("json_validity", "valid",
                                    {"url": root, "sample_size": 10}))
        _, result = checker_case.run_checks(self, "unreadable", checks)
        for name in ("count", "fresh", "valid"):
            with self.subTest(check=name):
                c = result[name]
                self.assertEqual(c["status"], "WARNING", c["message"])
                self.assertIn("; 2 entries could not be listed, first "
                              f"{root}/", c["message"])
                self.assertEqual(checker_case.metrics(c)["unlisted_entries"],
                                 2)
        # The readable objects were judged all the same.
        self.assertEqual(checker_case.metrics(result["count"])["objects"], 2)
        self.assertIn("2 of 2 sampled objects valid",
                      result["valid"]["message"])
        self.assertIn("newest object", result["fresh"]["message"])


if __name__ == "__main__":
    unittest.main()
