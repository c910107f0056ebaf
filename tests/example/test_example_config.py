#!/usr/bin/env python3
"""The bundled example, config/monitor.yaml, run by the real nbaq-host on a
copy of config/ in a temporary directory (the example writes history.db and
reports/ beside its config file)."""
import glob
import json
import os
import shutil
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

import jsonschema  # noqa: E402

CONFIG_DIR = os.path.join(nbaq_test.SOURCE_DIR, "config")
SCHEMA_PATH = os.path.join(nbaq_test.SOURCE_DIR, "docs", "report.schema.json")


class ExampleConfigTest(unittest.TestCase):
    def copy_example(self):
        d = os.path.join(nbaq_test.temp_dir(self), "config")
        shutil.copytree(CONFIG_DIR, d, ignore=shutil.ignore_patterns(
            "history.db*", "demo-*.json"))
        return os.path.join(d, "monitor.yaml")

    def test_check_config_passes(self):
        for name in ("monitor.yaml", "database.yaml"):
            proc = nbaq_test.run_host("-c", os.path.join(CONFIG_DIR, name),
                                      "--check-config")
            self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
            self.assertIn(f"configuration OK: {CONFIG_DIR}/{name}",
                          proc.stdout)

    def test_run_writes_a_valid_report(self):
        config = self.copy_example()
        # From another directory: every path in the example is relative to
        # the config file.
        proc = nbaq_test.run_host("-c", config, cwd=nbaq_test.temp_dir(self))
        self.assertIn(proc.returncode, (0, 1, 2), proc.stderr)
        reports = os.path.join(os.path.dirname(config), "example", "reports")
        latest = os.path.join(reports, "demo-latest.json")
        self.assertTrue(os.path.exists(latest), proc.stderr)
        self.assertEqual(len(glob.glob(os.path.join(reports,
                                                    "demo-*.json"))), 2)
        with open(latest) as f:
            report = json.load(f)
        with open(SCHEMA_PATH) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.Draft202012Validator(schema).validate(report)

        checks = {c["name"]: c for c in report["checks"]}
        self.assertEqual(sorted(checks),
                         ["disk_root", "load", "orders_rows", "scrapes_count",
                          "scrapes_fresh", "scrapes_json"])
        for name in ("disk_root", "load", "orders_rows"):
            self.assertEqual(checks[name]["plugin"], "exec")
            self.assertIn(checks[name]["status"], ("PASS", "WARNING", "FAIL"),
                          checks[name]["message"])
        # config/example/data/scrapes: 11 box scores (6 in season=2024, 5 in
        # season=2025, one of them empty and one with a trailing comma) and
        # one rosters.jsonl, counted by hand.
        count = {m["name"]: m["value"] for m in
                 checks["scrapes_count"]["metrics"]}
        self.assertEqual(count["objects"], 12)
        self.assertEqual(count["zero_byte_objects"], 1)
        self.assertEqual(count["objects.by_prefix.boxscores"], 11)
        self.assertEqual(count["objects.by_prefix.rosters"], 1)
        self.assertEqual(checks["scrapes_count"]["status"], "WARNING")
        js = {m["name"]: m["value"] for m in
              checks["scrapes_json"]["metrics"]}
        self.assertEqual((js["sampled"], js["valid"], js["invalid"],
                          js["empty"]), (11, 9, 1, 1))
        self.assertEqual(checks["scrapes_json"]["status"], "FAIL")
        self.assertIn("game-0022504.json", checks["scrapes_json"]["message"])
        self.assertEqual(checks["scrapes_fresh"]["status"], "PASS")
        # config/example/data/orders.csv has 12 data rows.
        rows = checks["orders_rows"]
        self.assertEqual(rows["status"], "PASS")
        self.assertEqual(rows["message"], "rows = 12 rows")
        self.assertEqual([(m["name"], m["value"], m["unit"])
                          for m in rows["metrics"]], [("rows", 12, "rows")])
        disk = {m["name"]: m for m in checks["disk_root"]["metrics"]}
        self.assertEqual(disk["/"]["unit"], "B")
        self.assertGreater(disk["/"]["value"], 0)
        self.assertTrue(checks["disk_root"]["message"].startswith("DISK "))
        load = {m["name"] for m in checks["load"]["metrics"]}
        self.assertTrue({"load1", "scaled_load1"} <= load, load)

        # The text reporter wrote the summary on stdout.
        self.assertIn("nbaq monitor demo, run ", proc.stdout)
        self.assertRegex(proc.stdout, r"\n\[(PASS|WARN|FAIL)\] +orders_rows ")

        # A second run has a previous value for every metric.
        proc = nbaq_test.run_host("-c", config)
        with open(latest) as f:
            second = json.load(f)
        jsonschema.Draft202012Validator(schema).validate(second)
        if second["history_saved"]:
            rows = [c for c in second["checks"]
                    if c["name"] == "orders_rows"][0]["metrics"][0]
            self.assertEqual(rows["previous"], 12)
            self.assertEqual(rows["change_pct"], 0)


if __name__ == "__main__":
    unittest.main()
