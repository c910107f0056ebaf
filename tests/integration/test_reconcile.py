"""Reconciliation across checks (`match` thresholds, core/reconcile.c):
the bundled scrapes (config/example/data/scrapes/boxscores) on the real
s3rver of the fixture `s3rver`, counted per season by object_count, against
the games loaded into the real PostgreSQL of the fixture `postgres`,
counted per season by sql_metric. Expected figures come from the files
on disk and from psql, never from nbaq's output."""
import os
import re
import subprocess
import sys
import unittest

SOURCE = os.environ.get("NBAQ_SOURCE_DIR", "")
sys.path.insert(0, os.path.join(SOURCE, "lib", "pgconn", "tests"))
sys.path.insert(0, os.path.join(SOURCE, "lib", "objstore", "tests"))
import checker_case  # noqa: E402
import objstore_fixtures  # noqa: E402
import pgfixture  # noqa: E402
from checker_case import nbaq_test  # noqa: E402

SCRAPES = os.path.join(SOURCE, "config", "example", "data", "scrapes",
                       "boxscores")
BUCKET = f"recon-{os.getpid()}"
SCHEMA = "recon_test"


def scraped_games():
    """{season: [game ids]} from the file names on disk."""
    games = {}
    for part in sorted(os.listdir(SCRAPES)):
        season = part.split("=", 1)[1]
        games[season] = sorted(
            name[len("game-"):-len(".json")]
            for name in os.listdir(os.path.join(SCRAPES, part)))
    return games


class ReconcileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s3 = nbaq_test.service_env("s3rver")
        client = objstore_fixtures.s3_client(cls.s3["NBAQ_TEST_S3_ENDPOINT"])
        client.create_bucket(Bucket=BUCKET)
        for part in os.listdir(SCRAPES):
            for name in os.listdir(os.path.join(SCRAPES, part)):
                with open(os.path.join(SCRAPES, part, name), "rb") as f:
                    client.put_object(Bucket=BUCKET,
                                      Key=f"boxscores/{part}/{name}",
                                      Body=f.read())
        cls.games = scraped_games()

    def setUp(self):
        rows = ", ".join(f"('{g}', {season})"
                         for season, ids in self.games.items() for g in ids)
        pgfixture.psql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; "
                       f"CREATE SCHEMA {SCHEMA}; "
                       f"CREATE TABLE {SCHEMA}.games (game_id text, "
                       f"season int); "
                       f"INSERT INTO {SCHEMA}.games VALUES {rows}")

    @classmethod
    def tearDownClass(cls):
        pgfixture.psql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")

    def config(self, thresholds, extra_checks=""):
        s3 = checker_case.s3_options(self.s3, f"s3://{BUCKET}/boxscores/",
                                     by_prefix=True)
        return (checker_case.check_yaml("object_count", "scrapes", s3) +
                f"    thresholds:\n{thresholds}" + f"""  - name: games_db
    plugin: sql_metric
    options:
      dsn: "{pgfixture.admin_url()}"
      metric: games
      query: "SELECT 'rows_' || season, count(*) FROM {SCHEMA}.games
        GROUP BY season"
""" + extra_checks)

    def run_config(self, checks_yaml, *args):
        return checker_case.run_checks(self, "recon", checks_yaml, *args)

    def season_rule(self, season, **extra):
        fields = ", ".join(f"{k}: {v}" for k, v in extra.items())
        return (f'      "objects.by_prefix.season={season}":\n'
                f'        match: {{metric: "games_db/games.rows_{season}"'
                f'{", " + fields if fields else ""}}}\n')

    def db_count(self, season):
        return int(pgfixture.psql(
            f"SELECT count(*) FROM {SCHEMA}.games WHERE season = {season}"))

    def test_equal_counts_pass(self):
        rules = "".join(self.season_rule(s) for s in self.games)
        _, checks = self.run_config(self.config(rules))
        scrapes = checks["scrapes"]
        self.assertEqual(scrapes["status"], "PASS", scrapes["message"])
        m = checker_case.metrics(scrapes)
        for season, ids in self.games.items():
            self.assertEqual(m[f"objects.by_prefix.season={season}"], len(ids))
            self.assertEqual(self.db_count(season), len(ids))

    def test_missing_rows_fail_with_both_values_and_difference(self):
        season = max(self.games)
        pgfixture.psql(f"DELETE FROM {SCHEMA}.games WHERE game_id = "
                       f"'{self.games[season][0]}'")
        files, rows = len(self.games[season]), self.db_count(season)
        self.assertEqual(rows, files - 1)
        _, checks = self.run_config(self.config(
            self.season_rule(season, direction="target_at_least")))
        scrapes = checks["scrapes"]
        self.assertEqual(scrapes["status"], "FAIL")
        self.assertIn(
            f"objects.by_prefix.season={season}={files} does not match "
            f"games_db/games.rows_{season}={rows}: difference -1",
            scrapes["message"])
        metric = {m["name"]: m for m in scrapes["metrics"]}[
            f"objects.by_prefix.season={season}"]
        self.assertEqual(metric["status"], "FAIL")

    def test_tolerance_and_direction(self):
        season = max(self.games)
        extra = ", ".join(f"('x{i}', {season})" for i in range(3))
        pgfixture.psql(f"INSERT INTO {SCHEMA}.games VALUES {extra}")
        files, rows = len(self.games[season]), self.db_count(season)
        self.assertEqual(rows - files, 3)
        # The table may hold more rows than the scrape: passes.
        _, checks = self.run_config(self.config(
            self.season_rule(season, direction="target_at_least")))
        self.assertEqual(checks["scrapes"]["status"], "PASS",
                         checks["scrapes"]["message"])
        # Either way, 3 rows over `files` is beyond 1 row and 10 %...
        _, checks = self.run_config(self.config(
            self.season_rule(season, tolerance_abs=1, tolerance_pct=10,
                             status="warning")))
        self.assertEqual(checks["scrapes"]["status"], "WARNING")
        # ... and within 3 rows.
        _, checks = self.run_config(self.config(
            self.season_rule(season, tolerance_abs=3)))
        self.assertEqual(checks["scrapes"]["status"], "PASS")

    def test_missing_reference_names_check_and_metric(self):
        _, checks = self.run_config(self.config(
            '      "objects.by_prefix.season=2025":\n'
            '        match: {metric: "games_db/games.rows_1999"}\n'))
        self.assertEqual(checks["scrapes"]["status"], "FAIL")
        self.assertIn("objects.by_prefix.season=2025: match: no metric "
                      "'games.rows_1999' of check 'games_db' in this run",
                      checks["scrapes"]["message"])

    def test_reference_to_a_check_left_out_by_only(self):
        _, checks = self.run_config(
            self.config(self.season_rule("2025")), "--only", "scrapes")
        self.assertEqual(list(checks), ["scrapes"])
        self.assertEqual(checks["scrapes"]["status"], "FAIL")
        self.assertIn("no metric 'games.rows_2025' of check 'games_db' in "
                      "this run (the check was not run)",
                      checks["scrapes"]["message"])

    def test_reference_to_a_timed_out_check(self):
        slow = """  - name: slow_db
    plugin: exec
    timeout: 1s
    options:
      command: [sleep, "30"]
"""
        _, checks = self.run_config(self.config(
            '      "objects.by_prefix.season=2025":\n'
            '        match: {metric: "slow_db/games.rows_2025"}\n', slow))
        self.assertEqual(checks["slow_db"]["status"], "ERROR")
        self.assertEqual(checks["scrapes"]["status"], "FAIL")
        self.assertRegex(
            checks["scrapes"]["message"],
            r"no metric 'games.rows_2025' of check 'slow_db' in this run "
            r"\(the check ended ERROR: [^)]*timed out")

    def test_bundled_example_config(self):
        """config/reconciliation.yaml after config/example/load_scrapes.sh,
        then after the loader lost one game."""
        dsn = pgfixture.admin_url()
        subprocess.run(["sh", os.path.join(SOURCE, "config", "example",
                                           "load_scrapes.sh"), dsn],
                       check=True, capture_output=True, timeout=60,
                       env=dict(os.environ, PATH=os.path.dirname(
                           pgfixture.psql_binary()) + ":" +
                           os.environ.get("PATH", "")))
        self.addCleanup(pgfixture.psql,
                        "DROP SCHEMA IF EXISTS nba_example CASCADE")
        config = os.path.join(SOURCE, "config", "reconciliation.yaml")
        env = {"NBA_DB_DSN": dsn}
        proc = nbaq_test.run_host("-c", config, env=env)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        lost = self.games["2025"][0]
        pgfixture.psql(f"DELETE FROM nba_example.games WHERE game_id = "
                       f"'{lost}'")
        proc = nbaq_test.run_host("-c", config, env=env)
        self.assertEqual(proc.returncode, 2, proc.stdout + proc.stderr)
        self.assertIn(
            f"objects.by_prefix.season=2025={len(self.games['2025'])} does "
            f"not match games_db/games.rows_2025="
            f"{len(self.games['2025']) - 1}", proc.stdout)

    def test_check_config_rejects_unknown_check_with_suggestion(self):
        d = nbaq_test.temp_dir(self)
        path = nbaq_test.write_file(d, "monitor.yaml", "checks:\n" + self.config(
            '      "objects.by_prefix.season=2025":\n'
            '        match: {metric: "games_dbb/games.rows_2025"}\n'))
        proc = subprocess.run([nbaq_test.HOST, "-c", path, "--check-config"],
                              capture_output=True, text=True, timeout=60)
        self.assertNotEqual(proc.returncode, 0)
        self.assertRegex(
            proc.stderr,
            re.escape(path) + r":\d+:\d+: check 'scrapes': threshold "
            r"'objects.by_prefix.season=2025': match: no check named "
            r"'games_dbb' \(did you mean 'games_db'\?\)")


if __name__ == "__main__":
    unittest.main()
