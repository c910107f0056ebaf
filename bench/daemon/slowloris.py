#!/usr/bin/env python3
"""How long /healthz and an authenticated /metrics take while slow clients
hold the daemon's connections (docs/performance.md, "Daemon under slow
clients"). Starts nbaq-host --daemon from BUILD on 127.0.0.1, opens
ATTACKERS connections from the same address that each send a request line
and then one header line a second (reopened as soon as the server cuts
them), then times REQUESTS requests of each kind, one after the other.

    bench/daemon/slowloris.py BUILD [ATTACKERS [REQUESTS]]
"""
import os
import statistics
import sys
import time

BUILD = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build")
os.environ.setdefault("NBAQ_BUILD_DIR", BUILD)
os.environ.setdefault("NBAQ_HOST", os.path.join(BUILD, "nbaq-host"))
os.environ.setdefault("NBAQ_PLUGIN_DIR", os.path.join(BUILD, "plugins"))
os.environ.setdefault("NBAQ_SOURCE_DIR", os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(os.environ["NBAQ_SOURCE_DIR"], "tests",
                                "daemon"))
import test_daemon_slowloris as slow  # noqa: E402
from daemon_support import Daemon, wait_for  # noqa: E402

ATTACKERS = int(sys.argv[2]) if len(sys.argv) > 2 else 200
REQUESTS = int(sys.argv[3]) if len(sys.argv) > 3 else 200


def timed(daemon, path, headers=None):
    start = time.monotonic()
    try:
        status, _, _ = daemon.request(path, headers=headers, timeout=10)
    except OSError:
        status = None
    return status, (time.monotonic() - start) * 1000


def main():
    import tempfile
    with tempfile.TemporaryDirectory(prefix="nbaq-bench-") as d:
        daemon = Daemon(d, slow.config())
        port = daemon.wait_listening()
        slow.ATTACKERS = ATTACKERS
        attack = slow.Attack(port)
        attack.thread.start()
        try:
            wait_for(lambda: attack.opened >= ATTACKERS, timeout=60)
            wait_for(lambda: attack.reopened > 0, timeout=60)
            auth = {"Authorization": f"Bearer {slow.TOKEN}"}
            for path, headers in (("/healthz", None), ("/metrics", auth)):
                times, failed = [], 0
                for _ in range(REQUESTS):
                    status, ms = timed(daemon, path, headers)
                    failed += status != 200
                    times.append(ms)
                times.sort()
                print(f"{path}: {REQUESTS} requests, {failed} failed; ms "
                      f"min {times[0]:.2f} median "
                      f"{statistics.median(times):.2f} p99 "
                      f"{times[int(len(times) * 0.99) - 1]:.2f} max "
                      f"{times[-1]:.2f}")
            print(f"slow connections opened {attack.opened}, reopened after "
                  f"a cut {attack.reopened}")
        finally:
            attack.stop.set()
            attack.thread.join(timeout=10)
            daemon.stop()


if __name__ == "__main__":
    main()
