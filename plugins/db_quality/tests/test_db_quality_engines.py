"""db_quality on every engine: the same table loaded into PostgreSQL and
MariaDB through their own clients, then checked through the real nbaq-host
natively and over ODBC (fixtures postgres, mariadb, odbc). Every engine
must give the same metric names and values, computed here from the rows."""
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbq_host import engine_dsns, run_db_quality  # noqa: E402
import pgfixture  # noqa: E402
from pgfixture import nbaq_test  # noqa: E402

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "sqlengine", "tests"))
from mariadbfixture import mariadb, use_odbc_fixture  # noqa: E402

SECRET = "Sup3r-Secret-9"


def rows():
    """(id, name, amount, code, loaded_at offset in hours)."""
    for i in range(1, 121):
        name = None if i % 6 == 0 else f"n{i}"
        amount = None if i % 8 == 0 else i * 2
        yield i, name, amount, i % 30, i


def sql_value(v):
    if v is None:
        return "NULL"
    return f"'{v}'" if isinstance(v, str) else str(v)


TABLE = """        - name: dbq_engines
          critical_columns: [name, amount]
          key_columns: [code]
          expected_columns:
            - {name: id, type: integer, nullable: false}
            - {name: name}
            - {name: gone}
"""


class DbQualityEnginesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        values = ", ".join(
            "(" + ", ".join(sql_value(v) for v in r[:4]) + ")" for r in rows())
        create = ("CREATE TABLE dbq_engines (id integer NOT NULL, "
                  "name varchar(20), amount integer, code integer)")
        mariadb("DROP TABLE IF EXISTS dbq_engines")
        mariadb(create)
        mariadb(f"INSERT INTO dbq_engines VALUES {values}")
        pgfixture.psql(f"DROP TABLE IF EXISTS dbq_engines; {create}; "
                       f"INSERT INTO dbq_engines VALUES {values}")
        use_odbc_fixture()

    def expected(self):
        data = list(rows())
        n = len(data)
        name_nulls = sum(1 for r in data if r[1] is None)
        amount_nulls = sum(1 for r in data if r[2] is None)
        incomplete = sum(1 for r in data if r[1] is None or r[2] is None)
        per_code = {}
        for r in data:
            per_code[r[3]] = per_code.get(r[3], 0) + 1
        repeated = [c for c in per_code.values() if c > 1]
        t = "dbq_engines."
        return {
            t + "rows": n,
            t + "name.nulls": name_nulls,
            t + "name.null_pct": 100.0 * name_nulls / n,
            t + "amount.nulls": amount_nulls,
            t + "amount.null_pct": 100.0 * amount_nulls / n,
            t + "incomplete_rows": incomplete,
            t + "completeness_pct": 100.0 * (n - incomplete) / n,
            t + "duplicate_keys": sum(c - 1 for c in repeated),
            t + "duplicate_key_values": len(repeated),
            t + "schema.missing_columns": 1,
            t + "schema.type_mismatches": 0,
            t + "schema.nullability_mismatches": 0,
            t + "schema.drift": 0,
        }

    def test_same_metrics_on_every_engine(self):
        want = self.expected()
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                proc, check, m = run_db_quality(self, TABLE, dsn)
                got = {k: v["value"] for k, v in m.items()}
                self.assertEqual(set(got), set(want), check["message"])
                for k, v in want.items():
                    self.assertAlmostEqual(got[k], v, places=9, msg=k)
                self.assertIn('schema: missing column "gone"',
                              check["message"])

    def test_freshness_by_the_servers_clock(self):
        # the newest row was written an hour ago by each server's own clock
        mariadb("DROP TABLE IF EXISTS dbq_fresh")
        mariadb("CREATE TABLE dbq_fresh (loaded_at datetime)")
        mariadb("INSERT INTO dbq_fresh VALUES (NOW() - INTERVAL 3600 SECOND),"
                " (NOW() - INTERVAL 7200 SECOND)")
        pgfixture.psql(
            "DROP TABLE IF EXISTS dbq_fresh; "
            "CREATE TABLE dbq_fresh (loaded_at timestamp); "
            "INSERT INTO dbq_fresh VALUES "
            "(localtimestamp - interval '3600 seconds'), "
            "(localtimestamp - interval '7200 seconds')")
        table = ("        - name: dbq_fresh\n"
                 "          freshness_column: loaded_at\n")
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                _, check, m = run_db_quality(self, table, dsn)
                age = m["dbq_fresh.freshness_age_s"]["value"]
                self.assertGreaterEqual(age, 3600, check["message"])
                self.assertLess(age, 3600 + 120)

    def test_drift_between_runs_on_mariadb(self):
        mariadb("DROP TABLE IF EXISTS dbq_drift")
        mariadb("CREATE TABLE dbq_drift (id integer)")
        table = "        - name: dbq_drift\n"
        d = nbaq_test.temp_dir(self)
        _, _, m = run_db_quality(self, table, engine_dsns()["mariadb"],
                                 history=True, d=d)
        self.assertEqual(m["dbq_drift.schema.drift"]["value"], 0)
        mariadb("ALTER TABLE dbq_drift ADD COLUMN added varchar(5)")
        _, check, m = run_db_quality(self, table, engine_dsns()["mariadb"],
                                     history=True, d=d)
        self.assertEqual(m["dbq_drift.schema.drift"]["value"], 1)
        self.assertIn("added", check["message"])

    def test_missing_table_and_wrong_password(self):
        _, check, _ = run_db_quality(
            self, "        - name: dbq_nosuch\n", engine_dsns()["mariadb"])
        self.assertEqual(check["status"], "ERROR")
        self.assertEqual(check["message"], "dbq_nosuch: reading columns: "
                         "MariaDB: no table \"dbq_nosuch\"")
        port = nbaq_test.service_env("mariadb")["NBAQ_TEST_MARIADB_PORT"]
        proc, check, _ = run_db_quality(
            self, TABLE, f"mysql://nbaq:{SECRET}@127.0.0.1:{port}/nbaq_test")
        self.assertEqual(check["status"], "ERROR")
        self.assertTrue(check["message"].startswith(
            "MariaDB: connect: Access denied"), check["message"])
        self.assertNotIn(SECRET, proc.stdout + proc.stderr +
                         check["message"])


    def test_killed_session_is_replaced_for_the_next_table(self):
        # The server ends the check's session during its first table (KILL
        # CONNECTION, pg_terminate_backend): that table is an error naming
        # why, and the next one is measured on a new session, on every
        # engine, where it used to fail with "server has gone away".
        mariadb("CREATE OR REPLACE VIEW dbq_slow AS SELECT SLEEP(30) AS id")
        pgfixture.psql("CREATE OR REPLACE VIEW dbq_slow AS "
                       "SELECT 1 AS id FROM pg_sleep(30)")
        self.addCleanup(mariadb, "DROP VIEW IF EXISTS dbq_slow")
        self.addCleanup(pgfixture.psql, "DROP VIEW IF EXISTS dbq_slow")
        on_mariadb = ("SELECT id FROM information_schema.processlist "
                      "WHERE info LIKE '%FROM%dbq_slow%' "
                      "AND id <> CONNECTION_ID()")
        on_postgresql = ("SELECT pid FROM pg_stat_activity WHERE query "
                         "LIKE '%FROM%dbq_slow%' AND pid <> pg_backend_pid()")
        tables = ("        - name: dbq_slow\n"
                  "        - name: dbq_engines\n")
        for engine, dsn in engine_dsns().items():
            with self.subTest(engine=engine):
                if engine.endswith("postgresql"):
                    def find():
                        return pgfixture.psql(on_postgresql).strip()

                    def end(pid):
                        pgfixture.psql(f"SELECT pg_terminate_backend({pid})")
                else:
                    def find():
                        return mariadb(on_mariadb).strip()

                    def end(pid):
                        mariadb(f"KILL CONNECTION {pid}")
                found = []

                def end_the_session():
                    if nbaq_test.wait_until(lambda: found.append(find())
                                            or found[-1], 20):
                        end(found[-1].split()[0])
                killer = threading.Thread(target=end_the_session)
                killer.start()
                _, check, m = run_db_quality(self, tables, dsn,
                                             concurrency=1)
                killer.join()
                self.assertTrue(found and found[-1],
                                "the slow table's query never started")
                self.assertEqual(check["status"], "ERROR", check["message"])
                self.assertIn("dbq_slow: ", check["message"])
                # "dbq_engines: no previous schema" is the drift note
                self.assertNotRegex(check["message"],
                                    r"dbq_engines: (?!no previous schema)")
                self.assertEqual(m["dbq_engines.rows"]["value"],
                                 len(list(rows())), check["message"])


if __name__ == "__main__":
    unittest.main()
