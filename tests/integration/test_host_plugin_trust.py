"""Hostile plugin files (tests/integration): load-time code that crashes,
exits or hangs is vetted in a child and becomes an error naming the file;
files anyone else could have written are refused (StrictModes rules); and
the first copy of a name in the search path wins, with a warning."""
import os
import shutil
import stat
import unittest

from hostlib import (REPORT, TEST_PLUGIN_DIR, parse_report, run_config,
                     run_host, temp_dir)

TWO_CHECKS = ("checks:\n  - {name: bad, plugin: tp_load_bad}\n"
              "  - {name: good, plugin: tp_trivial}\n")
LOAD_BAD = os.path.join(TEST_PLUGIN_DIR, "tp_load_bad.so")


class LoadTimeCode(unittest.TestCase):
    def run_bad(self, mode):
        d = temp_dir(self)
        return run_config(d, TWO_CHECKS + REPORT,
                          env={"TP_LOAD_BAD": mode,
                               "NBAQ_PLUGIN_LOAD_TIMEOUT": "300"})

    def expect(self, mode, reason):
        r = self.run_bad(mode)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("check 'bad': " + LOAD_BAD + ": " + reason, r.stderr)

    def test_constructor_crash_is_an_error_naming_the_file(self):
        self.expect("crash",
                    "loading the plugin crashed: signal 11 (Segmentation "
                    "fault)")

    def test_exit_zero_at_load_is_not_a_green_run(self):
        self.expect("exit", "loading the plugin exited with code 0")

    def test_hang_at_load_times_out(self):
        self.expect("hang", "loading the plugin did not finish within 300 ms")

    def test_well_behaved_copy_runs(self):
        r = self.run_bad("")
        self.assertEqual(r.returncode, 0, r.stderr)
        checks = parse_report(r.stdout)["checks"]
        self.assertEqual(checks["bad"]["status"], "PASS")
        self.assertEqual(checks["good"]["status"], "PASS")

    def test_list_plugins_survives_a_crashing_plugin(self):
        r = run_host("--list-plugins", "--plugin-dir", TEST_PLUGIN_DIR,
                     env={"TP_LOAD_BAD": "exit"})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("tp_load_bad (broken)\n    path: " + LOAD_BAD +
                      "\n    error: " + LOAD_BAD +
                      ": loading the plugin exited with code 0", r.stdout)
        # The plugins listed after it are still there.
        self.assertIn("tp_trivial (checker) 1.0.0", r.stdout)


def private_copy(test, name="tp_trivial", mode=0o644, dir_mode=0o755):
    """A copy of a test plugin in a fresh directory with the given modes."""
    root = temp_dir(test)
    os.chmod(root, 0o755)
    d = os.path.join(root, "plugins")
    os.mkdir(d)
    path = os.path.join(d, name + ".so")
    shutil.copy(os.path.join(TEST_PLUGIN_DIR, name + ".so"), path)
    os.chmod(path, mode)
    os.chmod(d, dir_mode)
    test.addCleanup(os.chmod, d, 0o755)
    return d, path


class TrustRules(unittest.TestCase):
    def run_with(self, d, env=None):
        work = temp_dir(self)
        return run_config(work, "checks:\n  - {name: c, plugin: tp_trivial}\n",
                          "--plugin-dir", d, plugin_dir=False, env=env)

    def expect_refused(self, d, needle):
        r = self.run_with(d)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("refusing the plugin: " + needle, r.stderr)
        self.assertIn("NBAQ_PLUGIN_INSECURE=1", r.stderr)
        return r

    def test_private_copy_loads(self):
        d, _ = private_copy(self)
        r = self.run_with(d)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_world_writable_file_is_refused(self):
        d, path = private_copy(self, mode=0o646)
        self.expect_refused(d, f"file {path} is writable by everyone")

    def test_group_writable_file_is_refused(self):
        d, path = private_copy(self, mode=0o664)
        self.expect_refused(d, f"file {path} is writable by its group")

    def test_world_writable_directory_is_refused(self):
        d, _ = private_copy(self, dir_mode=0o777)
        self.expect_refused(d, f"directory {d} is writable by everyone")

    def test_sticky_plugin_directory_is_refused_too(self):
        # Like a plugin dropped straight into /tmp.
        d, _ = private_copy(self, dir_mode=0o1777)
        self.expect_refused(d, f"directory {d} is writable by everyone")

    def test_writable_ancestor_is_refused(self):
        d, _ = private_copy(self)
        parent = os.path.dirname(d)
        os.chmod(parent, 0o775)
        self.expect_refused(d, f"directory {parent} is writable by its group")

    def test_file_of_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to give a file away")
        d, path = private_copy(self)
        os.chown(path, 4242, 4242)
        self.expect_refused(d, f"file {path} is owned by uid 4242")

    def test_override_loads_it_anyway(self):
        d, _ = private_copy(self, mode=0o666, dir_mode=0o777)
        r = self.run_with(d, env={"NBAQ_PLUGIN_INSECURE": "1"})
        self.assertEqual(r.returncode, 0, r.stderr)


class Precedence(unittest.TestCase):
    def test_plugin_dir_shadows_with_a_warning(self):
        # The development loop: a build directory before an installed copy.
        first, first_path = private_copy(self)
        second, second_path = private_copy(self)
        work = temp_dir(self)
        r = run_config(work, "checks:\n  - {name: c, plugin: tp_trivial}\n",
                       "--plugin-dir", first, plugin_dir=False,
                       env={"NBAQ_PLUGIN_PATH": second})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"plugin 'tp_trivial': using {first_path}, which "
                      f"shadows {second_path}", r.stderr)

    def test_config_dirs_come_before_the_environment(self):
        first, first_path = private_copy(self)
        second, second_path = private_copy(self)
        work = temp_dir(self)
        r = run_config(work, f"plugin_dirs: [{first}]\n"
                       "checks:\n  - {name: c, plugin: tp_trivial}\n",
                       plugin_dir=False, env={"NBAQ_PLUGIN_PATH": second})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"using {first_path}, which shadows {second_path}",
                      r.stderr)

    def test_a_refused_first_copy_is_not_skipped(self):
        first, first_path = private_copy(self, mode=0o666)
        second, _ = private_copy(self)
        work = temp_dir(self)
        r = run_config(work, "checks:\n  - {name: c, plugin: tp_trivial}\n",
                       "--plugin-dir", first, "--plugin-dir", second,
                       plugin_dir=False)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(first_path + ": refusing the plugin", r.stderr)


if __name__ == "__main__":
    unittest.main()
