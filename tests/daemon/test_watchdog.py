"""The daemon's built-in watchdog (docs/daemon.md, "Watchdogs for the
watcher"): a check stuck past twice its interval raises one alert of the
check `nbaq:watchdog` (metric `stale:<check>`) through the lifecycle and
a webhook channel, resolved when the check runs again; alone on SQLite,
and in a fleet of two members on the real PostgreSQL, where one member
judges per interval.

The stuck check waits while a file exists; removing the file ends its
run. Every wait is a bounded poll on a condition.
"""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "channels"))
import channel_test as ct  # noqa: E402
import nbaq_test  # noqa: E402
from daemon_support import (Daemon, exec_check, notified,  # noqa: E402
                            temp_dir, wait_for, webhook_channel)

WATCHDOG = "nbaq:watchdog"


def config(history_url, hook_url, hold):
    checks = exec_check("steady", "echo ok; exit 0")
    checks += exec_check(
        "stuck", f"while [ -e {hold} ]; do sleep 0.05; done; echo ok",
        extra="    timeout: 60s\n")
    # jitter above 0: the two checks never share a round (a check in the
    # stuck one's round would wait for it, and be stale too).
    return f"""monitor: watchdog_demo
workers: 4
history:
  url: "{history_url}"
daemon:
  listen: 127.0.0.1:0
  jitter: 0.2
  fleet:
    lease: 2s
  watchdog:
    interval: 1s
checks:
{checks}""" + webhook_channel(hook_url)


class WatchdogTest(unittest.TestCase):
    def run_stuck_check(self, history_url, members):
        directory = temp_dir(self)
        hold = os.path.join(directory, "hold")
        open(hold, "w").close()
        stale = (WATCHDOG, "stale:stuck", "new")
        with ct.Receiver() as receiver:
            text = config(history_url, receiver.url("/hook"), hold)
            daemons = [Daemon(temp_dir(self), text) for _ in range(members)]
            for d in daemons:
                self.addCleanup(d.stop)
                d.wait_listening()
            # Stuck in its first run: stale once 2 intervals have passed.
            wait_for(lambda: stale in notified(receiver), timeout=20,
                     what="the stale alert of the stuck check")
            alert = [a for r in receiver.requests
                     for g in r.json()["groups"] for a in g["alerts"]
                     if a["metric"] == "stale:stuck"][0]
            self.assertRegex(alert["summary"],
                             r"^check 'stuck' has not started for \d+s "
                             r"\(interval 1s, stale after 2s\); still "
                             r"running on ")
            # Open in /api/status of the member whose watchdog raised it.
            wait_for(lambda: [a for d in daemons
                              for a in d.status()["alerts"]["active"]
                              if a["check"] == WATCHDOG], timeout=10,
                     what="the watchdog's alert in /api/status")
            os.remove(hold)
            wait_for(lambda: (WATCHDOG, "stale:stuck", "resolved")
                     in notified(receiver), timeout=20,
                     what="the stale alert resolved")
            sent = [n for n in notified(receiver) if n[0] == WATCHDOG]
            self.assertEqual(sent, [stale, (WATCHDOG, "stale:stuck",
                                            "resolved")])
            for d in daemons:
                self.assertEqual(d.stop(), 0)

    def test_stuck_check_alone_on_sqlite(self):
        self.run_stuck_check("history.db", 1)

    def test_stuck_check_in_a_fleet(self):
        self.run_stuck_check(nbaq_test.pg_database(self, "nbaq_wd_"), 2)


if __name__ == "__main__":
    unittest.main(verbosity=2)
