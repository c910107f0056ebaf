"""Every check runs in its own process: crashes, hangs, exit() calls and
contract violations end that check as ERROR and nothing else
(tests/integration)."""
import os
import signal
import time
import unittest

from hostlib import (REPORT, parse_report, process_gone, kill_if_alive,
                     run_config, spawn_host, temp_dir, wait_until)

GOOD = ("  - name: good\n    plugin: tp_healthy\n"
        "    options: {metrics: {rows: 3}}\n")


def misbehave(name, mode, extra=""):
    return (f"  - name: {name}\n    plugin: tp_misbehave\n"
            f"    options: {{mode: {mode}{extra}}}\n")


class Misbehaving(unittest.TestCase):
    def run_one(self, mode, extra="", header="", check_extra=""):
        d = temp_dir(self)
        yaml = (header + "checks:\n" + GOOD + misbehave("bad", mode, extra) +
                check_extra + REPORT)
        r = run_config(d, yaml)
        report = parse_report(r.stdout)
        # The healthy neighbour is untouched.
        good = report["checks"]["good"]
        self.assertEqual(good["status"], "PASS")
        self.assertEqual(good["metrics"]["rows"]["value"], 3)
        return r, report["checks"]["bad"]

    def expect_error(self, mode, message, **kw):
        r, bad = self.run_one(mode, **kw)
        self.assertEqual(r.returncode, 3, r.stderr)
        self.assertEqual(bad["status"], "ERROR")
        self.assertEqual(bad["message"], message)
        self.assertEqual(bad["metrics"], {})
        return r, bad

    def test_segfault(self):
        self.expect_error("segfault", "crashed: signal 11 (Segmentation fault)")

    def test_abort(self):
        # abort() raises SIGABRT in the check's own process, never in the
        # fork server that copied it (core/forkserver.c, clone_sibling).
        self.expect_error("abort", "crashed: signal 6 (Aborted)")

    def test_threads_run_in_the_child(self):
        r, bad = self.run_one("thread")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(bad["status"], "PASS")
        self.assertEqual(bad["message"], "set by a thread")

    def test_exit_without_status(self):
        self.expect_error("exit", "exited with code 0 without a status")
        self.expect_error("exit", "exited with code 3 without a status",
                          extra=", code: 3")

    def test_exit_after_status_keeps_it(self):
        r, bad = self.run_one("exit_after_status")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(bad["status"], "WARNING")
        self.assertEqual(bad["message"], "set, then exit")
        self.assertEqual(bad["metrics"]["m"]["value"], 1)

    def test_return_without_status(self):
        self.expect_error("no_status", "no status")

    def test_timeout(self):
        start = time.monotonic()
        self.expect_error("hang", "timed out after 1s",
                          check_extra="    timeout: 1s\n")
        self.assertLess(time.monotonic() - start, 30)

    def test_default_timeout_and_formatting(self):
        self.expect_error("hang", "timed out after 500ms",
                          header="timeout: 500ms\n")

    def test_timeout_kills_the_process_group(self):
        d = temp_dir(self)
        pidfile = os.path.join(d, "grandchild.pid")
        self.expect_error("hang_group", "timed out after 1s",
                          extra=f", pidfile: {pidfile}",
                          check_extra="    timeout: 1s\n")
        with open(pidfile) as f:
            pid = int(f.read())
        try:
            self.assertTrue(wait_until(lambda: process_gone(pid), 10),
                            f"grandchild {pid} survived the timeout")
        finally:
            kill_if_alive(pid)

    def test_plugin_bugs(self):
        self.expect_error(
            "undeclared", "plugin bug: opt_string(): option 'no_such_option' "
            "is not declared by plugin 'tp_misbehave'")
        self.expect_error(
            "wrong_type",
            "plugin bug: opt_int() used on option 'mode' of type enum")
        self.expect_error(
            "bad_index", "plugin bug: opt_list_string(): index 5 out of "
            "range for option 'list' (1 items)")
        self.expect_error("bad_status",
                          "plugin bug: status_set() called with status 42")

    def test_flood_is_capped(self):
        r, bad = self.run_one("flood")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(len(bad["metrics"]), 1000)
        self.assertIn("m0999", bad["metrics"])
        self.assertNotIn("m1000", bad["metrics"])
        self.assertEqual(bad["message"], "flooded; 4000 metrics dropped (a "
                         "check may set at most 1000)")

    def test_long_message_is_capped(self):
        r, bad = self.run_one("long_message")
        self.assertEqual(bad["status"], "PASS")
        self.assertEqual(bad["message"], "x" * 4096)


class Signals(unittest.TestCase):
    def test_sigterm_stops_running_checks(self):
        d = temp_dir(self)
        pidfile = os.path.join(d, "grandchild.pid")
        yaml = ("checks:\n" + misbehave("h", "hang_group",
                                        f", pidfile: {pidfile}") +
                "    timeout: 120s\n" + REPORT)
        p = spawn_host(d, yaml)
        try:
            self.assertTrue(wait_until(lambda: os.path.exists(pidfile) and
                                       os.path.getsize(pidfile) > 0, 20))
            with open(pidfile) as f:
                grandchild = int(f.read())
            p.send_signal(signal.SIGTERM)
            out, err = p.communicate(timeout=30)
            self.assertEqual(p.returncode, 3, err)
            self.assertTrue(wait_until(lambda: process_gone(grandchild), 10))
            kill_if_alive(grandchild)
        finally:
            if p.poll() is None:
                p.kill()
                p.communicate()


if __name__ == "__main__":
    unittest.main()
