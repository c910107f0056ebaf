"""MariaDB helpers for the Python tests: the server of the ctest fixture
`mariadb` (tests/services/mariadb.sh), driven through the mariadb client."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402


def url():
    return nbaq_test.service_env("mariadb")["NBAQ_TEST_MARIADB_URL"]


def mariadb(sql):
    """Runs SQL in nbaq_test; returns stdout (tab-separated, no headers)."""
    env = nbaq_test.service_env("mariadb")
    out = subprocess.run(
        ["mariadb", "--no-defaults", "-h", "127.0.0.1",
         "-P", env["NBAQ_TEST_MARIADB_PORT"], "-u", "nbaq",
         "-p" + env["NBAQ_TEST_MARIADB_PASSWORD"], "-N", "-B", "nbaq_test",
         "-e", sql], capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mariadb failed: {out.stderr.strip()}\n{sql}")
    return out.stdout.strip()


def use_odbc_fixture():
    """Points unixODBC at the files of the fixture `odbc` (tests/services/
    odbc.sh), for the host runs of this process."""
    odbc = nbaq_test.service_env("odbc")
    os.environ["ODBCSYSINI"] = odbc["ODBCSYSINI"]
    os.environ["ODBCINI"] = odbc["ODBCINI"]
    return odbc
