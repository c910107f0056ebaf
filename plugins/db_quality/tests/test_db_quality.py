"""db_quality through the real nbaq-host, against the real PostgreSQL of the
ctest fixture `postgres`. Figures are worked out by hand from the fixture
(see FIXTURE); the JSON report is what is checked."""
import json
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dbq_host  # noqa: E402

READER = "nbaq_dbq_py_reader"
PW_ROLE = pgfixture.PW_ROLE
PASSWORD = pgfixture.PASSWORD

# dbq_py.orders, 20 rows, id 1..20:
#   customer NULL when id % 4 = 0: ids 4 8 12 16 20        -> 5 (25 %)
#   amount   NULL when id % 5 = 0: ids 5 10 15 20          -> 4 (20 %)
#   both present: 20 - |{4,5,8,10,12,15,16,20}| = 12       -> 60 %
#   code: id, except 2 and 3 -> 1, 7 -> 6, 9 -> NULL: 1 three times,
#     6 twice -> 3 duplicate rows over 2 key values
FIXTURE = f"""
DROP SCHEMA IF EXISTS dbq_py CASCADE;
CREATE SCHEMA dbq_py;
CREATE TABLE dbq_py.orders (id int NOT NULL, customer text,
  amount numeric(10,2), code int, created_at timestamptz);
INSERT INTO dbq_py.orders SELECT g,
  CASE WHEN g % 4 = 0 THEN NULL ELSE 'c' || g END,
  CASE WHEN g % 5 = 0 THEN NULL ELSE g * 1.5 END,
  CASE WHEN g IN (2, 3) THEN 1 WHEN g = 7 THEN 6 WHEN g = 9 THEN NULL
       ELSE g END,
  now() - interval '2 hours'
  FROM generate_series(1, 20) g;
CREATE TABLE dbq_py.empty (id int, v text);
CREATE TABLE dbq_py.secret (id int, v text);
CREATE TABLE dbq_py.victim (id int);
INSERT INTO dbq_py.victim VALUES (1), (2), (3);
DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{READER}')
  THEN CREATE ROLE {READER} LOGIN; END IF; END$$;
GRANT USAGE ON SCHEMA dbq_py TO {READER};
GRANT SELECT ON dbq_py.orders, dbq_py.empty, dbq_py.victim TO {READER};
"""

ORDERS = """
        - name: dbq_py.orders
          critical_columns: [customer, amount]
          key_columns: [code]
          expected_columns:
            - {name: id, type: int, nullable: false}
            - {name: amount, type: "numeric(10,2)"}
          min_rows: 10
          freshness_column: created_at
          max_age: 3h
"""


class DbQualityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pgfixture.psql(FIXTURE)

    @classmethod
    def tearDownClass(cls):
        pgfixture.psql("DROP SCHEMA IF EXISTS dbq_py CASCADE")

    def run_check(self, tables, extra_options="", thresholds="",
                  dsn=None, history=False, d=None):
        """Runs one db_quality check (in directory d, a new one by default);
        returns (process, check, metrics by name)."""
        return dbq_host.run_db_quality(
            self, tables, dsn or pgfixture.url_for(READER),
            extra_options=extra_options, thresholds=thresholds,
            history=history, d=d)

    def value(self, metrics, name):
        self.assertIn(name, metrics)
        return metrics[name]["value"]

    def test_exact_figures_and_glob_thresholds(self):
        proc, check, m = self.run_check(ORDERS, thresholds="""
    thresholds:
      "*.null_pct":
        warn_above: 22
      "*.duplicate_keys":
        fail_above: 5
""")
        self.assertEqual(self.value(m, "dbq_py.orders.rows"), 20)
        self.assertEqual(self.value(m, "dbq_py.orders.customer.nulls"), 5)
        self.assertEqual(self.value(m, "dbq_py.orders.customer.null_pct"), 25)
        self.assertEqual(self.value(m, "dbq_py.orders.amount.nulls"), 4)
        self.assertEqual(self.value(m, "dbq_py.orders.amount.null_pct"), 20)
        self.assertEqual(self.value(m, "dbq_py.orders.completeness_pct"), 60)
        self.assertEqual(self.value(m, "dbq_py.orders.incomplete_rows"), 8)
        self.assertEqual(self.value(m, "dbq_py.orders.duplicate_keys"), 3)
        self.assertEqual(
            self.value(m, "dbq_py.orders.duplicate_key_values"), 2)
        self.assertEqual(
            self.value(m, "dbq_py.orders.schema.missing_columns"), 0)
        self.assertEqual(
            self.value(m, "dbq_py.orders.schema.type_mismatches"), 0)
        age = self.value(m, "dbq_py.orders.freshness_age_s")
        self.assertTrue(7200 <= age < 7200 + 120, age)
        self.assertEqual(m["dbq_py.orders.customer.null_pct"]["unit"], "%")
        # The glob threshold judged 25 % (above 22) and left 20 % alone.
        self.assertEqual(m["dbq_py.orders.customer.null_pct"]["status"],
                         "WARNING")
        self.assertEqual(m["dbq_py.orders.amount.null_pct"]["status"],
                         "PASS")
        self.assertEqual(m["dbq_py.orders.duplicate_keys"]["status"], "PASS")
        self.assertEqual(check["status"], "WARNING")
        self.assertEqual(proc.returncode, 1, proc.stderr)

    def test_failing_tables_beside_healthy_one(self):
        tables = ORDERS + """
        - name: dbq_py.secret
          critical_columns: [v]
        - name: dbq_py.nosuch
        - name: dbq_py.empty
          critical_columns: [v]
        - name: dbq_py.victim
          critical_columns: [nope]
"""
        proc, check, m = self.run_check(tables)
        self.assertEqual(check["status"], "ERROR")
        self.assertEqual(proc.returncode, 3)
        msg = check["message"]
        self.assertIn("dbq_py.secret: PostgreSQL: counting rows and NULLs: permission "
                      "denied for table secret", msg)
        self.assertIn("dbq_py.nosuch: PostgreSQL: reading columns: relation "
                      "\"dbq_py.nosuch\" does not exist", msg)
        self.assertIn("dbq_py.empty: no rows: NULL rates and completeness "
                      "are undefined", msg)
        self.assertIn("dbq_py.victim: critical column \"nope\" does not "
                      "exist", msg)
        self.assertEqual(self.value(m, "dbq_py.orders.rows"), 20)
        self.assertEqual(self.value(m, "dbq_py.orders.completeness_pct"), 60)
        self.assertEqual(self.value(m, "dbq_py.empty.rows"), 0)
        self.assertNotIn("dbq_py.empty.v.null_pct", m)
        self.assertNotIn("dbq_py.secret.rows", m)

    def test_injection_in_names_drops_nothing(self):
        tables = """
        - name: "x; DROP TABLE dbq_py.victim"
        - name: "dbq_py.victim; DROP TABLE dbq_py.victim"
        - name: dbq_py.victim
          critical_columns: ['id"); DROP TABLE dbq_py.victim; --']
"""
        # As the superuser: only the quoting stands in the way.
        proc, check, m = self.run_check(tables, dsn=pgfixture.admin_url())
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("relation \"dbq_py.victim; DROP TABLE dbq_py.victim\" "
                      "does not exist", check["message"])
        self.assertIn("schema \"x; DROP TABLE dbq_py\" does not exist",
                      check["message"])
        self.assertIn("critical column \"id\"); DROP TABLE dbq_py.victim; "
                      "--\" does not exist", check["message"])
        self.assertEqual(
            pgfixture.psql("SELECT count(*) FROM dbq_py.victim"), "3")

    def test_statement_timeout(self):
        tables = """
        - name: dbq_py.orders
          filter: pg_sleep(0.2) IS NOT NULL
        - name: dbq_py.victim
"""
        proc, check, m = self.run_check(
            tables, extra_options="      statement_timeout: 500ms\n")
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("dbq_py.orders: PostgreSQL: counting rows and NULLs: canceling "
                      "statement due to statement timeout (statement_timeout "
                      "500 ms)", check["message"])
        self.assertEqual(self.value(m, "dbq_py.victim.rows"), 3)

    def test_statement_ends_before_the_check_timeout(self):
        # statement_timeout 5m, but the check may run only 3s: the query is
        # cancelled by the server a second before the host would stop the
        # check, so the table is named with the reason.
        d = nbaq_test.temp_dir(self)
        path = nbaq_test.write_file(d, "monitor.yaml", """monitor: dbq_deadline
timeout: 3s
checks:
  - name: tables
    plugin: db_quality
    options:
      dsn: "${NBAQ_DBQ_DSN}"
      statement_timeout: 5m
      tables:
        - name: dbq_py.orders
          filter: pg_sleep(10) IS NOT NULL
reporters:
  - plugin: json
    options:
      output: report.json
""")
        proc = nbaq_test.run_host(
            "-c", path, env={"NBAQ_DBQ_DSN": pgfixture.url_for(READER)})
        with open(os.path.join(d, "report.json")) as f:
            check = json.load(f)["checks"][0]
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("dbq_py.orders: PostgreSQL: counting rows and NULLs: canceling "
                      "statement due to statement timeout", check["message"])

    def test_wrong_password_is_never_shown(self):
        pgfixture.require_password()
        wrong = "N0t-" + PASSWORD
        proc, check, m = self.run_check(
            "        - name: dbq_py.orders\n",
            dsn=pgfixture.url_for(PW_ROLE, wrong))
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("password authentication failed for user "
                      f"\"{PW_ROLE}\"", check["message"])
        self.assertIn("not measured: dbq_py.orders", check["message"])
        for text in (proc.stdout, proc.stderr, json.dumps(check)):
            self.assertNotIn(wrong, text)
            self.assertNotIn(PASSWORD, text)

    def test_server_drops_a_worker_and_refuses_its_reconnect(self):
        # The server ends the check's connection during its first table and
        # refuses the login again: the later tables are errors naming why,
        # and the plugin does not crash on the missing connection.
        role = "nbaq_dbq_py_doomed"
        pgfixture.psql(f"""
DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}')
  THEN CREATE ROLE {role} LOGIN; END IF; END$$;
ALTER ROLE {role} LOGIN;
CREATE OR REPLACE VIEW dbq_py.slow AS SELECT 1 AS id FROM pg_sleep(30);
GRANT USAGE ON SCHEMA dbq_py TO {role};
GRANT SELECT ON dbq_py.slow, dbq_py.orders, dbq_py.victim TO {role};""")
        self.addCleanup(pgfixture.psql, f"DROP VIEW IF EXISTS dbq_py.slow; "
                        f"DROP OWNED BY {role}; DROP ROLE {role}")

        def end_the_session():
            active = f"""SELECT pid FROM pg_stat_activity
                WHERE usename = '{role}' AND query LIKE '%dbq_py%slow%'"""
            self.assertTrue(nbaq_test.wait_until(
                lambda: pgfixture.psql(active).strip(), 20),
                "the slow table's query never started")
            pgfixture.psql(f"ALTER ROLE {role} NOLOGIN; SELECT "
                           f"pg_terminate_backend(pid) FROM ({active}) a")
        killer = threading.Thread(target=end_the_session)
        killer.start()
        tables = ("        - name: dbq_py.slow\n"
                  "        - name: dbq_py.orders\n"
                  "        - name: dbq_py.victim\n")
        proc, check, m = dbq_host.run_db_quality(
            self, tables, pgfixture.url_for(role), concurrency=1)
        killer.join()
        self.assertEqual(check["status"], "ERROR", check["message"])
        self.assertNotIn("crashed", check["message"])
        for table in ("dbq_py.orders", "dbq_py.victim"):
            self.assertRegex(check["message"], table + r": [^;]*not "
                             r"permitted to log in")

    def test_unreachable_server(self):
        proc, check, m = self.run_check(
            "        - name: dbq_py.orders\n",
            dsn="postgresql://u:Hunter2Secret@127.0.0.1:1/db",
            extra_options="      connect_timeout: 3s\n")
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("could not connect", check["message"])
        self.assertIn("Connection refused", check["message"])
        self.assertNotIn("Hunter2Secret", proc.stderr + json.dumps(check))

    def test_schema_drift_across_runs(self):
        pgfixture.psql("DROP TABLE IF EXISTS dbq_py.drifting;"
                       "CREATE TABLE dbq_py.drifting (id int, v text);"
                       f"GRANT SELECT ON dbq_py.drifting TO {READER}")
        d = nbaq_test.temp_dir(self)
        tables = "        - name: dbq_py.drifting\n"
        # Both runs share one history store: history.db in d.
        proc, check, m = self.run_check(tables, d=d, history=True)
        self.assertEqual(self.value(m, "dbq_py.drifting.schema.drift"), 0)
        self.assertIn("no previous schema", check["message"])
        pgfixture.psql("ALTER TABLE dbq_py.drifting ADD COLUMN added date;"
                       "ALTER TABLE dbq_py.drifting ALTER v TYPE varchar(5)")
        proc, check, m = self.run_check(tables, d=d, history=True)
        self.assertEqual(self.value(m, "dbq_py.drifting.schema.drift"), 2)
        self.assertIn("dbq_py.drifting: schema drift: column \"v\" retyped "
                      "text -> character varying(5), column \"added\" added "
                      "(date)", check["message"])

    def test_config_mistakes(self):
        d = nbaq_test.temp_dir(self)
        path = nbaq_test.write_file(d, "monitor.yaml", """monitor: bad
checks:
  - name: tables
    plugin: db_quality
    options:
      dsn: "host=127.0.0.1"
      tables:
        - name: t
          critical_colums: [a]
""")
        proc = nbaq_test.run_host("-c", path, "--check-config")
        self.assertEqual(proc.returncode, 78, proc.stderr)
        self.assertIn("critical_colums", proc.stderr)
        self.assertIn("critical_columns", proc.stderr)  # the suggestion

        proc, check, m = self.run_check(
            "        - name: dbq_py.orders\n          max_age: 1h\n")
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("max_age needs freshness_column", check["message"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
