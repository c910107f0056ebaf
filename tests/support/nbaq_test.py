"""Shared helpers for the tests that drive the real nbaq-host binary.

ctest sets NBAQ_HOST, NBAQ_SOURCE_DIR, NBAQ_BUILD_DIR, NBAQ_PLUGIN_DIR and
NBAQ_SERVICES_DIR (see cmake/NbaqTest.cmake).
"""
import http.server
import os
import subprocess
import tempfile
import threading
import time

HOST = os.environ.get("NBAQ_HOST", "")
SOURCE_DIR = os.environ.get("NBAQ_SOURCE_DIR", "")
BUILD_DIR = os.environ.get("NBAQ_BUILD_DIR", "")
PLUGIN_DIR = os.environ.get("NBAQ_PLUGIN_DIR", "")
SERVICES_DIR = os.environ.get("NBAQ_SERVICES_DIR", "")


def service_env(name):
    """KEY=VALUE pairs a service fixture wrote; fails if it is not running."""
    path = os.path.join(SERVICES_DIR, name, "env")
    if not os.path.exists(path):
        raise RuntimeError(
            f"service '{name}' is not running ({path} missing): run the tests "
            "through ctest, which starts it as a fixture")
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key:
                env[key] = value
    return env


def run_host(*args, env=None, timeout=120, cwd=None):
    """Run nbaq-host; returns CompletedProcess with text stdout/stderr."""
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    return subprocess.run([HOST, *args], capture_output=True, text=True,
                          env=full_env, timeout=timeout, cwd=cwd)


def wait_until(predicate, timeout=10.0, interval=0.02):
    """Polls predicate until it is true or the deadline passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


class LoopbackHttpServer:
    """A plain HTTP endpoint on 127.0.0.1 (a free port) serving Handler, a
    BaseHTTPRequestHandler subclass, from a thread; the receivers of the
    webhook, ping and channel tests and lib/http's RecordingServer. With
    start=False the socket is bound (port known, server adjustable) and
    start() serves. stop() returns within 20 ms: the standard library's
    serve_forever checks for shutdown every 0.5 s by default, which every
    test that starts a receiver would wait."""

    def __init__(self, handler, start=True):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                                      handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.02},
                                       daemon=True)
        if start:
            self.start()

    def start(self):
        self.thread.start()

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def write_file(directory, name, text):
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def temp_dir(test_case):
    """A temporary directory removed when the test case ends."""
    d = tempfile.TemporaryDirectory(prefix="nbaq-test-")
    test_case.addCleanup(d.cleanup)
    return d.name


def host_copy(test_case, plugins):
    """nbaq-host and the named plugins copied into a new temporary
    directory that every user can read, for a test that runs the host as
    another user: the build tree may be in a checkout that user cannot
    enter (/root/nbaq, mode 0700). Returns the copy's path; the copy finds
    the plugins beside itself."""
    import shutil
    d = temp_dir(test_case)
    os.chmod(d, 0o755)
    os.mkdir(os.path.join(d, "plugins"), 0o755)
    host = shutil.copy2(HOST, d)
    for name in plugins:
        shutil.copy2(os.path.join(PLUGIN_DIR, name + ".so"),
                     os.path.join(d, "plugins"))
    return host


def pg_database(test_case, prefix):
    """A fresh database on the `postgres` fixture's server, dropped when
    the test case ends; returns its URL."""
    import uuid
    env = service_env("postgres")
    admin = env["NBAQ_TEST_PG_URL"]
    name = prefix + uuid.uuid4().hex[:12]
    psql = os.path.join(env["NBAQ_TEST_PG_BINDIR"], "psql")
    subprocess.run([psql, "-q", admin, "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    test_case.addCleanup(subprocess.run,
                         [psql, "-q", admin, "-c",
                          f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                         capture_output=True)
    return admin.rsplit("/", 1)[0] + "/" + name


class SqliteStore:
    """Mixin for a scenario class run on both stores: a SQLite history
    file beside the test's config."""

    def store_url(self):
        return "history.db"


class PostgresStore:
    """Mixin for a scenario class run on both stores: a fresh database on
    the `postgres` fixture per test, named from `pg_prefix`."""

    pg_prefix = "nbaq_test_"

    def setUp(self):
        self.url = pg_database(self, self.pg_prefix)
        super().setUp()

    def store_url(self):
        return self.url
