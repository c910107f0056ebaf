"""Outbox delivery claims across hosts on one PostgreSQL store
(docs/alerts.md, "Several hosts on one store"): a row claimed by a live
session of another host is not sent; once that session is gone (its host
died mid-delivery), the next run takes the row over and sends it, once.

The real nbaq-host runs one-shot on the `postgres` fixture; the other
host's claim is a psql session that claims the row as a member would.
"""
import os
import signal
import subprocess
import sys
import unittest

HERE = os.path.dirname(__file__)
sys.path.insert(0, os.path.join(HERE, "..", "alerts"))
sys.path.insert(0, os.path.join(HERE, "..", "channels"))
import channel_test as ct  # noqa: E402
import nbaq_test  # noqa: E402
from test_alerts_host import Scenario, sent  # noqa: E402


class Holder:
    """A psql session that claims the undelivered rows for itself."""

    def __init__(self, url):
        env = nbaq_test.service_env("postgres")
        self.proc = subprocess.Popen(
            [os.path.join(env["NBAQ_TEST_PG_BINDIR"], "psql"), url, "-qtAX"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def send(self, sql):
        self.proc.stdin.write(sql + "\n")
        self.proc.stdin.flush()

    def ask(self, sql):
        """The one-line answer of a query (psql -q prints nothing else)."""
        self.send(sql)
        return self.proc.stdout.readline().strip()

    def claim(self):
        pid = int(self.ask("SELECT pg_backend_pid();"))
        self.send("UPDATE nbaq_alert_outbox SET claimed_by = pg_backend_pid(),"
                 " claimed_until_ms = (extract(epoch FROM clock_timestamp())"
                 " * 1000)::bigint + 600000 WHERE delivered_ms IS NULL;")
        return int(self.ask("SELECT count(*) FROM nbaq_alert_outbox"
                            f" WHERE claimed_by = {pid};"))

    def end(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


class OutboxClaimTest(unittest.TestCase):
    @unittest.skipUnless(os.environ.get("NBAQ_TEST_HOOKS") == "ON",
                         "needs a host built with -DNBAQ_TEST_HOOKS=ON")
    def test_a_row_claimed_by_a_live_session_waits_for_it(self):
        url = nbaq_test.pg_database(self, "nbaq_outbox_")
        s = Scenario(self, store_url=url)
        s.set_check(2)
        with ct.Receiver() as receiver:
            hook = receiver.url("/hook")
            # Killed right after the lifecycle commit: the NEW row waits.
            result = s.run(hook, NBAQ_TEST_CRASH_AT="outbox")
            self.assertEqual(result.returncode, -signal.SIGKILL,
                             result.stderr)
            self.assertEqual(receiver.requests, [])

            holder = Holder(url)
            self.addCleanup(holder.end)
            self.assertEqual(holder.claim(), 1)
            # Another host is delivering it: this run leaves it alone.
            result = s.run(hook)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual(receiver.requests, [])

            # The other host died mid-delivery: its session ended.
            holder.end()
            result = s.run(hook)
            self.assertEqual(result.returncode, 2, result.stderr)
            self.assertEqual([sent(r) for r in receiver.requests],
                             [[("orders", "new", "high")]])
            result = s.run(hook)
            self.assertEqual(len(receiver.requests), 1)


if __name__ == "__main__":
    unittest.main(verbosity=2)
