"""Nothing an exec command starts outlives its check (tests/integration):
not after a normal run, not after a timeout, not after SIGTERM of the
host. The left-behind process is found in /proc by a unique argument."""
import os
import signal
import subprocess
import unittest
import uuid

from hostlib import (HOST, kill_if_alive, live_processes, temp_dir,
                     wait_until, write_file)


def unique_sleep():
    """`sleep 314.<digits>`: a duration no other process uses."""
    return "314." + str(uuid.uuid4().int)[:9]


def processes_with_arg(arg):
    """Live (not zombie) processes whose argv has arg."""
    return [pid for pid, _, argv in live_processes()
            if arg.encode() in argv]


def cgroup_v2_parent():
    """The directory where the host makes its cgroups (cgjail.c), when it
    is writable; else None."""
    mount = own = None
    with open("/proc/self/mountinfo") as f:
        for line in f:
            if " - cgroup2 " in line:
                mount = line.split()[4]
                break
    with open("/proc/self/cgroup") as f:
        for line in f:
            if line.startswith("0::"):
                own = line[3:].strip().rstrip("/")
    if mount is None or own is None:
        return None
    probe = f"{mount}{own}/nbaq-probe-{os.getpid()}"
    try:
        os.mkdir(probe)
        os.rmdir(probe)
        return f"{mount}{own}"
    except OSError:
        return None


def exec_check(command, timeout=None):
    lines = ["checks:", "  - name: leaky", "    plugin: exec"]
    if timeout:
        lines.append(f"    timeout: {timeout}")
    lines += ["    options:", "      mode: number",
              f"      command: [sh, -c, \"{command}\"]"]
    return "\n".join(lines) + "\n"


class NoOrphans(unittest.TestCase):
    def assert_none_left(self, arg):
        self.addCleanup(lambda: [kill_if_alive(p)
                                 for p in processes_with_arg(arg)])
        self.assertTrue(wait_until(lambda: not processes_with_arg(arg), 10),
                        f"sleep {arg} survived: {processes_with_arg(arg)}")

    def run_leaky(self, script, expected_code, timeout=None):
        """Runs the host on one exec check of script, where {arg} stands
        for the unique sleep argument; asserts nothing is left."""
        arg = unique_sleep()
        path = write_file(temp_dir(self), "m.yaml",
                          exec_check(script.format(arg=arg), timeout))
        r = subprocess.run([HOST, "-c", path], capture_output=True,
                           text=True, timeout=60)
        self.assertEqual(r.returncode, expected_code, r.stderr)
        self.assert_none_left(arg)

    def test_background_process_of_a_finished_command(self):
        self.run_leaky("sleep {arg} & echo 5", 0)

    def test_timeout(self):
        self.run_leaky("sleep {arg} & wait", 3, timeout="1s")

    def test_setsid_escape_is_caught_by_the_cgroup(self):
        if not cgroup_v2_parent():
            self.skipTest("no writable cgroup v2: process groups only")
        self.run_leaky("setsid sleep {arg} & echo 5", 0)

    def test_cgroups_of_a_dead_host_are_removed(self):
        parent = cgroup_v2_parent()
        if not parent:
            self.skipTest("no writable cgroup v2: process groups only")
        gone = subprocess.Popen(["true"])
        gone.wait()
        stale = os.path.join(parent, f"nbaq-{gone.pid}")
        os.makedirs(os.path.join(stale, "job-0"))
        self.addCleanup(lambda: [os.rmdir(p) for p in (
            os.path.join(stale, "job-0"), stale) if os.path.isdir(p)])
        self.run_leaky("echo 5", 0)
        self.assertFalse(os.path.exists(stale))

    def test_sigterm_of_the_host(self):
        arg = unique_sleep()
        d = temp_dir(self)
        path = write_file(d, "m.yaml", exec_check(f"sleep {arg} & wait",
                                                  timeout="60s"))
        host = subprocess.Popen([HOST, "-c", path], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        self.addCleanup(kill_if_alive, host.pid)
        self.assertTrue(wait_until(lambda: processes_with_arg(arg), 20),
                        "the command never started")
        host.send_signal(signal.SIGTERM)
        out, err = host.communicate(timeout=30)
        self.assertEqual(host.returncode, 3, err)
        self.assert_none_left(arg)


if __name__ == "__main__":
    unittest.main()
