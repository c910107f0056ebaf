"""Options of every type reach the plugin through the host API as written
or as defaulted (tests/integration)."""
import unittest

from hostlib import REPORT, parse_report, run_config, temp_dir


class Options(unittest.TestCase):
    def message(self, options_yaml, env=None):
        """tp_options' message, and the config's path."""
        d = temp_dir(self)
        yaml = ("checks:\n  - name: o\n    plugin: tp_options\n"
                "    options:\n" + options_yaml + REPORT)
        r = run_config(d, yaml, env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        return (parse_report(r.stdout)["checks"]["o"]["message"],
                d + "/monitor.yaml")

    def test_every_type(self):
        msg, path = self.message(
            "      i: 3\n"
            "      d: 2.5\n"
            "      b: yes\n"
            "      dur: 1m30s\n"
            "      sz: 2K\n"
            "      e: green\n"
            "      sl: lone\n"
            "      sm: {k: v, a: b}\n"
            "      server: {user: bob}\n"
            "      tables: [{name: t1}, {name: t2, weight: 3}]\n"
            "      token: ${NBAQ_IT_TOKEN}\n",
            env={"NBAQ_IT_TOKEN": "abcdef"})
        self.assertEqual(
            msg, "s=dflt i=3 set=1 d=2.5 b=1 dur=90000 sz=2048 e=green "
            "sl=[lone] sm={k:v,a:b} server={bob:5432} tables=[t1:1.5,t2:3] "
            f"token_len=6 loc_i={path}:5:10 loc_s=")

    def test_defaults(self):
        msg, _ = self.message("      {}\n")
        self.assertEqual(
            msg, "s=dflt i=0 set=0 d=0 b=0 dur=30000 sz=1024 e=red sl=[] "
            "sm={} server=none tables=[] token_len=19 loc_i= loc_s=")


if __name__ == "__main__":
    unittest.main()
