"""The daemon's HTTP server at its edges: exact paths only (path tricks are
404), GET and HEAD only, bounded requests and connections, the bearer
token, and /api/history's arguments and answers against the SQLite store
read directly."""
import json
import math
import os
import socket
import sqlite3
import time
import unittest

from daemon_support import Daemon, exec_check, temp_dir, wait_for

TOKEN = "t0k3n-Only.For_This-Test"

COUNTER = ('n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; '
           'echo "counted $n|n=$n"')


def config(extra_daemon="", history=True):
    return ("monitor: edges\nworkers: 4\n" +
            ("history:\n  url: history.db\n" if history else "") +
            "daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n" + extra_daemon +
            "checks:\n" + exec_check("counter", COUNTER, "1s"))


def raw_request(port, data, timeout=5):
    """Sends bytes as they are; returns the status line's code (or None when
    the server closed without answering). The server may answer and close
    before it has read everything: what it sent is read all the same."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        reply = b""
        try:
            while b"\r\n" not in reply:
                chunk = s.recv(4096)
                if not chunk:
                    break
                reply += chunk
        except (ConnectionResetError, socket.timeout):
            pass
    if not reply.startswith(b"HTTP/1."):
        return None
    return int(reply.split(b" ", 2)[1])


class Plain(unittest.TestCase):
    """No token configured."""

    @classmethod
    def setUpClass(cls):
        cls.dir_obj = __import__("tempfile").TemporaryDirectory(
            prefix="nbaq-test-")
        cls.dir = cls.dir_obj.name
        cls.daemon = Daemon(cls.dir, config("  max_connections: 4\n"),
                            args=("-vv",))
        cls.daemon.wait_listening()
        cls.db = os.path.join(cls.dir, "history.db")
        wait_for(lambda: (cls.daemon.check("counter") or {}).get("runs", 0) >= 4,
                 timeout=20, what="four runs of the counter")

    @classmethod
    def tearDownClass(cls):
        cls.daemon.stop()
        cls.dir_obj.cleanup()

    def test_known_paths(self):
        for path, kind in (("/", "text/html"), ("/dashboard.js", "text/javascript"),
                           ("/dashboard.css", "text/css")):
            status, headers, body = self.daemon.request(path)
            self.assertEqual(status, 200, path)
            self.assertTrue(headers["content-type"].startswith(kind))
            self.assertIn("script-src 'self'", headers["content-security-policy"])
            self.assertEqual(headers["x-content-type-options"], "nosniff")
        status, _, body = self.daemon.request("/healthz")
        self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))
        status, headers, _ = self.daemon.request("/metrics")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"],
                         "text/plain; version=0.0.4; charset=utf-8")
        # Query strings do not change the route.
        self.assertEqual(self.daemon.request("/api/status?x=1")[0], 200)

    def test_unknown_paths_and_tricks_are_404(self):
        tricks = ["/nope", "/api", "/api/", "/api/status/", "/metrics/",
                  "//metrics", "/./metrics", "/x/../metrics", "/../metrics",
                  "/%2e%2e/metrics", "/%2E%2E%2Fmetrics", "/api/%73tatus",
                  "/metrics%00", "/metrics%2f", "/metrics;x", "/METRICS",
                  "/index.html", "/healthz/..", "/dashboard.js/",
                  "/" + "a" * 3000]
        for path in tricks:
            status, headers, body = self.daemon.request(path)
            self.assertEqual(status, 404, path)
            self.assertEqual(json.loads(body), {"error": "not found"}, path)

    def test_only_get_and_head(self):
        for method in ("POST", "PUT", "DELETE", "PATCH", "OPTIONS"):
            status, headers, _ = self.daemon.request("/metrics", method=method)
            self.assertEqual(status, 405, method)
            self.assertEqual(headers["allow"], "GET, HEAD")
        # A body nobody asked for: refused before it is read (the
        # connection may be closed under the sender), and nothing breaks.
        big = (b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: "
               b"1048576\r\n\r\n" + b"x" * (1 << 20))
        self.assertIn(raw_request(self.daemon.port, big), (405, None))
        self.assertEqual(self.daemon.request("/healthz")[0], 200)
        status, headers, body = self.daemon.request("/api/status",
                                                    method="HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertGreater(int(headers["content-length"]), 100)

    def test_request_size_is_bounded(self):
        port = self.daemon.port
        huge_path = b"GET /" + b"a" * 60000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
        self.assertIn(raw_request(port, huge_path), (414, 431, None))
        huge_header = (b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " +
                       b"b" * 60000 + b"\r\n\r\n")
        self.assertIn(raw_request(port, huge_header), (413, 431, None))
        self.assertEqual(raw_request(port, b"NOT HTTP AT ALL\r\n\r\n") or 400,
                         400)
        self.assertEqual(self.daemon.request("/healthz")[0], 200)

    def test_connections_are_bounded(self):
        """max_connections: 4. Six idle connections: the two past the limit
        are cut (the request timeout, 5 s, would cut all six), and a
        client that sends its request is answered meanwhile."""
        idle = []

        def cut_count():
            n = 0
            for s in idle:
                try:
                    n += s.recv(1) == b""
                except BlockingIOError:
                    pass
            return n
        try:
            for _ in range(6):
                s = socket.create_connection(("127.0.0.1", self.daemon.port),
                                             timeout=5)
                s.setblocking(False)
                idle.append(s)
            self.assertEqual(raw_request(self.daemon.port,
                                         b"GET /healthz HTTP/1.0\r\n\r\n",
                                         timeout=5), 200)
            cut = [0]

            def two_cut():
                cut[0] += cut_count()
                return cut[0] >= 2
            wait_for(two_cut, timeout=3, what="two idle connections cut")
            self.assertEqual(cut[0], 2)
        finally:
            for s in idle:
                s.close()

    def history(self, query):
        return self.daemon.request("/api/history?" + query)

    def stored(self, since_ms=0):
        conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True,
                               timeout=10)
        try:
            return conn.execute(
                "SELECT v.ts_ms, v.value FROM nbaq_metric_values v "
                "JOIN nbaq_series s ON s.id = v.series WHERE s.monitor = "
                "'edges' AND s.check_name = 'counter' AND s.metric = 'n' "
                "AND v.ts_ms >= ? ORDER BY v.ts_ms", (since_ms,)).fetchall()
        finally:
            conn.close()

    def test_history_values_match_the_store(self):
        status, _, body = self.history("check=counter&metric=n&since=1h")
        self.assertEqual(status, 200)
        doc = json.loads(body)
        rows = self.stored(doc["since_ms"])
        rows = [r for r in rows if r[0] <= doc["until_ms"]]
        self.assertEqual(doc["count"], len(rows))
        self.assertEqual(doc["bucket_ms"], 0)
        self.assertEqual([tuple(p) for p in doc["points"]],
                         [(ts, v) for ts, v in rows])
        # the counter counts 1, 2, 3... one per run
        self.assertEqual([p[1] for p in doc["points"]][:3], [1, 2, 3])

    def test_history_downsampled_into_buckets(self):
        wait_for(lambda: len(self.stored()) >= 5, what="five stored values")
        first, last = self.stored()[0][0], self.stored()[-1][0]
        q = f"check=counter&metric=n&since={first}&until={last}&points=2"
        status, _, body = self.history(q)
        self.assertEqual(status, 200)
        doc = json.loads(body)
        rows = [r for r in self.stored(first) if r[0] <= last]
        # docs/daemon.md: buckets of ceil(span / points) ms from since; each
        # point is the mean time and mean value of its bucket.
        bucket = math.ceil((last - first + 1) / 2)
        self.assertEqual(doc["bucket_ms"], bucket)
        expected = []
        for b in sorted({(ts - first) // bucket for ts, _ in rows}):
            members = [r for r in rows if (r[0] - first) // bucket == b]
            expected.append((int(sum(r[0] for r in members) / len(members)),
                             sum(r[1] for r in members) / len(members)))
        self.assertEqual(len(doc["points"]), len(expected))
        for got, want in zip(doc["points"], expected):
            self.assertAlmostEqual(got[0], want[0], delta=1)
            self.assertAlmostEqual(got[1], want[1])
        self.assertEqual(doc["count"], len(rows))

    def test_history_bad_arguments(self):
        cases = {
            "metric=n": "'check' is required",
            "check=counter": "'metric' is required",
            "check=bad/name&metric=n": "'check' is required",
            "check=counter&metric=n&since=yesterday": "'since' is neither",
            "check=counter&metric=n&until=soon": "'until' is neither",
            "check=counter&metric=n&since=1h&until=2h": "'since' is after",
            "check=counter&metric=n&points=1": "'points' must be",
            "check=counter&metric=n&points=501": "'points' must be",
            # Past int64 arithmetic: a 400, not a crash or an empty 200.
            "check=counter&metric=n&until=9223372036854775807":
                "'until' is out of range",
            "check=counter&metric=n&since=9223372036854775807":
                "'since' is out of range",
            "check=counter&metric=n&since=0&until=253402300800000":
                "'until' is out of range",
            "check=counter&metric=n&until=99999999999999999999":
                "'until' is neither",
            "check=counter&metric=n&points=99999999999999999999":
                "'points' must be",
        }
        for query, message in cases.items():
            status, _, body = self.history(query)
            self.assertEqual(status, 400, query)
            self.assertIn(message, json.loads(body)["error"], query)
        # An unknown series is no error: no values.
        status, _, body = self.history("check=counter&metric=nothing")
        self.assertEqual((status, json.loads(body)["count"]), (200, 0))


class WithToken(unittest.TestCase):
    def test_bearer_token(self):
        d = temp_dir(self)
        daemon = Daemon(d, config(f"  token: {TOKEN}\n"), args=("-vv",))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        good = {"Authorization": "Bearer " + TOKEN}
        for path in ("/api/status", "/metrics",
                     "/api/history?check=counter&metric=n"):
            for headers in ({}, {"Authorization": "Bearer wrong"},
                            {"Authorization": "Bearer " + TOKEN[:-1]},
                            {"Authorization": "Bearer " + TOKEN + "x"},
                            {"Authorization": "Basic " + TOKEN},
                            {"Authorization": TOKEN}):
                status, h, body = daemon.request(path, headers=headers)
                self.assertEqual(status, 401, (path, headers))
                self.assertEqual(h["www-authenticate"], 'Bearer realm="nbaq"')
                self.assertEqual(json.loads(body), {"error": "unauthorized"})
            self.assertEqual(daemon.request(path, headers=good)[0], 200, path)
            self.assertEqual(daemon.request(
                path, headers={"Authorization": "bearer " + TOKEN})[0], 200)
        # The page and the health check are public: they hold no data.
        for path in ("/", "/dashboard.js", "/healthz"):
            self.assertEqual(daemon.request(path)[0], 200, path)
        daemon.stop()
        self.assertFalse([line for line in daemon.log() if TOKEN in line])

    def test_history_without_a_store(self):
        d = temp_dir(self)
        daemon = Daemon(d, config(history=False))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        status, _, body = daemon.request("/api/history?check=counter&metric=n")
        self.assertEqual(status, 404)
        self.assertIn("no history store", json.loads(body)["error"])
        self.assertFalse(daemon.status()["daemon"]["history"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
