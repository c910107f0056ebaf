"""Checks are forked by fork servers (core/forkserver.h): a server that
dies costs at most the check it was starting, and no server outlives the
host, even one killed with SIGKILL (tests/integration)."""
import os
import re
import signal
import subprocess
import threading
import unittest

from hostlib import (HOST, REPORT, TEST_PLUGIN_DIR, kill_if_alive,
                     live_processes, parse_report, process_gone, run_config,
                     temp_dir, wait_until, write_file)

SERVER_STARTED = re.compile(r"fork server \d+ started \(pid (\d+)\)")
KILLED = re.compile(r"the fork server \(pid \d+\) was killed by signal 9 "
                    r"\(Killed\)")


def healthy(name):
    return (f"  - name: {name}\n    plugin: tp_healthy\n"
            "    options: {metrics: {rows: 3}}\n")


def hanging(name, timeout, pidfile):
    """A check that hangs until timeout; its child writes the pid of the
    grandchild it starts in pidfile once it runs."""
    return (f"  - name: {name}\n    plugin: tp_misbehave\n"
            f"    options: {{mode: hang_group, pidfile: {pidfile}}}\n"
            f"    timeout: {timeout}\n")


def running(test, pidfile):
    """Waits until the check that writes pidfile runs (the host reads a
    server's answer, and logs the check's pid, only at the check's next
    event); kills its group at cleanup. Returns the check's pid."""
    def written():
        try:
            with open(pidfile) as f:
                return f.read().endswith("\n")
        except FileNotFoundError:
            return False
    test.assertTrue(wait_until(written, 30), pidfile)
    with open(pidfile) as f:
        grandchild = int(f.read())
    group = os.getpgid(grandchild)
    test.addCleanup(kill_if_alive, -group)
    return group


def group_members(group):
    """The pids of the processes in process group `group`."""
    return [pid for pid, fields, _ in live_processes()
            if int(fields[2]) == group]


def server_pids(stderr):
    return [int(p) for p in SERVER_STARTED.findall(stderr)]


