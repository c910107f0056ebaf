"""Finding and vetting plugins: every way a plugin file can be wrong is a
configuration error (78) naming the file, and --list-plugins shows every
plugin with its options and every broken file with its reason
(tests/integration)."""
import os
import shutil
import unittest

from hostlib import (PLUGIN_DIR, REPORT, TEST_PLUGIN_DIR, parse_report,
                     run_config, run_host, temp_dir, write_file)


def one_check(plugin):
    return f"checks:\n  - name: c\n    plugin: {plugin}\n"


class LoadErrors(unittest.TestCase):
    def expect_config_error(self, plugin, *needles, plugin_dirs=()):
        d = temp_dir(self)
        args = []
        for extra in plugin_dirs:
            args += ["--plugin-dir", extra]
        r = run_config(d, one_check(plugin), *args)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertEqual(r.stdout, "")
        self.assertIn("monitor.yaml:3:13: check 'c': ", r.stderr)
        for needle in needles:
            self.assertIn(needle, r.stderr)
        return r

    def path(self, name):
        return os.path.join(TEST_PLUGIN_DIR, name + ".so")

    def test_not_found_lists_directories(self):
        self.expect_config_error(
            "no_such_plugin", "plugin 'no_such_plugin' not found: no "
            f"no_such_plugin.so in {TEST_PLUGIN_DIR}, {PLUGIN_DIR}")

    def test_abi_major(self):
        self.expect_config_error(
            "tp_abi_major", self.path("tp_abi_major") +
            ": built for nbaq ABI 2.0, this host speaks ABI 1.2")

    def test_newer_minor(self):
        self.expect_config_error(
            "tp_abi_minor", self.path("tp_abi_minor") +
            ": built against ABI 1.3, newer than this host's 1.2")

    def test_struct_size_too_small(self):
        self.expect_config_error(
            "tp_small_struct", self.path("tp_small_struct") +
            ": descriptor struct_size 8 is smaller than")

    def test_null_descriptor(self):
        self.expect_config_error(
            "tp_null_descriptor", self.path("tp_null_descriptor") +
            ": nbaq_plugin_descriptor_get() returned NULL")

    def test_missing_entry_symbol(self):
        self.expect_config_error(
            "tp_no_symbol", self.path("tp_no_symbol") +
            ": not an nbaq plugin: no nbaq_plugin_descriptor_get symbol")

    def test_name_differs_from_file(self):
        self.expect_config_error(
            "tp_wrong_name", "descriptor name 'some_other_name' differs "
            "from the file name 'tp_wrong_name'")

    def test_bad_option_schema(self):
        self.expect_config_error(
            "tp_bad_schema", "plugin 'tp_bad_schema': bad option schema: "
            "the default does not parse: option 'interval'")

    def test_text_file_named_so(self):
        d = temp_dir(self)
        write_file(d, "x.so", "this is not an ELF file\n")
        self.expect_config_error(
            "x", os.path.join(d, "x.so") + ": not a loadable shared object: ",
            plugin_dirs=[d])

    def test_symlink_is_refused_as_a_symlink(self):
        d = temp_dir(self)
        os.symlink(self.path("tp_trivial"), os.path.join(d, "linked.so"))
        self.expect_config_error(
            "linked", os.path.join(d, "linked.so") + ": refusing the plugin: "
            "it is a symbolic link", plugin_dirs=[d])

    def test_wrong_kind(self):
        self.expect_config_error(
            "tp_report", "plugin 'tp_report' is a reporter, not a checker")
        d = temp_dir(self)
        r = run_config(d, "reporters:\n  - plugin: tp_trivial\n")
        self.assertEqual(r.returncode, 78)
        self.assertIn("reporter 'tp_trivial': plugin 'tp_trivial' is a "
                      "checker, not a reporter", r.stderr)

    def test_only_used_plugins_are_loaded(self):
        # Broken files beside a good plugin do not matter to a run.
        d = temp_dir(self)
        r = run_config(d, "checks:\n  - {name: t, plugin: tp_trivial}\n" +
                       REPORT)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(parse_report(r.stdout)["checks"]["t"]["status"],
                         "PASS")


