"""Slow clients cannot shut anyone out of the daemon's HTTP server.

200 connections from 127.0.0.1 (the scraper's own address) each send a
request line and then one header line a second, and are reopened as soon
as the server cuts them. While they are held, /healthz and an
authenticated /metrics must still answer, each within a bounded client
deadline. A single trickling connection is cut at daemon.request_timeout
although it is never idle long enough for the idle timeout."""
import os
import socket
import threading
import time
import unittest

from daemon_support import Daemon, exec_check, temp_dir, wait_for

TOKEN = "sl0w-l0r1s-Test-Token"
ATTACKERS = 200
CLIENT_DEADLINE_S = 3.0


def config(extra=""):
    return ("monitor: slow\n"
            "daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n"
            f"  token: {TOKEN}\n" + extra +
            "checks:\n" + exec_check("ok", "echo fine", "1h"))


class Attack:
    """Keeps ATTACKERS slow connections open, reopening cut ones."""

    def __init__(self, port):
        self.port = port
        self.stop = threading.Event()
        self.opened = 0
        self.reopened = 0
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=2)
        s.setblocking(False)
        s.send(b"GET /healthz HTTP/1.1\r\nHost: attacker\r\n")
        with self.lock:
            self.opened += 1
        return s

    def run(self):
        socks = []
        while len(socks) < ATTACKERS and not self.stop.is_set():
            try:
                socks.append(self.connect())
            except OSError:
                time.sleep(0.01)
        while not self.stop.wait(1.0):
            for i, s in enumerate(socks):
                try:
                    s.send(b"X-Slow: 1\r\n")
                    s.recv(1)  # b"": the server cut it
                    alive = False
                except BlockingIOError:
                    alive = True
                except OSError:
                    alive = False
                if not alive:
                    s.close()
                    try:
                        socks[i] = self.connect()
                        with self.lock:
                            self.reopened += 1
                    except OSError:
                        socks[i] = self.connect_later()
        for s in socks:
            s.close()

    def connect_later(self):
        """A placeholder that fails its next send, so it is retried."""
        s = socket.socket()
        s.setblocking(False)
        return s


class SlowClients(unittest.TestCase):
    def test_health_and_scrape_answer_under_slowloris(self):
        d = temp_dir(self)
        daemon = Daemon(d, config())
        port = daemon.wait_listening()
        attack = Attack(port)
        attack.thread.start()
        try:
            wait_for(lambda: attack.opened >= ATTACKERS, timeout=30,
                     what="200 slow connections opened")
            # The server is full and cutting: slow ones come back.
            wait_for(lambda: attack.reopened > 0, timeout=30,
                     what="the attack reopening cut connections")
            auth = {"Authorization": f"Bearer {TOKEN}"}
            for _ in range(5):
                status, _, body = daemon.request(
                    "/healthz", timeout=CLIENT_DEADLINE_S)
                self.assertEqual(status, 200)
                self.assertEqual(body, b'{"status":"ok"}')
                status, _, body = daemon.request(
                    "/metrics", headers=auth, timeout=CLIENT_DEADLINE_S)
                self.assertEqual(status, 200)
                self.assertIn(b"nbaq_daemon_start_time_seconds", body)
            cut = [line for line in body.decode().splitlines()
                   if line.startswith(
                       'nbaq_daemon_http_connections_cut_total{reason="room"')]
            self.assertEqual(len(cut), 1)
            # The server was full: room was made by cutting slow ones.
            self.assertGreater(float(cut[0].split()[-1]), 0)
        finally:
            attack.stop.set()
            attack.thread.join(timeout=10)
            self.assertEqual(daemon.stop(), 0)

    def test_a_trickling_request_is_cut_at_the_request_timeout(self):
        d = temp_dir(self)
        daemon = Daemon(d, config("  request_timeout: 1s\n"))
        port = daemon.wait_listening()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            started = time.monotonic()
            s.setblocking(False)
            closed = False
            # A header line every 0.2 s: never idle for the idle
            # timeout (10 s), but the request never ends.
            while time.monotonic() - started < 8 and not closed:
                time.sleep(0.2)
                try:
                    s.send(b"X-Slow: 1\r\n")
                    closed = s.recv(1) == b""
                except BlockingIOError:
                    pass
                except OSError:
                    closed = True
            s.close()
            self.assertTrue(closed, "the trickling request was not cut")
            status, _, _ = daemon.request("/healthz")
            self.assertEqual(status, 200)
        finally:
            self.assertEqual(daemon.stop(), 0)


if __name__ == "__main__":
    unittest.main()