class RunningHost:
    """nbaq-host -vv started in the background; its stderr is collected
    by a thread so that a test can wait for a line."""

    def __init__(self, test, yaml_text, workers):
        d = temp_dir(test)
        path = write_file(d, "monitor.yaml",
                          f"workers: {workers}\n" + yaml_text)
        self.proc = subprocess.Popen(
            [HOST, "-c", path, "--plugin-dir", TEST_PLUGIN_DIR, "-vv"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines = []
        self.out = []
        self.out_closed = threading.Event()
        threading.Thread(target=self._collect, args=(self.proc.stderr,
                                                     self.lines, None),
                         daemon=True).start()
        threading.Thread(target=self._collect, args=(self.proc.stdout,
                                                     self.out,
                                                     self.out_closed),
                         daemon=True).start()
        test.addCleanup(self.stop)

    @staticmethod
    def _collect(stream, into, closed):
        for line in stream:
            into.append(line)
        if closed:
            closed.set()

    def report(self):
        """The checks of the report on stdout, once it is closed."""
        if not self.out_closed.wait(30):
            raise AssertionError("stdout still open:\n" + self.stderr())
        return parse_report("".join(self.out))["checks"]

    def stderr(self):
        return "".join(self.lines)

    def wait_for(self, pattern, timeout=30):
        found = []

        def seen():
            m = re.search(pattern, self.stderr())
            if m:
                found.append(m)
            return bool(m)
        if not wait_until(seen, timeout):
            raise AssertionError(f"no {pattern!r} in:\n{self.stderr()}")
        return found[0]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class ServerDies(unittest.TestCase):
    @unittest.skipUnless(os.environ.get("NBAQ_TEST_HOOKS") == "ON",
                         "needs a host built with -DNBAQ_TEST_HOOKS=ON")
    def test_the_check_it_was_starting_is_an_error(self):
        d = temp_dir(self)
        yaml = ("workers: 1\nchecks:\n" + healthy("one") + healthy("two") +
                healthy("three") + REPORT)
        r = run_config(d, yaml, env={"NBAQ_TEST_FORKSERVER_DIE_AT": "2"})
        self.assertEqual(r.returncode, 3, r.stderr)
        checks = parse_report(r.stdout)["checks"]
        self.assertEqual(checks["two"]["status"], "ERROR")
        self.assertRegex(checks["two"]["message"],
                         "^could not start: " + KILLED.pattern + "$")
        # The checks before and after it are untouched: the host forks
        # the rest itself.
        for name in ("one", "three"):
            self.assertEqual(checks[name]["status"], "PASS", name)
            self.assertEqual(checks[name]["metrics"]["rows"]["value"], 3)
        self.assertRegex(r.stderr, KILLED.pattern + "; its checks are "
                         "forked by the host from now on")

    def signal_server_during(self, signo, timeout, checks_after):
        """Runs `slow` (hangs until timeout) then the healthy checks
        checks_after, with one server; sends the server signo while `slow`
        runs, once the server's next spare (a copy of it made ahead of the
        next request, in its process group) is waiting. Returns the checks
        of the report and the stderr of the host, which must end with exit
        code 3."""
        pidfile = os.path.join(temp_dir(self), "slow.pid")
        host = RunningHost(self, "checks:\n" +
                           hanging("slow", timeout, pidfile) +
                           "".join(healthy(c) for c in checks_after) +
                           REPORT, workers=1)
        server = int(host.wait_for(SERVER_STARTED.pattern).group(1))
        running(self, pidfile)
        self.assertTrue(wait_until(lambda: len(group_members(server)) == 2,
                                   30), group_members(server))
        os.kill(server, signo)
        self.assertEqual(host.proc.wait(timeout=60), 3, host.stderr())
        self.assertTrue(process_gone(server))
        self.assertEqual(group_members(server), [])
        checks = host.report()
        self.assertEqual(checks["slow"]["status"], "ERROR")
        self.assertEqual(checks["slow"]["message"],
                         f"timed out after {timeout}")
        return checks, host.stderr()

    def test_killed_between_checks(self):
        checks, stderr = self.signal_server_during(signal.SIGKILL, "2s",
                                                   ["after"])
        # Its spare goes with it, and the server is found dead at the next
        # request: `after` is forked by the host.
        self.assertEqual(checks["after"]["status"], "PASS")
        self.assertRegex(stderr, KILLED.pattern)

    def test_a_stuck_server_is_given_up(self):
        # A stopped server makes no new spare: the one it made before it
        # stopped starts `after`; `later` gets no answer, and after 10 s
        # the host kills the server, the check fails, and the run ends.
        checks, _ = self.signal_server_during(signal.SIGSTOP, "1s",
                                              ["after", "later"])
        self.assertEqual(checks["after"]["status"], "PASS")
        self.assertEqual(checks["later"]["status"], "ERROR")
        self.assertRegex(checks["later"]["message"],
                         "^could not start: " + KILLED.pattern + "$")

    def test_a_stopped_idle_server_does_not_hold_the_host(self):
        # Nothing more to start: the host ends its servers and exits.
        pidfile = os.path.join(temp_dir(self), "slow.pid")
        host = RunningHost(self, "checks:\n" +
                           hanging("slow", "1s", pidfile) + REPORT,
                           workers=1)
        server = int(host.wait_for(SERVER_STARTED.pattern).group(1))
        running(self, pidfile)
        os.kill(server, signal.SIGSTOP)
        self.assertEqual(host.proc.wait(timeout=60), 3, host.stderr())
        self.assertTrue(process_gone(server))
        self.assertEqual(group_members(server), [])
        self.assertEqual(host.report()["slow"]["message"],
                         "timed out after 1s")


class Switch(unittest.TestCase):
    def test_checks_use_the_servers(self):
        d = temp_dir(self)
        r = run_config(d, "workers: 2\nchecks:\n" + healthy("one") +
                       healthy("two") + REPORT, "-vv")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(server_pids(r.stderr)), 2, r.stderr)
        for name in ("one", "two"):
            self.assertRegex(r.stderr, rf"check '{name}': debug: started "
                             r"\(pid \d+, by fork server [01]\)")

    def automatic(self, checks):
        """Runs `checks` healthy checks on 2 workers without
        NBAQ_FORKSERVER; returns the fork servers started and stderr."""
        d = temp_dir(self)
        yaml = "workers: 2\nchecks:\n" + "".join(
            healthy(f"c{i}") for i in range(checks)) + REPORT
        r = run_config(d, yaml, "-vv", env={"NBAQ_FORKSERVER": "auto"})
        self.assertEqual(r.returncode, 0, r.stderr)
        checks_seen = parse_report(r.stdout)["checks"]
        self.assertEqual(len(checks_seen), checks)
        return server_pids(r.stderr), r.stderr

    def test_a_run_of_one_check_is_forked_by_the_host(self):
        # Nothing to spread a server's start over.
        servers, stderr = self.automatic(1)
        self.assertEqual(servers, [], stderr)
        self.assertRegex(stderr, r"check 'c0': debug: started \(pid \d+\)")

    def test_a_run_of_two_checks_uses_the_servers(self):
        servers, stderr = self.automatic(2)
        self.assertEqual(len(servers), 2, stderr)
        for name in ("c0", "c1"):
            self.assertRegex(stderr, rf"check '{name}': debug: started "
                             r"\(pid \d+, by fork server [01]\)")

    def test_off_the_host_forks(self):
        d = temp_dir(self)
        r = run_config(d, "checks:\n" + healthy("one") + REPORT, "-vv",
                       env={"NBAQ_FORKSERVER": "0"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(server_pids(r.stderr), [], r.stderr)
        self.assertRegex(r.stderr, r"check 'one': debug: started \(pid \d+\)")
        checks = parse_report(r.stdout)["checks"]
        self.assertEqual(checks["one"]["metrics"]["rows"]["value"], 3)


class NoServerLeftBehind(unittest.TestCase):
    def test_after_a_normal_exit(self):
        d = temp_dir(self)
        yaml = ("workers: 2\nchecks:\n" + healthy("one") + healthy("two") +
                healthy("three"))
        r = run_config(d, yaml, "-vv")
        self.assertEqual(r.returncode, 0, r.stderr)
        pids = server_pids(r.stderr)
        self.assertEqual(len(pids), 2, r.stderr)
        for pid in pids:
            self.assertTrue(wait_until(lambda: process_gone(pid), 10),
                            f"fork server {pid} outlived the host")

    def test_after_sigkill_of_the_host(self):
        d = temp_dir(self)
        pidfiles = [os.path.join(d, f"{name}.pid")
                    for name in ("slow", "slower")]
        host = RunningHost(self, "checks:\n" +
                           hanging("slow", "60s", pidfiles[0]) +
                           hanging("slower", "60s", pidfiles[1]), workers=2)
        for pidfile in pidfiles:
            running(self, pidfile)
        servers = server_pids(host.stderr())
        self.assertEqual(len(servers), 2, host.stderr())
        host.proc.kill()
        host.proc.wait()
        for pid in servers:
            self.assertTrue(wait_until(lambda: process_gone(pid), 10),
                            f"fork server {pid} outlived the killed host")
            # ... and so did its spare.
            self.assertTrue(wait_until(lambda: group_members(pid) == [], 10),
                            f"a spare of fork server {pid} outlived the host")


if __name__ == "__main__":
    unittest.main()
