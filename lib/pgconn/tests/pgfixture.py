"""PostgreSQL helpers for the Python tests of db_quality and sql_metric.

They drive the real server of the ctest fixture `postgres` through psql
(no Python driver needed). Imported with the tests' own sys.path entry.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402


def admin_url():
    return nbaq_test.service_env("postgres")["NBAQ_TEST_PG_URL"]


def url_for(user, password=None):
    """The test database's URL as another role (password optional)."""
    rest = admin_url().split("@", 1)[1]
    auth = user if password is None else f"{user}:{password}"
    return f"postgresql://{auth}@{rest}"


def psql_binary():
    bindir = nbaq_test.service_env("postgres").get("NBAQ_TEST_PG_BINDIR", "")
    path = os.path.join(bindir, "psql")
    return path if bindir and os.access(path, os.X_OK) else "psql"


def psql(sql, url=None):
    """Runs SQL; returns stdout (unaligned, tuples only). Fails loudly."""
    out = subprocess.run(
        [psql_binary(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
         "-d", url or admin_url(), "-c", sql],
        capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}\n{sql}")
    return out.stdout.strip()


def can_connect(url):
    out = subprocess.run([psql_binary(), "-X", "-q", "-d", url,
                          "-c", "SELECT 1"],
                         capture_output=True, text=True, timeout=30,
                         env=dict(os.environ, PGCONNECT_TIMEOUT="5"))
    return out.returncode == 0


# The one role that must give a password, shared with the C tests
# (lib/pgconn/tests/pgtest.h) so that tests running at once write identical
# pg_hba.conf lines.
PW_ROLE = "nbaq_test_pw"
PASSWORD = "Corr3ct-H0rse-B4ttery"


def require_password():
    """Creates PW_ROLE with PASSWORD (scram) and makes the server ask it for
    that password on TCP: a line for the role on top of pg_hba.conf (the
    fixture trusts everyone else), then a reload, waited for."""
    role = PW_ROLE
    psql(f"""DO $$BEGIN CREATE ROLE {role} LOGIN;
             EXCEPTION WHEN duplicate_object THEN NULL; END$$;
             SET password_encryption = 'scram-sha-256';
             ALTER ROLE {role} PASSWORD '{PASSWORD}'""")
    hba_file = psql("SHOW hba_file")
    line = f"host all {role} 127.0.0.1/32 scram-sha-256\n"
    with open(hba_file) as f:
        text = f.read()
    if line not in text:
        # In place, keeping the server's ownership of the file.
        with open(hba_file, "w") as f:
            f.write(line + text)
    psql("SELECT pg_reload_conf()")
    deadline = time.monotonic() + 10
    while can_connect(url_for(role)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server still lets {role} in "
                               "without a password")
        time.sleep(0.05)
