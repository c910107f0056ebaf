"""db_quality's `backfill:` through the real nbaq-host, against the real
PostgreSQL of the ctest fixture `postgres`: the first run already has 28
days of history for <table>.rows_per_day, so that its anomaly rule judges
the very first value. The expected daily counts are computed here by a
second, independent SQL query (to_char of the UTC date), not taken from
the plugin."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

READER = "nbaq_dbq_bf_reader"
DAY_MS = 86400000

# Day d before today (UTC) holds 100 + (d * 7) % 13 rows, d = 1..40, at
# 10:00 and spread over the day; 3 rows today, which no count includes.
# `quiet` is the same, except that yesterday holds 5 rows.
FIXTURE = f"""
DROP SCHEMA IF EXISTS dbq_bf CASCADE;
CREATE SCHEMA dbq_bf;
CREATE TABLE dbq_bf.events (id serial, loaded_at timestamptz NOT NULL);
CREATE TABLE dbq_bf.quiet (id serial, loaded_at timestamp NOT NULL);
INSERT INTO dbq_bf.events (loaded_at)
  SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
         - d * interval '1 day' + (r % 20) * interval '1 hour'
  FROM generate_series(1, 40) d, generate_series(1, 100 + (d * 7) % 13) r;
INSERT INTO dbq_bf.events (loaded_at)
  SELECT date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
  FROM generate_series(1, 3);
INSERT INTO dbq_bf.quiet (loaded_at)
  SELECT (loaded_at AT TIME ZONE 'UTC') FROM dbq_bf.events
  WHERE loaded_at < date_trunc('day', now() AT TIME ZONE 'UTC')
                    AT TIME ZONE 'UTC' - interval '1 day';
INSERT INTO dbq_bf.quiet (loaded_at)
  SELECT date_trunc('day', now() AT TIME ZONE 'UTC') - interval '20 hours'
  FROM generate_series(1, 5);
DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}')
  THEN CREATE ROLE {READER} LOGIN; END IF; END$$;
GRANT USAGE ON SCHEMA dbq_bf TO {READER};
GRANT SELECT ON ALL TABLES IN SCHEMA dbq_bf TO {READER};
"""


def daily_counts(table):
    """{'YYYY-MM-DD': rows} by UTC day, from the database itself."""
    out = pgfixture.psql(
        "SELECT to_char(loaded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*)"
        f" FROM dbq_bf.{table} GROUP BY 1" if table == "events" else
        "SELECT to_char(loaded_at, 'YYYY-MM-DD'), count(*)"
        f" FROM dbq_bf.{table} GROUP BY 1")
    return {day: int(n) for day, n in
            (line.split("|") for line in out.splitlines())}


def utc_day(ms):
    import datetime
    return datetime.datetime.fromtimestamp(
        ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%d")


class DbQualityBackfillTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pgfixture.psql(FIXTURE)

    @classmethod
    def tearDownClass(cls):
        pgfixture.psql("DROP SCHEMA IF EXISTS dbq_bf CASCADE")

    def setUp(self):
        self.dir = nbaq_test.temp_dir(self)

    def host(self, table, *args, column="loaded_at"):
        config = f"""monitor: dbq_bf
history:
  url: history.db
checks:
  - name: loads
    plugin: db_quality
    options:
      dsn: "${{NBAQ_DBQ_DSN}}"
      tables:
        - name: dbq_bf.{table}
          backfill: {{column: {column}, days: 28}}
    thresholds:
      "*.rows_per_day":
        anomaly: {{min_history: 7, status: fail}}
reporters:
  - plugin: json
    options:
      output: report.json
"""
        path = nbaq_test.write_file(self.dir, "monitor.yaml", config)
        return nbaq_test.run_host(
            "-c", path, *args, env={"NBAQ_DBQ_DSN": pgfixture.url_for(READER)})

    def report_metric(self, name):
        with open(os.path.join(self.dir, "report.json")) as f:
            check = json.load(f)["checks"][0]
        return check, {m["name"]: m for m in check["metrics"]}[name]

    def stored(self, metric):
        show = self.host("events", "history", "show", "--check", "loads",
                         "--metric", metric, "--since", "60d", "--json")
        self.assertEqual(show.returncode, 0, show.stderr)
        return json.loads(show.stdout)["values"]

    def expect_backfill(self, values, counts, run_ms):
        """28 past values, one a day before the run, each the rows of the
        UTC day before its own day; then this run's value (yesterday)."""
        self.assertEqual(len(values), 29)
        for k, v in zip(range(28, 0, -1), values[:28]):
            # stamped by the plugin's clock, k days before its own now,
            # which is a little after the run started
            self.assertGreaterEqual(v["ts_ms"], run_ms - k * DAY_MS)
            self.assertLess(v["ts_ms"], run_ms - k * DAY_MS + 60000)
            self.assertEqual(v["reason"], "backfilled")
            day_before = utc_day(v["ts_ms"] - DAY_MS)
            self.assertEqual(v["value"], counts.get(day_before, 0), day_before)
        self.assertEqual(values[28]["value"],
                         counts[utc_day(values[28]["ts_ms"] - DAY_MS)])

    def test_first_run_has_a_baseline(self):
        proc = self.host("events")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        check, m = self.report_metric("dbq_bf.events.rows_per_day")
        counts = daily_counts("events")
        values = self.stored("dbq_bf.events.rows_per_day")
        self.expect_backfill(values, counts, values[28]["ts_ms"])
        # the first run's value was judged against the 28 days
        self.assertEqual(m["status"], "PASS", m["reason"])
        self.assertFalse(m["anomalous"])
        self.assertEqual(m["previous"], values[27]["value"])
        self.assertEqual(len(m["history"]), 29)
        # a second run adds one value and backfills nothing again
        proc = self.host("events")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        values = self.stored("dbq_bf.events.rows_per_day")
        self.assertEqual(len(values), 30)
        self.assertEqual(sum(v["reason"] == "backfilled" for v in values), 28)

    def test_first_value_judged_anomalous(self):
        proc = self.host("quiet")
        check, m = self.report_metric("dbq_bf.quiet.rows_per_day")
        counts = daily_counts("quiet")
        yesterday = utc_day(
            self.stored("dbq_bf.quiet.rows_per_day")[-1]["ts_ms"] - DAY_MS)
        self.assertEqual(counts[yesterday], 5)
        self.assertEqual(m["value"], 5)
        self.assertTrue(m["anomalous"], m)
        self.assertEqual(m["status"], "FAIL")
        self.assertTrue(m["reason"].startswith("anomaly: 5 vs"), m["reason"])
        self.assertEqual(proc.returncode, 2, proc.stderr)

    def test_missing_column_is_an_error_naming_it(self):
        self.host("events", column="no_such")
        with open(os.path.join(self.dir, "report.json")) as f:
            check = json.load(f)["checks"][0]
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("dbq_bf.events: rows_per_day:", check["message"])
        self.assertIn('column "no_such" does not exist', check["message"])
        self.assertEqual(self.stored("dbq_bf.events.rows_per_day"), [])

if __name__ == "__main__":
    unittest.main(verbosity=2)
