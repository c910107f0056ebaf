"""Numbers the daemon serves read back exactly (tests/integration): the
largest double and 0.1 + 0.2 in /api/status and in /metrics, never
Infinity, +Inf or a rounded value."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "daemon"))
from daemon_support import Daemon  # noqa: E402

from hostlib import TEST_PLUGIN_DIR, temp_dir  # noqa: E402

VALUES = {"biggest": sys.float_info.max, "third": 0.1 + 0.2,
          "tiny": 5e-324}


class DaemonNumbers(unittest.TestCase):
    def test_status_and_metrics_are_exact(self):
        metrics = ", ".join(f"{k}: {v!r}" for k, v in VALUES.items())
        yaml = ("monitor: numbers\ndaemon:\n  listen: 127.0.0.1:0\n"
                "checks:\n  - name: n\n    plugin: tp_healthy\n"
                "    interval: 1s\n"
                f"    options: {{metrics: {{{metrics}}}}}\n")
        daemon = Daemon(temp_dir(self), yaml,
                        args=("-v", "--plugin-dir", TEST_PLUGIN_DIR))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        check = daemon.wait(lambda: (c := daemon.check("n")) and
                            c.get("metrics") and c, what="check n's metrics")
        got = {m["name"]: m["value"] for m in check["metrics"]
               if m["name"] in VALUES}
        self.assertEqual(got, VALUES)
        status, _, body = daemon.request("/metrics")
        self.assertEqual(status, 200)
        served = {}
        for line in body.decode().splitlines():
            if line.startswith("nbaq_metric_value{"):
                labels, value = line.rsplit(" ", 1)
                for name in VALUES:
                    if f'metric="{name}"' in labels:
                        served[name] = float(value)
        self.assertEqual(served, VALUES)


if __name__ == "__main__":
    unittest.main()
