"""sql_metric through the real nbaq-host on MariaDB, and on PostgreSQL and
MariaDB over ODBC (fixtures postgres, mariadb, odbc). The rows are loaded
through each engine's own client; the expected numbers come from the rows
written here, and writes are proven refused by counting afterwards."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

# (region, late) rows, loaded into both servers.
ROWS = [("eu", 1), ("eu", 0), ("eu", 1), ("us", 0), ("us", 0), ("apac", 1),
        ("apac", 1), ("us", 1)]


def mariadb(sql):
    env = nbaq_test.service_env("mariadb")
    out = subprocess.run(
        ["mariadb", "--no-defaults", "-h", "127.0.0.1",
         "-P", env["NBAQ_TEST_MARIADB_PORT"], "-u", "nbaq",
         "-p" + env["NBAQ_TEST_MARIADB_PASSWORD"], "-N", "-B", "nbaq_test",
         "-e", sql], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mariadb failed: {out.stderr.strip()}\n{sql}")
    return out.stdout.strip()


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
        odbc = nbaq_test.service_env("odbc")
        cls.env = {"ODBCSYSINI": odbc["ODBCSYSINI"],
                   "ODBCINI": odbc["ODBCINI"]}

    def run_check(self, engine, query, extra=""):
        d = nbaq_test.temp_dir(self)
        path = nbaq_test.write_file(d, "monitor.yaml", f"""monitor: sqlm
checks:
  - name: events
    plugin: sql_metric
    options:
      dsn: "${{NBAQ_SQLM_DSN}}"
      query: {json.dumps(query)}
      metric: late_events
{extra}
reporters:
  - plugin: json
    options:
      output: report.json
""")
        proc = nbaq_test.run_host(
            "-c", path, env=dict(self.env, NBAQ_SQLM_DSN=ENGINES[engine]()))
        report_path = os.path.join(d, "report.json")
        if not os.path.exists(report_path):
            self.fail(f"no report; exit {proc.returncode}\n{proc.stderr}")
        with open(report_path) as f:
            check = json.load(f)["checks"][0]
        return check, {m["name"]: m["value"] for m in check["metrics"]}

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
