"""db_quality's column rules, profiles, failed-row samples and references,
through the real nbaq-host and its JSON report, against the real
PostgreSQL of the ctest fixture `postgres`. Every expected figure is
computed here by SQL written independently of nbaq's (NOT BETWEEN, NOT IN,
LEFT JOIN ... IS NULL) or, for the profile, by Python's statistics module
over the values themselves."""
import os
import re
import statistics
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbq_host  # noqa: E402

S = "dbq_valid"

# 200 games; every broken pattern is sparse and known only through the SQL
# below (the test never counts by hand).
FIXTURE = f"""
DROP SCHEMA IF EXISTS {S} CASCADE;
CREATE SCHEMA {S};
CREATE TABLE {S}.games (game_id text, home_team text, home_pts int,
  game_date date, info json, code text, season int);
INSERT INTO {S}.games SELECT
  CASE WHEN g % 37 = 0 THEN 'G' || g WHEN g = 51 THEN '0000000050'
       ELSE '00' || lpad(g::text, 8, '0') END,
  CASE WHEN g % 10 = 0 THEN NULL
       ELSE (ARRAY['BOS', 'NYK', 'LAL', 'XXX'])[g % 4 + 1] END,
  CASE WHEN g % 15 = 0 THEN NULL ELSE g * 2 - 20 END,
  CASE WHEN g % 50 = 0 THEN current_date + 30
       ELSE date '2025-01-01' + g END,
  '{{}}', 'S' || g, 2024 + g % 2
  FROM generate_series(1, 200) g;
CREATE TABLE {S}.box (game_id text, player text, season int);
INSERT INTO {S}.box SELECT
  CASE WHEN g % 9 = 0 THEN 'missing' || g WHEN g % 13 = 0 THEN NULL
       ELSE '00' || lpad((g % 36 + 1)::text, 8, '0') END,
  'p' || g, 2024 + g % 2
  FROM generate_series(1, 120) g;
"""

TABLE = f"""        - name: {S}.games
          key_columns: [game_id]
          critical_columns: [home_pts, home_team]
          columns:
            home_pts: {{min: 0, max: 250, profile: quantiles}}
            home_team: {{values: [BOS, NYK, LAL]}}
            game_id: {{regex: '^00[0-9]{{8}}$', unique: true}}
            game_date: {{not_future: true}}
            code: {{min_length: 3, max_length: 3}}
"""


def sql_count(where, table="games"):
    return int(pgfixture.psql(
        f"SELECT count(*) FROM {S}.{table} WHERE {where}"))


class DbValidityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pgfixture.psql(FIXTURE)

    @classmethod
    def tearDownClass(cls):
        pgfixture.psql(f"DROP SCHEMA IF EXISTS {S} CASCADE")

    def run_check(self, tables, thresholds=""):
        _, check, metrics = dbq_host.run_db_quality(
            self, tables, pgfixture.admin_url(), thresholds=thresholds)
        return check, metrics

    def samples(self, message, column):
        """The key values shown after 'column "x": ... e.g. '."""
        match = re.search(
            rf'column "{column}": \d+ invalid values? \([^)]*\), e\.g\. '
            r'((?:game_id=[^,;]+(?:, )?)+)', message)
        self.assertIsNotNone(match, message)
        return re.findall(r"game_id=([^,;]+)", match.group(1))

    def test_validity_counts_match_independent_sql(self):
        check, m = self.run_check(TABLE)
        expected = {
            "home_pts": sql_count("home_pts NOT BETWEEN 0 AND 250"),
            "home_team": sql_count("home_team NOT IN ('BOS', 'NYK', 'LAL')"),
            "game_id": sql_count("NOT (game_id SIMILAR TO '00[0-9]{8}')") +
            int(pgfixture.psql(
                f"SELECT count(game_id) - count(DISTINCT game_id) "
                f"FROM {S}.games")),
            "game_date": sql_count("game_date > current_date"),
            "code": sql_count("length(code) <> 3"),
        }
        for column, invalid in expected.items():
            with self.subTest(column=column):
                self.assertGreater(invalid, 0)
                name = f"{S}.games.{column}"
                self.assertEqual(m[name + ".invalid_count"]["value"], invalid)
                values = sql_count(f"{column} IS NOT NULL")
                self.assertAlmostEqual(m[name + ".invalid_pct"]["value"],
                                       invalid * 100 / values)
        # The rules alone judge nothing: thresholds do.
        self.assertEqual(check["status"], "PASS", check["message"])

    def test_samples_are_keys_of_offending_rows(self):
        check, _ = self.run_check(TABLE)
        shown = self.samples(check["message"], "home_pts")
        self.assertEqual(len(shown), 5)
        for key in shown:
            self.assertEqual(sql_count(
                f"game_id = '{key}' AND home_pts NOT BETWEEN 0 AND 250"), 1,
                key)
        shown = self.samples(check["message"], "home_team")
        for key in shown:
            self.assertEqual(sql_count(
                f"game_id = '{key}' AND home_team = 'XXX'"), 1, key)
        self.assertIn('column "game_id": 1 repeated value (unique), '
                      'e.g. game_id=0000000050', check["message"])

    def test_thresholds_judge_invalid_counts(self):
        check, m = self.run_check(TABLE, thresholds="""    thresholds:
      "*.home_pts.invalid_count":
        fail_above: 0
""")
        self.assertEqual(check["status"], "FAIL")
        self.assertEqual(m[f"{S}.games.home_pts.invalid_count"]["status"],
                         "FAIL")
        self.assertIn(f"{S}.games.home_pts.invalid_count=", check["message"])

    def test_profile_matches_python_statistics(self):
        _, m = self.run_check(TABLE)
        values = [int(v) for v in pgfixture.psql(
            f"SELECT home_pts FROM {S}.games WHERE home_pts IS NOT NULL "
            "ORDER BY 1").split()]
        p = f"{S}.games.home_pts."
        self.assertEqual(m[p + "min"]["value"], min(values))
        self.assertEqual(m[p + "max"]["value"], max(values))
        self.assertAlmostEqual(m[p + "mean"]["value"], statistics.mean(values))
        self.assertAlmostEqual(m[p + "stddev"]["value"],
                               statistics.stdev(values))
        self.assertEqual(m[p + "distinct"]["value"], len(set(values)))
        # percentile_cont interpolates linearly between the closest ranks.
        for name, q in (("p50", 0.5), ("p95", 0.95)):
            rank = q * (len(values) - 1)
            low = int(rank)
            expected = values[low] + (rank - low) * (
                values[min(low + 1, len(values) - 1)] - values[low])
            self.assertAlmostEqual(m[p + name]["value"], expected)

    def test_samples_off_and_secret_columns(self):
        check, m = self.run_check(f"""        - name: {S}.games
          samples: 0
          columns:
            - {{name: home_pts, min: 0}}
        - name: {S}.box
          columns:
            - {{name: player, secret: true, regex: '^x'}}
""")
        self.assertGreater(m[f"{S}.games.home_pts.invalid_count"]["value"], 0)
        self.assertEqual(m[f"{S}.box.player.invalid_count"]["value"], 120)
        self.assertNotIn("e.g.", check["message"])
        self.assertNotRegex(check["message"], r"p\d")

    def orphans(self, where=""):
        """Orphans by LEFT JOIN, and the ones among them matching where."""
        return int(pgfixture.psql(
            f"SELECT count(*) FROM {S}.box b LEFT JOIN {S}.games g "
            f"USING (game_id) WHERE b.game_id IS NOT NULL "
            f"AND g.game_id IS NULL {where}"))

    def test_column_reference_counts_orphans(self):
        check, m = self.run_check(f"""        - name: {S}.box
          key_columns: [player]
          columns:
            - name: game_id
              references: {{table: {S}.games, column: game_id}}
""")
        self.assertEqual(m[f"{S}.box.game_id.orphans"]["value"],
                         self.orphans())
        shown = re.findall(r"player=(p\d+)", check["message"])
        self.assertEqual(len(shown), 5, check["message"])
        for player in shown:
            self.assertEqual(self.orphans(f"AND b.player = '{player}'"), 1)

    def test_key_reference_with_filter_counts_recent_orphans(self):
        _, m = self.run_check(f"""        - name: {S}.box
          references:
            - columns: [game_id]
              table: {S}.games
              ref_columns: [game_id]
              filter: "season = 2025"
""")
        recent = self.orphans("AND b.season = 2025")
        self.assertGreater(self.orphans(), recent)
        self.assertGreater(recent, 0)
        self.assertEqual(m[f"{S}.box.game_id.orphans"]["value"], recent)

    def test_bad_rules_name_table_column_and_rule(self):
        cases = {
            "{name: home_ptz, min: 0}":
                'column "home_ptz" (rule min): does not exist',
            "{name: game_id, regex: '(['}":
                'PostgreSQL: column "game_id": rule regex: invalid regular '
                'expression',
            "{name: home_team, min: 0}":
                'column "home_team" (text): rule min needs a number',
            "{name: info, values: [a]}":
                'column "info" (json): rule values JSON values cannot be '
                'compared',
            "{name: home_pts, max: lots}":
                'column "home_pts" (integer): rule max: "lots" is not an '
                'integer',
        }
        for rule, expected in cases.items():
            with self.subTest(rule=rule):
                check, m = self.run_check(f"""        - name: {S}.games
          columns:
            - {rule}
        - name: {S}.box
          columns:
            - {{name: season, min: 2025}}
""")
                self.assertEqual(check["status"], "ERROR")
                self.assertIn(f"{S}.games: {expected}", check["message"])
                # The other table is still measured.
                self.assertEqual(m[f"{S}.box.season.invalid_count"]["value"],
                                 sql_count("season < 2025", "box"))


if __name__ == "__main__":
    unittest.main()
