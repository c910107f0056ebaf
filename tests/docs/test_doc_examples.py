#!/usr/bin/env python3
"""Examples in the docs work as printed. Every C block marked
`<!-- complete plugin -->` is a whole plugin: it compiles (C11, -Wall
-Wextra -Werror, -z defs) against sdk/nbaq.h, and nbaq-host lists it
under its descriptor's name. Every YAML block marked `<!-- checks config
-->` is the checks of a valid config: nbaq-host --check-config accepts
it. Looked for in docs/ and in the plugins' and reporters' READMEs."""
import glob
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "tests", "support"))
import nbaq_test  # noqa: E402

PLUGIN_MARK = "<!-- complete plugin -->"
CONFIG_MARK = "<!-- checks config -->"


def doc_files():
    src = nbaq_test.SOURCE_DIR
    paths = glob.glob(os.path.join(src, "docs", "**", "*.md"), recursive=True)
    for folder in ("plugins", "reporters"):
        paths += glob.glob(os.path.join(src, folder, "*", "README.md"))
    return sorted(paths)


def marked_blocks(mark, lang):
    """(doc path, line of the block, text) for every block of lang that
    follows a line holding only mark."""
    block = re.compile(r"^" + re.escape(mark) + r"\n```" + lang +
                       r"\n(.*?)\n```", re.S | re.M)
    found = []
    for path in doc_files():
        with open(path) as f:
            text = f.read()
        shown = os.path.relpath(path, nbaq_test.SOURCE_DIR)
        for m in block.finditer(text):
            line = text.count("\n", 0, m.start()) + 2
            found.append((shown, line, m.group(1)))
        # A mark not followed by such a block is a mistake in the docs.
        marks = sum(1 for ln in text.splitlines() if ln == mark)
        if marks != len(block.findall(text)):
            raise AssertionError(f"{shown}: '{mark}' without a {lang} block")
    return found


class DocPlugins(unittest.TestCase):
    def test_every_marked_block_compiles_and_loads(self):
        blocks = marked_blocks(PLUGIN_MARK, "c")
        self.assertTrue(blocks, "no block is marked " + PLUGIN_MARK)
        cc = os.environ.get("NBAQ_CC", "cc")
        sdk = os.path.join(nbaq_test.SOURCE_DIR, "sdk")
        for doc, line, code in blocks:
            with self.subTest(block=f"{doc}:{line}"):
                name = re.search(r'nbaq_plugin_descriptor\b.*?'
                                 r'\.name\s*=\s*"([a-z0-9_]+)"', code,
                                 re.S)
                self.assertIsNotNone(name, "no descriptor .name")
                name = name.group(1)
                d = nbaq_test.temp_dir(self)
                source = nbaq_test.write_file(d, name + ".c", code + "\n")
                r = subprocess.run(
                    [cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-fPIC",
                     "-fvisibility=hidden", "-shared", "-I", sdk, "-o",
                     os.path.join(d, name + ".so"), source,
                     "-Wl,-z,defs"], capture_output=True, text=True,
                    timeout=60)
                self.assertEqual(r.returncode, 0,
                                 f"{doc}:{line} does not compile:\n"
                                 f"{r.stderr}")
                r = nbaq_test.run_host("--list-plugins", "--plugin-dir", d,
                                       cwd=d)
                self.assertEqual(r.returncode, 0, r.stderr)
                listed = re.search(rf"^{name} \((checker|reporter)\) .*\n"
                                   rf"(?:    .*\n)*?    path: (.*)$",
                                   r.stdout, re.M)
                self.assertIsNotNone(listed, r.stdout)
                self.assertEqual(listed.group(2),
                                 os.path.join(d, name + ".so"))

    def test_every_marked_config_is_valid(self):
        blocks = marked_blocks(CONFIG_MARK, "yaml")
        self.assertTrue(blocks, "no block is marked " + CONFIG_MARK)
        for doc, line, checks in blocks:
            with self.subTest(block=f"{doc}:{line}"):
                d = nbaq_test.temp_dir(self)
                config = nbaq_test.write_file(d, "monitor.yaml",
                                              "monitor: docs\n" + checks +
                                              "\n")
                r = nbaq_test.run_host("-c", config, "--check-config", cwd=d)
                self.assertEqual(r.returncode, 0,
                                 f"{doc}:{line} is not valid:\n{r.stderr}")


if __name__ == "__main__":
    unittest.main()