class SearchPath(unittest.TestCase):
    def copy_trivial(self, directory, name="tp_trivial"):
        shutil.copy(os.path.join(TEST_PLUGIN_DIR, "tp_trivial.so"),
                    os.path.join(directory, name + ".so"))

    def test_config_plugin_dirs_relative_to_config(self):
        d = temp_dir(self)
        os.makedirs(os.path.join(d, "mine"))
        shutil.copy(os.path.join(TEST_PLUGIN_DIR, "tp_report.so"),
                    os.path.join(d, "mine"))
        yaml = "plugin_dirs: [mine]\nchecks: []\n"
        r = run_config(d, yaml + REPORT, plugin_dir=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("run\t", r.stdout)

    def test_environment_path(self):
        d = temp_dir(self)
        r = run_config(d, "checks: []\n" + REPORT, plugin_dir=False,
                       env={"NBAQ_PLUGIN_PATH": "/nonexistent:" + TEST_PLUGIN_DIR})
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_binary_dir_plugins_are_found(self):
        # The real reporters come from <dir of nbaq-host>/plugins.
        d = temp_dir(self)
        out = os.path.join(d, "r.json")
        r = run_config(d, "checks: []\nreporters:\n  - plugin: json\n"
                       f"    options: {{output: {out}}}\n", plugin_dir=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(os.path.exists(out))


class ListPlugins(unittest.TestCase):
    def test_lists_plugins_options_and_broken_files(self):
        d = temp_dir(self)
        write_file(d, "x.so", "not ELF\n")
        r = run_host("--list-plugins", "--plugin-dir", TEST_PLUGIN_DIR,
                     "--plugin-dir", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        self.assertIn("tp_options (checker) 1.0.0\n"
                      "    test checker: echoes options of every type\n"
                      "    path: " + os.path.join(TEST_PLUGIN_DIR,
                                                   "tp_options.so"), out)
        self.assertIn("i (int, optional, min 1, max 10): an int from 1 to 10",
                      out)
        self.assertIn("dur (duration, default 30s, min 1s, max 1h): 1s to 1h",
                      out)
        self.assertIn("e (enum: red|green, default red)", out)
        self.assertIn("server (object, optional)", out)
        self.assertIn("        user (string, required)", out)
        self.assertIn("tables (object list, optional)", out)
        self.assertIn("token (string, default <secret>, secret): a secret", out)
        self.assertNotIn("default-token-value", out)
        self.assertIn("mode (enum: crash|fail|hang|print, required): how to "
                      "fail", out)
        # Output-writing reporters get the host's two options.
        self.assertIn("output (string, default -): where to write the "
                      "report", out)
        self.assertIn("tp_abi_major (broken)", out)
        self.assertIn("error: " + os.path.join(TEST_PLUGIN_DIR,
                                               "tp_abi_major.so") +
                      ": built for nbaq ABI 2.0", out)
        self.assertIn("x (broken)\n    path: " + os.path.join(d, "x.so") +
                      "\n    error: ", out)
        self.assertIn("tp_no_symbol (broken)", out)

    def test_with_config_uses_its_plugin_dirs(self):
        d = temp_dir(self)
        os.makedirs(os.path.join(d, "extra"))
        shutil.copy(os.path.join(TEST_PLUGIN_DIR, "tp_trivial.so"),
                    os.path.join(d, "extra", "only_here.so"))
        path = write_file(d, "m.yaml", "plugin_dirs: [extra]\n")
        r = run_host("--list-plugins", "-c", path)
        self.assertIn(os.path.join(d, "extra", "only_here.so"), r.stdout)
        self.assertIn("only_here (broken)", r.stdout)
        self.assertIn("differs from the file name 'only_here'", r.stdout)

    def test_shadowed_copies_are_shown(self):
        d = temp_dir(self)
        shutil.copy(os.path.join(TEST_PLUGIN_DIR, "tp_trivial.so"), d)
        r = run_host("--list-plugins", "--plugin-dir", TEST_PLUGIN_DIR,
                     "--plugin-dir", d)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("tp_trivial (checker) 1.0.0\n", r.stdout)
        self.assertIn("tp_trivial (shadowed)\n    path: " +
                      os.path.join(d, "tp_trivial.so") +
                      "\n    not used: " +
                      os.path.join(TEST_PLUGIN_DIR, "tp_trivial.so") +
                      " comes first in the search path\n", r.stdout)


if __name__ == "__main__":
    unittest.main()
