"""db_quality with a MariaDB or ODBC DSN: until its port onto lib/sqlengine
it refuses them by name (an ERROR naming the engine and the step, never the
password), rather than letting libpq misread them."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dbq_host import run_db_quality  # noqa: E402

SECRET = "Sup3r-Secret-9"
TABLES = "        - name: sales.orders\n"


class EnginesRefusedTest(unittest.TestCase):
    def test_other_engines_are_refused_by_name(self):
        cases = {
            f"mysql://monitor:{SECRET}@127.0.0.1:3306/sales": "MariaDB",
            f"mariadb://monitor:{SECRET}@127.0.0.1/sales": "MariaDB",
            f"odbc:DSN=warehouse;UID=monitor;PWD={SECRET}": "ODBC",
        }
        for dsn, engine in cases.items():
            with self.subTest(engine=engine, dsn=dsn.split(":")[0]):
                proc, check, metrics = run_db_quality(self, TABLES, dsn)
                self.assertEqual(check["status"], "ERROR")
                self.assertEqual(
                    check["message"],
                    f"{engine}: connect: db_quality does not run on this "
                    "engine yet (PostgreSQL only; see \"Engines\" in "
                    "docs/db-quality.md); not measured: sales.orders")
                self.assertEqual(metrics, {})
                self.assertEqual(proc.returncode, 3)
                self.assertNotIn(SECRET, proc.stdout + proc.stderr)


if __name__ == "__main__":
    unittest.main()
