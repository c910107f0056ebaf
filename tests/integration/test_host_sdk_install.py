"""`cmake --install` gives a working host and SDK anywhere: the example
checker of docs/examples/hello_check builds out of tree with
find_package(nbaq-sdk) and with pkg-config, its own unit tests pass
through the installed nbaq-plugin-test (nbaq_add_plugin_test), and the
installed host runs it (tests/integration)."""
import os
import shutil
import subprocess
import unittest

from hostlib import BUILD_DIR, SOURCE_DIR, temp_dir

EXAMPLE = os.path.join(SOURCE_DIR, "docs", "examples", "hello_check")


def run(args, **kw):
    r = subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)
    if r.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({r.returncode}):\n"
                             f"{r.stdout}\n{r.stderr}")
    return r


class InstalledSdk(unittest.TestCase):
    def test_install_and_build_example_both_ways(self):
        d = temp_dir(self)
        prefix = os.path.join(d, "prefix")
        run(["cmake", "--install", BUILD_DIR, "--prefix", prefix])
        libdir = "lib"
        if not os.path.isdir(os.path.join(prefix, libdir, "nbaq")):
            libdir = [x for x in os.listdir(os.path.join(prefix, "lib"))
                      if os.path.isdir(os.path.join(prefix, "lib", x, "nbaq"))]
            libdir = os.path.join("lib", libdir[0])
        host = os.path.join(prefix, "bin", "nbaq-host")
        plugin_dir = os.path.join(prefix, libdir, "nbaq", "plugins")
        harness = os.path.join(prefix, "bin", "nbaq-plugin-test")
        for path in (host, harness, os.path.join(prefix, "include", "nbaq.h"),
                     os.path.join(prefix, libdir, "pkgconfig", "nbaq-sdk.pc"),
                     os.path.join(prefix, libdir, "cmake", "nbaq-sdk",
                                  "nbaq-sdk-config.cmake"),
                     os.path.join(plugin_dir, "text.so"),
                     # host component: inside the prefix, not in /etc
                     os.path.join(prefix, "etc", "nbaq", "monitor.yaml"),
                     os.path.join(prefix, "lib", "systemd", "system",
                                  "nbaq.service")):
            self.assertTrue(os.path.exists(path), path)
        installed = os.listdir(plugin_dir)
        self.assertFalse([p for p in installed if p.startswith("tp_")],
                         "test plugins must not be installed")

        work = os.path.join(d, "example")
        shutil.copytree(EXAMPLE, work)
        env = dict(os.environ)
        env.pop("NBAQ_PLUGIN_PATH", None)

        # pkg-config, with the example's Makefile.
        pc_env = dict(env, PKG_CONFIG_PATH=os.path.join(prefix, libdir,
                                                        "pkgconfig"))
        flags = run(["pkg-config", "--cflags", "nbaq-sdk"], env=pc_env).stdout
        self.assertTrue(flags.startswith("-I"), flags)
        self.assertEqual(os.path.realpath(flags.strip()[2:]),
                         os.path.realpath(os.path.join(prefix, "include")))
        plugindir = run(["pkg-config", "--variable=plugindir", "nbaq-sdk"],
                        env=pc_env).stdout.strip()
        self.assertEqual(os.path.realpath(plugindir),
                         os.path.realpath(plugin_dir))
        run(["make", "-C", work], env=pc_env)
        r = subprocess.run([host, "-c", os.path.join(work, "monitor.yaml"),
                            "--plugin-dir", work], capture_output=True,
                           text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(os.path.join(work, "monitor.yaml")) as f:
            lines = f.read().count("\n")
        self.assertIn(f"hello: monitor.yaml has {lines} lines", r.stdout)
        os.remove(os.path.join(work, "hello_check.so"))

        # CMake, find_package(nbaq-sdk), installed into the plugin dir.
        build = os.path.join(d, "build-hello")
        run(["cmake", "-S", work, "-B", build,
             "-DCMAKE_PREFIX_PATH=" + prefix], env=env)
        run(["cmake", "--build", build], env=env)
        self.example_tests_use_the_installed_harness(build, work, harness)
        run(["cmake", "--install", build], env=env)
        self.assertTrue(os.path.exists(os.path.join(plugin_dir,
                                                    "hello_check.so")))
        r = subprocess.run([host, "--list-plugins"], capture_output=True,
                           text=True, env=env, timeout=60)
        self.assertIn("hello_check (checker) 1.0.0", r.stdout)
        self.assertIn("path (string, required): the file to read", r.stdout)
        r = subprocess.run([host, "-c", os.path.join(work, "monitor.yaml")],
                           capture_output=True, text=True, env=env,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("hello:", r.stdout)

    def example_tests_use_the_installed_harness(self, build, work, harness):
        with open(os.path.join(build, "CTestTestfile.cmake")) as f:
            self.assertIn(harness, f.read())
        r = run(["ctest", "--test-dir", build, "--output-on-failure"])
        self.assertIn("100% tests passed, 0 tests failed out of 2", r.stdout)
        # A test must be able to fail: 4 lines expected, 3 counted.
        expected = os.path.join(work, "tests", "counts.json")
        with open(expected) as f:
            text = f.read()
        with open(expected, "w") as f:
            f.write(text.replace('"value": 3,', '"value": 4,'))
        r = subprocess.run(["ctest", "--test-dir", build, "-R",
                            "hello_check_counts", "--output-on-failure"],
                           capture_output=True, text=True, timeout=120)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn("counts.json: .metrics[0].value: expected 4, got 3",
                      r.stdout)
        with open(expected, "w") as f:
            f.write(text)


if __name__ == "__main__":
    unittest.main()
