"""sql_metric through the real nbaq-host on MariaDB, and on PostgreSQL and
MariaDB over ODBC (fixtures postgres, mariadb, odbc). The rows are loaded
through each engine's own client; the expected numbers come from the rows
written here, and writes are proven refused by counting afterwards."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "sqlengine", "tests"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mariadbfixture import mariadb, use_odbc_fixture  # noqa: E402
from sqlm_host import run_sql_metric  # noqa: E402

# (region, late) rows, loaded into both servers.
ROWS = [("eu", 1), ("eu", 0), ("eu", 1), ("us", 0), ("us", 0), ("apac", 1),
        ("apac", 1), ("us", 1)]


ENGINES = {
    "mariadb": lambda: nbaq_test.service_env("mariadb")[
        "NBAQ_TEST_MARIADB_URL"],
    "odbc-postgresql": lambda: nbaq_test.service_env("odbc")[
        "NBAQ_TEST_ODBC_PG"],
    "odbc-mariadb": lambda: nbaq_test.service_env("odbc")[
        "NBAQ_TEST_ODBC_MARIADB"],
}
SERVER = {"mariadb": "mariadb", "odbc-postgresql": "postgres",
          "odbc-mariadb": "mariadb"}


def row_count(server):
    sql = "SELECT COUNT(*) FROM sqlm_events"
    return int(mariadb(sql) if server == "mariadb" else pgfixture.psql(sql))


class SqlMetricEnginesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        values = ", ".join(f"('{r}', {late})" for r, late in ROWS)
        create = ("CREATE TABLE sqlm_events (region varchar(10), "
                  "late integer)")
        mariadb("DROP TABLE IF EXISTS sqlm_events")
        mariadb(create)
        mariadb(f"INSERT INTO sqlm_events VALUES {values}")
        pgfixture.psql(f"DROP TABLE IF EXISTS sqlm_events; {create}; "
                       f"INSERT INTO sqlm_events VALUES {values}")
        use_odbc_fixture()

    def run_check(self, engine, query):
        _, check, m = run_sql_metric(self, query, ENGINES[engine]())
        return check, {name: v["value"] for name, v in m.items()}

    def test_numbers_on_every_engine(self):
        late = sum(late for _, late in ROWS)
        per_region = {}
        for region, is_late in ROWS:
            per_region[region] = per_region.get(region, 0) + is_late
        for engine in ENGINES:
            with self.subTest(engine=engine):
                check, m = self.run_check(
                    engine, "SELECT SUM(late) FROM sqlm_events")
                self.assertEqual(check["status"], "PASS", check["message"])
                self.assertEqual(m, {"late_events": late})
                check, m = self.run_check(
                    engine, "SELECT region, SUM(late) FROM sqlm_events "
                    "GROUP BY region")
                self.assertEqual(
                    m, {f"late_events.{r}": n for r, n in per_region.items()})

    def test_writes_refused_and_data_unchanged(self):
        writes = ["DELETE FROM sqlm_events",
                  "UPDATE sqlm_events SET late = 0",
                  "INSERT INTO sqlm_events VALUES ('x', 1)",
                  "DROP TABLE sqlm_events",
                  "CREATE TABLE sqlm_written (x integer)"]
        for engine in ENGINES:
            for query in writes:
                with self.subTest(engine=engine, query=query):
                    check, m = self.run_check(engine, query)
                    self.assertEqual(check["status"], "ERROR")
                    self.assertTrue(check["message"].startswith(
                        "query for late_events: "), check["message"])
                    self.assertEqual(m, {})
            self.assertEqual(row_count(SERVER[engine]), len(ROWS))
        self.assertEqual(mariadb("SELECT SUM(late) FROM sqlm_events"),
                         str(sum(late for _, late in ROWS)))
        self.assertEqual(mariadb(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_name = 'sqlm_written'"), "0")

    def test_errors_name_the_engine_and_step(self):
        cases = {
            "mariadb": "MariaDB: query: Table 'nbaq_test.sqlm_nosuch' "
                       "doesn't exist",
            "odbc-postgresql": "ODBC (PostgreSQL): query: ",
            "odbc-mariadb": "ODBC (MariaDB): query: ",
        }
        for engine, prefix in cases.items():
            with self.subTest(engine=engine):
                check, _ = self.run_check(
                    engine, "SELECT COUNT(*) FROM sqlm_nosuch")
                self.assertEqual(check["status"], "ERROR")
                self.assertIn(prefix, check["message"])
                self.assertIn("sqlm_nosuch", check["message"])


if __name__ == "__main__":
    unittest.main()
