"""What the dashboard reads besides /api/history: /api/status stays
bounded (daemon.dashboard.max_metrics per check) and says which metrics
are charted and why; /api/timeline and /api/marks agree with the history
store read directly; the dashboard keys of the config are checked."""
import os
import sqlite3
import subprocess
import unittest

from daemon_support import (HOST, Daemon, check_runs, exec_check, temp_dir,
                            write_file)

# 30 metrics m00..m29; m07 is always over its threshold.
MANY = ("echo \"many|" + " ".join(f"m{i:02d}={i}" for i in range(30)) + "\"")


def config(extra_daemon=""):
    return ("monitor: st-test\nhistory:\n  url: history.db\n"
            "daemon:\n  listen: 127.0.0.1:0\n  jitter: 0\n" + extra_daemon +
            "checks:\n" +
            exec_check("many", MANY, "1s",
                       extra="    thresholds:\n"
                             "      m07: {warn_above: 5}\n"
                             "      m2*: {fail_above: 1000}\n"))


class StatusTest(unittest.TestCase):
    def start(self, extra_daemon=""):
        self.dir = temp_dir(self)
        daemon = Daemon(self.dir, config(extra_daemon))
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        daemon.wait(lambda: len(check_runs(
            os.path.join(self.dir, "history.db"), "many")) >= 3,
            timeout=20, what="three stored runs")
        return daemon

    def test_status_is_bounded_and_says_what_is_charted(self):
        # A pattern with a '/' is matched against check/metric, one
        # without against the metric name.
        daemon = self.start("  dashboard:\n    metrics: [\"many/m0[0]\", m01]\n"
                            "    max_metrics: 14\n")
        st = daemon.status()
        self.assertEqual(st["daemon"]["max_metrics"], 14)
        many = st["checks"][0]
        self.assertEqual(many["metrics_total"], 30)
        listed = {m["name"]: m for m in many["metrics"]}
        self.assertEqual(len(listed), 14)
        # The failing one first, then the charted ones (m07's rule, the
        # ten m2* of the glob, m00 and m01 named by the config), then the
        # rest in the check's order: m02.
        rules = {"m07"} | {f"m2{i}" for i in range(10)}
        self.assertEqual(set(listed), rules | {"m00", "m01", "m02"})
        self.assertEqual(list(listed), sorted(listed))  # the check's order
        self.assertEqual(listed["m07"]["status"], "WARNING")
        self.assertEqual(listed["m07"]["chart"], "rule")
        self.assertEqual(listed["m07"]["thresholds"], {"warn_above": 5})
        self.assertFalse(listed["m07"]["history_rule"])
        self.assertEqual(listed["m25"]["thresholds"], {"fail_above": 1000})
        self.assertEqual(listed["m00"]["chart"], "config")
        self.assertIsNone(listed["m02"]["chart"])
        self.assertNotIn("thresholds", listed["m02"])

    def test_timeline_matches_the_store(self):
        daemon = self.start()
        t = daemon.get_json("/api/timeline?check=many&since=1h")
        stored = check_runs(os.path.join(self.dir, "history.db"), "many")
        # Runs stored after the answer are not in it.
        self.assertEqual([tuple(r) for r in t["runs"]],
                         [(ms, status) for ms, _, status, _ in
                          stored[:len(t["runs"])]])
        self.assertGreaterEqual(len(t["runs"]), 3)
        self.assertEqual({s for _, s in t["runs"]}, {"WARNING"})
        for bad in ("/api/timeline", "/api/timeline?check=many&since=soon",
                    "/api/timeline?check=a%20b"):
            self.assertEqual(daemon.request(bad)[0], 400, bad)

    def test_marks_match_the_store(self):
        daemon = self.start()
        m = daemon.get_json("/api/marks?check=many&metric=m07&since=1h")
        conn = sqlite3.connect(os.path.join(self.dir, "history.db"))
        try:
            flagged = conn.execute(
                "SELECT count(*) FROM nbaq_metric_values v JOIN nbaq_series s"
                " ON s.id = v.series WHERE s.metric = 'm07' AND anomalous = 1"
                ).fetchone()[0]
            started = conn.execute(
                "SELECT started_ms, is_open FROM nbaq_alerts WHERE "
                "check_name = 'many' AND metric = 'm07'").fetchall()
        finally:
            conn.close()
        self.assertEqual(len(m["flagged"]), flagged)  # no anomaly rule: 0
        self.assertEqual([(e["start_ms"], e["end_ms"] is None)
                          for e in m["episodes"]],
                         [(ms, bool(is_open)) for ms, is_open in started])
        self.assertEqual(len(m["episodes"]), 1)  # m07 warns on every run
        self.assertEqual(daemon.request(
            "/api/marks?check=many")[0], 400)

    def test_dashboard_keys_are_checked(self):
        d = temp_dir(self)
        for extra, message in (
                ("  dashboard:\n    metrics: m07\n",
                 "'metrics' is a list of metric names or globs"),
                ("  dashboard:\n    max_metric: 3\n",
                 "unknown key 'max_metric' in daemon.dashboard (did you mean "
                 "'max_metrics'?)"),
                ("  dashboard:\n    max_metrics: 0\n", "max_metrics"),
                ("  actions: maybe\n", "actions")):
            path = write_file(d, "monitor.yaml", config(extra))
            r = subprocess.run([HOST, "-c", path, "--check-config"], cwd=d,
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 78, (extra, r.stderr))
            self.assertIn(path + ":", r.stderr)
            self.assertIn(message, r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
