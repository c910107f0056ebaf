"""One db_quality check through the real nbaq-host and its JSON report,
shared by the Python tests of db_quality (ctest sets NBAQ_SOURCE_DIR and
NBAQ_HOST; the fixture `postgres` provides the server)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
from pgfixture import nbaq_test  # noqa: E402


def run_db_quality(test, tables, dsn, extra_options="", thresholds="",
                   history=False, d=None, concurrency=2):
    """Runs one check `tables` of db_quality (in directory d, a new one by
    default) on dsn, measuring up to `concurrency` tables at once; returns
    (process, check, metrics by name)."""
    d = d or nbaq_test.temp_dir(test)
    history_yaml = "history:\n  url: history.db\n" if history else ""
    config = f"""monitor: dbq_test
timeout: 60s
{history_yaml}checks:
  - name: tables
    plugin: db_quality
    options:
      dsn: "${{NBAQ_DBQ_DSN}}"
      concurrency: {concurrency}
{extra_options}      tables:
{tables}
{thresholds}
reporters:
  - plugin: json
    options:
      output: report.json
"""
    path = nbaq_test.write_file(d, "monitor.yaml", config)
    proc = nbaq_test.run_host("-c", path, env={"NBAQ_DBQ_DSN": dsn})
    report_path = os.path.join(d, "report.json")
    if not os.path.exists(report_path):
        test.fail(f"no report; exit {proc.returncode}\n{proc.stderr}")
    with open(report_path) as f:
        report = json.load(f)
    check = report["checks"][0]
    return proc, check, {m["name"]: m for m in check["metrics"]}


def engine_dsns():
    """The DSN of each engine the fixtures postgres, mariadb and odbc serve:
    PostgreSQL and MariaDB natively and over ODBC."""
    import pgfixture
    odbc = nbaq_test.service_env("odbc")
    return {
        "postgresql": pgfixture.admin_url(),
        "mariadb": nbaq_test.service_env("mariadb")["NBAQ_TEST_MARIADB_URL"],
        "odbc-postgresql": odbc["NBAQ_TEST_ODBC_PG"],
        "odbc-mariadb": odbc["NBAQ_TEST_ODBC_MARIADB"],
    }
