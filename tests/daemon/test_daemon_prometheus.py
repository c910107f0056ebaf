"""A real Prometheus (Debian's prometheus package) scrapes the daemon's
/metrics on 127.0.0.1 every second, with the bearer token; the values are
read back from Prometheus' query API and compared with what the config
makes the checks report (worked out by hand below) and with /api/status."""
import json
import os
import shutil
import socket
import subprocess
import unittest
import urllib.parse
import urllib.request

from daemon_support import Daemon, exec_check, temp_dir, wait_for, write_file

TOKEN = "prometheus-scrape-token"
PROMETHEUS = shutil.which("prometheus") or "/usr/bin/prometheus"

CONFIG = ("monitor: prom-test\nworkers: 4\nhistory:\n  url: history.db\n"
          f"daemon:\n  listen: 127.0.0.1:0\n  token: {TOKEN}\n" +
          "checks:\n" +
          # PASS, one metric 42 rows (mode number)
          "  - name: rows\n    plugin: exec\n    interval: 1s\n"
          "    options:\n      command: [sh, -c, 'echo 42']\n"
          "      mode: number\n      metric: rows\n      unit: rows\n" +
          # WARNING: the command exits 1; a label that needs escaping
          exec_check("warn", "echo \"half full|'dir/with space'=5 é=2.5\"; "
                             "exit 1", "2s") +
          # FAIL from a threshold: 7 < 10; severity high
          exec_check("fail", "echo 'few|count=7'", "1s",
                     extra="    severity: high\n    thresholds:\n"
                           "      count: {fail_below: 10}\n"))

# status codes of /metrics: 0 PASS, 1 WARNING, 2 FAIL, 3 ERROR, 4 UNKNOWN
EXPECTED_STATUS = {"rows": 0, "warn": 1, "fail": 2}
EXPECTED_VALUES = {("rows", "rows"): 42, ("warn", "dir/with space"): 5,
                   ("warn", "é"): 2.5, ("fail", "count"): 7}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrometheusTest(unittest.TestCase):
    def start_prometheus(self, target_port):
        d = temp_dir(self)
        config = write_file(d, "prometheus.yml", f"""
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: nbaq
    authorization:
      type: Bearer
      credentials: {TOKEN}
    static_configs:
      - targets: ["127.0.0.1:{target_port}"]
""")
        port = free_port()
        log = open(os.path.join(d, "prometheus.log"), "w")
        self.addCleanup(log.close)
        proc = subprocess.Popen(
            [PROMETHEUS, "--config.file=" + config,
             "--storage.tsdb.path=" + os.path.join(d, "data"),
             "--web.listen-address=127.0.0.1:%d" % port],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

        def stop():
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        self.addCleanup(stop)
        self.prom = f"http://127.0.0.1:{port}"

        def ready():
            if proc.poll() is not None:
                raise AssertionError("prometheus exited: " + open(
                    os.path.join(d, "prometheus.log")).read()[-2000:])
            try:
                with urllib.request.urlopen(self.prom + "/-/ready",
                                            timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False
        wait_for(ready, timeout=30, interval=0.2, what="prometheus ready")

    def query(self, expr):
        url = self.prom + "/api/v1/query?" + urllib.parse.urlencode(
            {"query": expr})
        with urllib.request.urlopen(url, timeout=5) as r:
            doc = json.load(r)
        self.assertEqual(doc["status"], "success")
        return [(s["metric"], float(s["value"][1]))
                for s in doc["data"]["result"]]

    def test_scraped_values(self):
        d = temp_dir(self)
        daemon = Daemon(d, CONFIG)
        self.addCleanup(daemon.stop)
        daemon.wait_listening()
        auth = {"Authorization": "Bearer " + TOKEN}
        daemon.wait(lambda: all(c["status"] for c in
                                daemon.status(auth)["checks"]),
                    what="every check's first run")
        self.start_prometheus(daemon.port)
        # The first scrape after every check ran, with the token accepted.
        wait_for(lambda: self.query('up{job="nbaq"} == 1') and
                 len(self.query("nbaq_check_status")) == 3,
                 timeout=30, interval=0.5, what="a successful scrape")

        statuses = {m["check"]: v for m, v in self.query("nbaq_check_status")}
        self.assertEqual(statuses, EXPECTED_STATUS)
        sev = {m["check"]: m["severity"] for m, _ in
               self.query("nbaq_check_status")}
        self.assertEqual(sev["fail"], "HIGH")
        values = {(m["check"], m["metric"]): v
                  for m, v in self.query("nbaq_metric_value")}
        self.assertEqual(values, EXPECTED_VALUES)
        units = {m["metric"]: m.get("unit", "") for m, _ in
                 self.query("nbaq_metric_value")}
        self.assertEqual(units["rows"], "rows")
        self.assertEqual(units["count"], "")  # an empty label is no label
        state = self.query('nbaq_check_state{check="fail"} == 1')
        self.assertEqual([m["status"] for m, _ in state], ["FAIL"])
        intervals = {m["check"]: v for m, v in
                     self.query("nbaq_check_interval_seconds")}
        self.assertEqual(intervals, {"rows": 1, "warn": 2, "fail": 1})
        # The host's own health.
        self.assertGreater(self.query("nbaq_daemon_rounds_total")[0][1], 0)
        self.assertGreater(self.query("nbaq_daemon_uptime_seconds")[0][1], 0)
        rss = self.query("nbaq_daemon_resident_memory_bytes")[0][1]
        self.assertTrue(1e6 < rss < 1e9, rss)
        self.assertEqual(self.query(
            'nbaq_daemon_http_requests_total{code="200"} > 0')[0][0]["code"],
            "200")
        # Alert counts agree with /api/status (every severity present).
        alerts = {m["severity"]: v for m, v in self.query("nbaq_alerts_open")}
        self.assertEqual(set(alerts), {"INFO", "LOW", "MEDIUM", "HIGH",
                                       "CRITICAL"})
        counts = daemon.status(auth)["alerts"]["counts"]
        self.assertEqual(alerts, {k: float(v) for k, v in counts.items()})
        # Samples keep coming: rounds_total grows between two scrapes.
        first = self.query("nbaq_daemon_rounds_total")[0][1]
        wait_for(lambda: self.query("nbaq_daemon_rounds_total")[0][1] > first,
                 timeout=15, interval=0.5, what="a later scrape")


if __name__ == "__main__":
    unittest.main(verbosity=2)
