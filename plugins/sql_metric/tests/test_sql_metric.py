"""sql_metric through the real nbaq-host, against the real PostgreSQL of the
ctest fixture `postgres`; the JSON report is what is checked."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sqlm_host import run_sql_metric  # noqa: E402

PW_ROLE = pgfixture.PW_ROLE
PASSWORD = pgfixture.PASSWORD


class SqlMetricTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pgfixture.psql("""
            DROP SCHEMA IF EXISTS sqlm_py CASCADE;
            CREATE SCHEMA sqlm_py;
            CREATE TABLE sqlm_py.events (region text, late boolean);
            INSERT INTO sqlm_py.events VALUES
              ('eu', true), ('eu', false), ('eu', true),
              ('us', false), ('us', false), ('apac', true)""")

    @classmethod
    def tearDownClass(cls):
        pgfixture.psql("DROP SCHEMA IF EXISTS sqlm_py CASCADE")

    def run_check(self, query, thresholds="", dsn=None, extra=""):
        return run_sql_metric(self, query, dsn or pgfixture.admin_url(),
                              thresholds=thresholds, extra=extra)

    def test_one_number_with_threshold(self):
        # late rows: eu 2, apac 1 -> 3
        proc, check, m = self.run_check(
            "SELECT count(*) FROM sqlm_py.events WHERE late",
            thresholds="""    thresholds:
      late_events:
        fail_above: 2
""")
        self.assertEqual(m["late_events"]["value"], 3)
        self.assertEqual(m["late_events"]["unit"], "events")
        self.assertEqual(m["late_events"]["status"], "FAIL")
        self.assertEqual(check["status"], "FAIL")
        self.assertEqual(proc.returncode, 2)

    def test_label_rows(self):
        # per region: apac 1, eu 2, us 0
        proc, check, m = self.run_check(
            "SELECT region, count(*) FILTER (WHERE late) FROM sqlm_py.events "
            "GROUP BY region",
            thresholds="""    thresholds:
      "late_events.*":
        warn_above: 1
""")
        self.assertEqual(sorted(m), ["late_events.apac", "late_events.eu",
                                     "late_events.us"])
        self.assertEqual(m["late_events.apac"]["value"], 1)
        self.assertEqual(m["late_events.eu"]["value"], 2)
        self.assertEqual(m["late_events.us"]["value"], 0)
        self.assertEqual(m["late_events.eu"]["status"], "WARNING")
        self.assertEqual(check["status"], "WARNING")

    def test_no_rows_and_non_numbers_are_errors(self):
        cases = [
            ("SELECT 1 FROM sqlm_py.events WHERE false",
             "query for late_events: the query returned no rows"),
            ("SELECT region FROM sqlm_py.events LIMIT 1",
             "query for late_events: row 1, column \"region\": \"eu\" is "
             "not a number"),
            ("SELECT max(1) FROM sqlm_py.events WHERE false",
             "query for late_events: row 1, column \"max\": the value is "
             "NULL"),
            ("SELECT count(*) FROM sqlm_py.nosuch",
             "query for late_events: PostgreSQL: query: relation "
             "\"sqlm_py.nosuch\" does not exist (SQLSTATE 42P01)"),
            ("DELETE FROM sqlm_py.events RETURNING 1",
             "query for late_events: PostgreSQL: query: cannot execute "
             "DELETE in a read-only transaction (SQLSTATE 25006)"),
            ("SELECT 1; DELETE FROM sqlm_py.events",
             "query for late_events: PostgreSQL: query: not a plain query "
             "(only SELECT, VALUES, TABLE or WITH ... SELECT are run): "
             "cannot insert multiple "
             "commands into a prepared statement (SQLSTATE 42601)"),
        ]
        for query, message in cases:
            with self.subTest(query=query):
                proc, check, m = self.run_check(query)
                self.assertEqual(check["status"], "ERROR")
                self.assertEqual(check["message"], message)
                self.assertEqual(m, {})
                self.assertEqual(proc.returncode, 3)
        self.assertEqual(pgfixture.psql("SELECT count(*) FROM sqlm_py.events"),
                         "6")

    def test_utility_statements_never_run(self):
        """As superuser (the fixture's admin URL): COPY ... TO a file would
        write it on the server, a DO block would insert. Neither runs."""
        d = nbaq_test.temp_dir(self)
        os.chmod(d, 0o777)  # the server may run as another user
        target = os.path.join(d, "stolen.csv")
        pgfixture.psql("CREATE TABLE sqlm_py.victim (n int)")
        self.addCleanup(pgfixture.psql, "DROP TABLE sqlm_py.victim")
        cases = [
            f"COPY (SELECT 1) TO '{target}'",
            "DO 'BEGIN INSERT INTO sqlm_py.victim VALUES (1); END'",
            "SET search_path = sqlm_py",
            "CALL no_such_procedure()",
            "EXPLAIN SELECT 1",
        ]
        for query in cases:
            with self.subTest(query=query):
                proc, check, m = self.run_check(query)
                self.assertEqual(check["status"], "ERROR")
                self.assertTrue(check["message"].startswith(
                    "query for late_events: PostgreSQL: query: "
                    "not a plain query"),
                    check["message"])
                self.assertEqual(m, {})
        self.assertFalse(os.path.exists(target))
        self.assertEqual(
            pgfixture.psql("SELECT count(*) FROM sqlm_py.victim"), "0")

    def test_statement_timeout(self):
        proc, check, m = self.run_check(
            "SELECT count(*) FROM sqlm_py.events, pg_sleep(5)",
            extra="      statement_timeout: 300ms\n")
        self.assertEqual(check["status"], "ERROR")
        self.assertEqual(check["message"],
                         "query for late_events: PostgreSQL: query: "
                         "canceling statement due to statement timeout "
                         "(statement_timeout 300 ms)")

    def test_wrong_password_is_never_shown(self):
        pgfixture.require_password()
        wrong = "N0t-" + PASSWORD
        proc, check, m = self.run_check(
            "SELECT 1", dsn=pgfixture.url_for(PW_ROLE, wrong))
        self.assertEqual(check["status"], "ERROR")
        self.assertIn("password authentication failed", check["message"])
        for text in (proc.stdout, proc.stderr, json.dumps(check)):
            self.assertNotIn(wrong, text)
            self.assertNotIn(PASSWORD, text)
        proc, check, m = self.run_check(
            "SELECT 41 + 1", dsn=pgfixture.url_for(PW_ROLE, PASSWORD))
        self.assertEqual(check["status"], "PASS")
        self.assertEqual(m["late_events"]["value"], 42)


if __name__ == "__main__":
    unittest.main(verbosity=2)
