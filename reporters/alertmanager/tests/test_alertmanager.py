"""alertmanager: alerts posted to a real Prometheus Alertmanager (the
ctest service `alertmanager`, Debian's prometheus-alertmanager) and read
back from its /api/v2/alerts: labels, annotations, startsAt/endsAt,
resolution, escalation, failures."""
import datetime
import json
import os
import shutil
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "channels"))
import channel_test as ct  # noqa: E402
import nbaq_test  # noqa: E402

HOUR = 3600


def parse_time(text):
    return datetime.datetime.strptime(
        text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


class AlertmanagerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.base = ct.service_env("alertmanager")[
            "NBAQ_TEST_ALERTMANAGER_URL"]
        cls.tmp = tempfile.mkdtemp(prefix="nbaq-am-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def setUp(self):
        # Every test its own monitor, so that tests sharing the server
        # never see each other's alerts.
        self.monitor = "am_" + uuid.uuid4().hex[:12]

    def write_run(self, alerts, name="run.json", run_id="r-1"):
        run = {"monitor": self.monitor, "run_id": run_id, "started_ms": 0,
               "finished_ms": 0, "alerts": alerts}
        path = os.path.join(self.tmp, f"{self.monitor}-{name}")
        with open(path, "w") as f:
            json.dump(run, f)
        return path

    def fixture_with_own_monitor(self):
        run = ct.load_fixture("alerts.json")
        return self.write_run(run["alerts"], run_id=run["run_id"])

    def post(self, fixture, *options, url=None):
        return ct.run_channel("alertmanager", fixture,
                              [f"url={url or self.base}", *options])

    def active(self):
        """Alerts of this test's monitor that Alertmanager lists, by
        alertname and severity."""
        query = urllib.parse.urlencode(
            {"filter": f'monitor="{self.monitor}"'})
        with urllib.request.urlopen(
                f"{self.base}/api/v2/alerts?{query}", timeout=10) as r:
            alerts = json.load(r)
        return {(a["labels"]["alertname"], a["labels"]["severity"]): a
                for a in alerts}

    def test_open_alerts_are_listed_with_labels_and_annotations(self):
        before = time.time()
        result = self.post(self.fixture_with_own_monitor(),
                           "resolve_timeout=1h", "labels=team=data",
                           "generator_url=https://dq.example.com/runs")
        after = time.time()
        self.assertEqual(result.returncode, 0, result.stderr)
        active = self.active()
        # Every open alert of the run: the three with notify set, and the
        # firing and silenced ones without (a channel's run holds only
        # alerts routed to it: they are kept alive). The resolved one
        # (ended in the past) is not there.
        self.assertEqual(sorted(active), [
            ("freshness_dim/age", "low"),
            ("orders_landing/newest_age_seconds", "critical"),
            ("pg_replica_lag/lag_seconds", "critical"),
            ("row_count/rows", "medium"),
            ("schema_drift", "high"),
        ])
        new = active[("orders_landing/newest_age_seconds", "critical")]
        self.assertEqual(new["labels"], {
            "alertname": "orders_landing/newest_age_seconds",
            "monitor": self.monitor, "check": "orders_landing",
            "metric": "newest_age_seconds", "severity": "critical",
            "fingerprint": "0a4f3e2d1c0b9a88", "team": "data"})
        self.assertEqual(new["annotations"], {
            "summary": "newest_age_seconds 93600 > fail_above 21600",
            "description":
                f"new on monitor {self.monitor}, check orders_landing, "
                "metric newest_age_seconds: newest_age_seconds 93600 > "
                "fail_above 21600 (since 2026-05-04T06:00:04.250Z, "
                "failing 1 run; nbaq run 20260504T060000Z-7f3a)",
            "title": f"CRITICAL {self.monitor}: orders_landing / "
                     "newest_age_seconds",
            "nbaq_state": "new",
            "nbaq_run_id": "20260504T060000Z-7f3a"})
        self.assertEqual(parse_time(new["startsAt"]),
                         parse_time("2026-05-04T06:00:04.250+0000"))
        self.assertEqual(new["status"]["state"], "active")
        self.assertEqual(new["generatorURL"], "https://dq.example.com/runs")
        ends = parse_time(new["endsAt"])
        self.assertGreaterEqual(ends, int(before) + HOUR)
        self.assertLessEqual(ends, after + HOUR)

        # The silenced one says so, and until when (1777960000000 ms).
        silenced = active[("freshness_dim/age", "low")]["annotations"]
        self.assertEqual(silenced["nbaq_state"], "silenced")
        until = datetime.datetime.fromtimestamp(
            1777960000, datetime.timezone.utc)
        self.assertEqual(silenced["nbaq_silenced_until"],
                         until.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
        kept = active[("row_count/rows", "medium")]
        self.assertEqual(kept["annotations"]["nbaq_state"], "firing")
        self.assertGreaterEqual(parse_time(kept["endsAt"]),
                                int(before) + HOUR)

        check_level = active[("schema_drift", "high")]
        self.assertNotIn("metric", check_level["labels"])
        self.assertEqual(check_level["labels"]["check"], "schema_drift")

    def test_resolved_alert_leaves_the_list(self):
        now_ms = int(time.time() * 1000)
        firing = {"fingerprint": "fp-r", "check": "freshness",
                  "metric": "age_s", "summary": "age_s 900 > 600",
                  "severity": "HIGH", "state": "new",
                  "started_ms": now_ms - 60000, "failing_runs": 1,
                  "notify": True}
        result = self.post(self.write_run([firing], "firing.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(list(self.active()), [("freshness/age_s", "high")])

        resolved = dict(firing, state="resolved", ended_ms=now_ms - 1000,
                        summary="age_s 30 <= 600")
        result = self.post(self.write_run([resolved], "resolved.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.active(), {})

    def change_severity(self, first, then, **changes):
        """Posts an alert of rows at severity first (new), then the same
        alert at severity then with changes; returns what is active."""
        now_ms = int(time.time() * 1000)
        alert = {"fingerprint": "fp-s", "check": "rows", "metric": "",
                 "summary": "rows 10 < 100", "severity": first,
                 "state": "new", "started_ms": now_ms - 60000,
                 "failing_runs": 1, "notify": True}
        self.assertEqual(
            self.post(self.write_run([alert], "first.json")).returncode, 0)
        self.assertEqual(list(self.active()), [("rows", first.lower())])
        result = self.post(self.write_run(
            [dict(alert, severity=then, **changes)], "then.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        return list(self.active())

    def test_escalation_replaces_the_lower_severity(self):
        active = self.change_severity("MEDIUM", "HIGH", state="escalated",
                                      failing_runs=5)
        self.assertEqual(active, [("rows", "high")])

    def test_lowered_severity_replaces_the_higher_one(self):
        # FAIL -> WARNING: lowered, nothing to notify; the keep-alive
        # posts it at medium and the high label set ends.
        active = self.change_severity("HIGH", "MEDIUM", state="firing",
                                      failing_runs=2, notify=False)
        self.assertEqual(active, [("rows", "medium")])

    def test_lowered_by_several_levels_replaces_the_higher_one(self):
        # A custom severity_from_status may jump: critical -> low.
        active = self.change_severity("CRITICAL", "LOW", state="firing",
                                      failing_runs=2, notify=False)
        self.assertEqual(active, [("rows", "low")])

    def test_open_alert_without_notification_is_kept_alive(self):
        quiet = ct.load_fixture("quiet.json")
        result = self.post(self.write_run(quiet["alerts"], "quiet.json"))
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(list(self.active()), [("row_count/rows", "medium")])

    def test_nothing_open_and_nothing_to_notify_posts_nothing(self):
        gone = {"fingerprint": "fp-g", "check": "rows", "metric": "",
                "summary": "rows 10 < 100", "severity": "HIGH",
                "state": "resolved", "started_ms": 1000, "ended_ms": 2000,
                "failing_runs": 0, "notify": False}
        # Nothing listens there: a post would fail.
        port = ct.refused_port()
        result = self.post(self.write_run([gone], "gone.json"),
                           url=f"http://127.0.0.1:{port}")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_resolved_alert_title_says_resolved(self):
        directory = tempfile.mkdtemp(prefix="nbaq-am-")
        self.addCleanup(shutil.rmtree, directory)
        with ct.Receiver() as receiver:
            result = self.post(ct.resolved_only_fixture(directory),
                               url=receiver.url(""))
        self.assertEqual(result.returncode, 0, result.stderr)
        posted = [r for r in receiver.requests if r.method == "POST"]
        self.assertEqual(len(posted), 1)
        # This receiver cannot list alerts (HTTP 501 to the GET): a
        # warning, and the post goes on.
        self.assertIn("alertmanager: cannot list its active alerts (HTTP 501)",
                      result.stderr)
        # The two resolved ones say so; the open ones of the fixture are
        # kept alive under their severity.
        titles = sorted(a["annotations"]["title"] for a in posted[0].json())
        self.assertEqual(titles, [
            "CRITICAL sales_pipeline: pg_replica_lag / lag_seconds",
            "HIGH sales_pipeline: schema_drift",
            "LOW sales_pipeline: freshness_dim / age",
            "MEDIUM sales_pipeline: row_count / rows",
            "RESOLVED sales_pipeline: null_ratio / customer_id_null_pct",
            "RESOLVED sales_pipeline: orders_landing / newest_age_seconds",
        ])

    def test_label_clash_is_refused(self):
        result = self.post(self.fixture_with_own_monitor(),
                           "labels=severity=page")
        self.assertEqual(result.returncode, 1)
        self.assertIn("label 'severity'", result.stderr)
        self.assertEqual(self.active(), {})

    def test_alertmanager_down(self):
        port = ct.refused_port()
        result = self.post(self.fixture_with_own_monitor(),
                           url=f"http://127.0.0.1:{port}/am")
        self.assertEqual(result.returncode, 1)
        self.assertIn("connection refused", result.stderr)
        self.assertIn(f"127.0.0.1:{port}", result.stderr)

    def test_credentials_in_the_url_are_refused_unsaid(self):
        # The host's option check refuses them before the plugin runs.
        port = ct.refused_port()
        result = self.post(self.fixture_with_own_monitor(),
                           url=f"http://nbaq:SECRETPW@127.0.0.1:{port}/am")
        self.assertEqual(result.returncode, 78)
        self.assertIn("must not hold user:password@", result.stderr)
        self.assertNotIn("SECRET", result.stderr)


KEEPALIVE_CONFIG = """\
monitor: {monitor}
history:
  url: history.db
checks:
  - name: stuck
    plugin: exec
    severity: high
    options:
      command: [/bin/sh, -c, "echo stuck; exit 2"]
  - name: muted
    plugin: exec
    severity: medium
    options:
      command: [/bin/sh, -c, "echo muted; exit 2"]
  - name: flappy
    plugin: exec
    severity: high
    options:
      command: [/bin/sh, -c, "echo flappy; exit $(cat code)"]
      cwd: .
reporters:
  - name: am
    plugin: alertmanager
    options:
      url: {url}
      resolve_timeout: 5m
      retries: 0
alerts:
  repeat_interval: 0
"""

MINUTE_MS = 60000


class AlertmanagerKeepAliveHostTest(unittest.TestCase):
    """The real nbaq-host at chosen times (NBAQ_NOW), every 3 minutes, the
    channel's resolve_timeout 5 minutes, repeats off: a long-firing, a
    silenced and a flapping alert notify nothing after their start, and
    must still be active in Alertmanager after 9 minutes."""

    def setUp(self):
        self.base = ct.service_env("alertmanager")[
            "NBAQ_TEST_ALERTMANAGER_URL"]
        self.monitor = "keep_" + uuid.uuid4().hex[:12]
        self.dir = nbaq_test.temp_dir(self)
        self.config = nbaq_test.write_file(
            self.dir, "monitor.yaml",
            KEEPALIVE_CONFIG.format(monitor=self.monitor, url=self.base))

    def host(self, now_ms, *args, code=None):
        if code is not None:
            nbaq_test.write_file(self.dir, "code", f"{code}\n")
        result = nbaq_test.run_host("--plugin-dir", ct.PLUGINS, "-c",
                                    self.config, *args,
                                    env={"NBAQ_NOW": str(now_ms)},
                                    cwd=self.dir)
        for marker in ct.SANITIZER_MARKERS:
            self.assertNotIn(marker, result.stderr)
        return result

    def active(self):
        query = urllib.parse.urlencode(
            {"filter": f'monitor="{self.monitor}"'})
        with urllib.request.urlopen(
                f"{self.base}/api/v2/alerts?{query}", timeout=10) as r:
            return {a["labels"]["check"]: a for a in json.load(r)}

    def test_open_alerts_stay_active_past_resolve_timeout(self):
        real_ms = int(time.time() * 1000)
        runs = [real_ms - m * MINUTE_MS for m in (12, 9, 6, 3)]
        # Run 1: all three fail and are posted (new), ending 5 minutes
        # later: 7 minutes ago, so Alertmanager already lists none.
        result = self.host(runs[0], code=2)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(self.active(), {})
        silence = self.host(runs[0] + 1000, "alerts", "silence", "--check",
                            "muted", "--until", "2h")
        self.assertEqual(silence.returncode, 0, silence.stderr)
        # Runs 2-4: stuck fires on (repeats off), muted is silenced, flappy
        # passes, fails (flapping from then on) and passes: nothing is
        # notified but flappy's resolution and its flapping start.
        for now_ms, code in zip(runs[1:], (0, 2, 0)):
            result = self.host(now_ms, code=code)
            self.assertEqual(result.returncode, 2, result.stderr)
        active = self.active()
        self.assertEqual(sorted(active), ["flappy", "muted", "stuck"])
        stuck = active["stuck"]
        # Opened 12 minutes ago (> resolve_timeout), last notified then,
        # still active: ends 5 minutes after the last run.
        self.assertEqual(parse_time(stuck["startsAt"]), runs[0] / 1000)
        self.assertEqual(stuck["status"]["state"], "active")
        self.assertAlmostEqual(parse_time(stuck["endsAt"]),
                               (runs[3] + 5 * MINUTE_MS) / 1000, delta=5)
        self.assertEqual(stuck["annotations"]["nbaq_state"], "firing")
        muted = active["muted"]["annotations"]
        self.assertEqual(muted["nbaq_state"], "silenced")
        self.assertIn("nbaq_silenced_until", muted)
        self.assertEqual(active["flappy"]["annotations"]["nbaq_state"],
                         "flapping")


if __name__ == "__main__":
    ct.main()
