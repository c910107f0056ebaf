"""Declared metrics (ABI 1.2): a threshold, or a `match`, on a metric that
the check's plugin does not declare is a configuration error (78) naming
file:line:column, the check and the plugin, with a did-you-mean; the
patterns take the check's options in; --list-plugins prints them; a
plugin whose descriptor predates them loads and is not judged; a run
warns about metrics a check emits but its plugin does not declare
(tests/integration)."""
import unittest

from hostlib import (REPORT, parse_report, run_config, run_host, temp_dir,
                     TEST_PLUGIN_DIR)


def check(name, plugin, options, thresholds):
    text = f"  - name: {name}\n    plugin: {plugin}\n    options:\n"
    text += "".join(f"      {k}: {v}\n" for k, v in options.items())
    text += "    thresholds:\n"
    text += "".join(f"      \"{k}\": {v}\n" for k, v in thresholds.items())
    return text


def exec_check(thresholds, **options):
    options.setdefault("command", "[/bin/echo, '5']")
    return check("count", "exec", options, thresholds)


class UndeclaredThresholds(unittest.TestCase):
    def refused(self, checks_yaml, location, message, *args):
        r = run_config(temp_dir(self), "checks:\n" + checks_yaml, *args)
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn(f"monitor.yaml:{location}: {message}", r.stderr)
        self.assertNotIn("configuration OK", r.stdout)
        return r

    def accepted(self, checks_yaml):
        r = run_config(temp_dir(self), "checks:\n" + checks_yaml,
                       "--check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration OK", r.stdout)

    def test_typo_in_a_threshold(self):
        files = check("files", "object_count", {"url": "/tmp"},
                      {"objcts": "{fail_below: 1}"})
        self.refused(files, "7:7", "check 'files': threshold 'objcts': "
                     "plugin 'object_count' declares no such metric (did "
                     "you mean 'objects'?)", "--check-config")
        # a run refuses it too, before any check starts
        r = self.refused(files + REPORT, "7:7",
                         "check 'files': threshold 'objcts'")
        self.assertEqual(r.stdout, "")
        self.accepted(check("files", "object_count", {"url": "/tmp"},
                            {"objects": "{fail_below: 1}",
                             "bytes*": "{warn_above: 1e12}"}))

    def test_family_that_an_option_turns_on(self):
        per_prefix = {"objects.by_prefix.season=2024": "{fail_below: 1}"}
        self.refused(check("files", "object_count", {"url": "/tmp"},
                           per_prefix), "7:7",
                     "check 'files': threshold "
                     "'objects.by_prefix.season=2024': plugin "
                     "'object_count' declares no such metric",
                     "--check-config")
        self.accepted(check("files", "object_count",
                            {"url": "/tmp", "by_prefix": "true"},
                            per_prefix))

    def test_name_from_an_option(self):
        self.refused(exec_check({"rowz": "{fail_above: 1}"}, mode="number",
                                metric="rows"), "9:7",
                     "check 'count': threshold 'rowz': plugin 'exec' "
                     "declares no such metric (did you mean 'rows'?)",
                     "--check-config")
        self.accepted(exec_check({"rows": "{fail_above: 1}"}, mode="number",
                                 metric="rows"))
        # without `metric`, mode number's metric is `value`
        self.accepted(exec_check({"value": "{fail_above: 1}"}, mode="number"))
        # mode nagios: the command names its metrics; anything goes
        self.accepted(exec_check({"time": "{fail_above: 1}"}))

    def test_per_table_and_per_column_families(self):
        options = {"dsn": "postgresql://127.0.0.1/x",
                   "tables": "[{name: orders, critical_columns: [id]}]"}
        self.accepted(check("db", "db_quality", options, {
            "orders.rows": "{fail_below: 1}",
            "orders.id.null_pct": "{fail_above: 1}",
            "orders.total.invalid_count": "{fail_above: 0}",
            "*.completeness_pct": "{fail_below: 99}"}))
        self.refused(check("db", "db_quality", options,
                           {"ordrs.rows": "{fail_below: 1}"}), "8:7",
                     "check 'db': threshold 'ordrs.rows': plugin "
                     "'db_quality' declares no such metric (did you mean "
                     "'orders.rows'?)", "--check-config")
        self.refused(check("db", "db_quality", options,
                           {"orders.total.invalid_cnt": "{fail_above: 0}"}),
                     "8:7", "check 'db': threshold "
                     "'orders.total.invalid_cnt': plugin "
                     "'db_quality' declares no such metric; nearest "
                     "declared: 'orders.*.invalid_count', ", "--check-config")
        # a critical column's NULLs are declared for critical columns only
        self.refused(check("db", "db_quality", options,
                           {"orders.total.nulls": "{fail_above: 0}"}),
                     "8:7", "check 'db': threshold 'orders.total.nulls'",
                     "--check-config")

    def test_match_on_a_metric_the_other_check_does_not_declare(self):
        files = check("files", "object_count", {"url": "/tmp"}, {
            "objects": "{match: {metric: \"count/rowz\"}}"})
        self.refused(files + exec_check({}, mode="number", metric="rows"),
                     "7:35", "check 'files': threshold 'objects': match: "
                     "metric 'rowz' of check 'count': plugin 'exec' declares "
                     "no such metric (did you mean 'rows'?)", "--check-config")
        files = check("files", "object_count", {"url": "/tmp"}, {
            "objects": "{match: {metric: \"count/rows\"}}"})
        self.accepted(files + exec_check({}, mode="number", metric="rows"))


class DescriptorSizes(unittest.TestCase):
    def test_a_descriptor_from_before_the_declarations_loads(self):
        yaml = ("checks:\n  - name: old\n    plugin: tp_old_descriptor\n"
                "    thresholds:\n      value: {fail_above: 5}\n"
                "      anything_at_all: {fail_above: 5}\n")
        d = temp_dir(self)
        r = run_config(d, yaml, "--check-config")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_config(d, yaml + REPORT)
        self.assertEqual(r.returncode, 0, r.stderr)
        old = parse_report(r.stdout)["checks"]["old"]
        self.assertEqual((old["status"], old["message"]),
                         ("PASS", "old descriptor ran"))
        self.assertEqual(old["metrics"]["value"]["value"], 1)

    def test_a_bad_declaration_refuses_the_plugin(self):
        r = run_config(temp_dir(self), "checks:\n  - name: c\n"
                       "    plugin: tp_bad_metrics\n", "--check-config")
        self.assertEqual(r.returncode, 78, r.stderr)
        self.assertIn("monitor.yaml:3:13: check 'c': ", r.stderr)
        self.assertIn("tp_bad_metrics.so: plugin 'tp_bad_metrics': metric "
                      "pattern '{tabel}.rows': placeholder at byte 0 names "
                      "no option of the plugin", r.stderr)


def declared_check(name, emit, **options):
    """A tp_declared check (sdk/harness/tests/plugins) emitting emit."""
    text = (f"  - name: {name}\n    plugin: tp_declared\n    options:\n"
            f"      emit: [{', '.join(emit)}]\n")
    return text + "".join(f"      {k}: {v}\n" for k, v in options.items())


class UndeclaredAtRunTime(unittest.TestCase):
    WARNING = "nbaq-host: warning: check '{}': plugin 'tp_declared' emitted "

    def run_checks(self, checks_yaml, *args):
        r = run_config(temp_dir(self), "checks:\n" + checks_yaml + REPORT,
                       *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return r

    def test_warned_once_per_check_naming_check_plugin_and_metric(self):
        r = self.run_checks(
            declared_check("orders", ["rows", "orders.nulls", "rows_x"],
                           table="orders") +
            declared_check("clean", ["rows", "rows.by_day.d1"],
                           by_day="true"))
        warnings = [line for line in r.stderr.splitlines()
                    if "does not declare" in line]
        self.assertEqual(warnings, [
            self.WARNING.format("orders") + "1 metric it does not declare: "
            "'rows_x' (a plugin bug: thresholds on it are refused; "
            "nbaq-host --list-plugins shows what it declares)"])
        # the metric is kept and judged as usual
        checks = parse_report(r.stdout)["checks"]
        self.assertEqual(checks["orders"]["status"], "PASS")
        self.assertEqual(checks["orders"]["metrics"]["rows_x"]["value"], 1)

    def test_many_names_are_cut_and_counted(self):
        emit = [f"extra_{i}" for i in range(7)]
        r = self.run_checks(declared_check("wide", emit))
        self.assertIn(self.WARNING.format("wide") + "7 metrics it does not "
                      "declare: 'extra_0', 'extra_1', 'extra_2', 'extra_3', "
                      "'extra_4' and 2 more (", r.stderr)

    def test_quiet_drops_it_and_undeclaring_plugins_are_not_judged(self):
        r = self.run_checks(declared_check("wide", ["extra"]), "-q")
        self.assertNotIn("does not declare", r.stderr)
        r = self.run_checks("  - name: old\n    plugin: tp_old_descriptor\n"
                            "  - name: any\n    plugin: tp_healthy\n"
                            "    options: {metrics: {whatever: 1}}\n")
        self.assertNotIn("does not declare", r.stderr)


class Listing(unittest.TestCase):
    def test_list_plugins_prints_the_declarations(self):
        r = run_host("--list-plugins", "--plugin-dir", TEST_PLUGIN_DIR)
        self.assertEqual(r.returncode, 0, r.stderr)
        blocks = {b.split(" ", 1)[0]: b for b in r.stdout.split("\n\n")}
        self.assertIn("    metrics:\n      objects (count): objects counted\n",
                      blocks["object_count"])
        self.assertIn("      {by_prefix=true}objects.by_prefix.* (count): "
                      "with by_prefix: objects under each first-level "
                      "prefix\n", blocks["object_count"])
        self.assertIn("      {mode=number}{metric|value}: mode number: the "
                      "number printed, in the option unit\n", blocks["exec"])
        self.assertIn("    metrics: not declared",
                      blocks["tp_old_descriptor"])
        self.assertNotIn("metrics:", blocks["json"])  # a reporter
        self.assertIn("placeholder at byte 0 names no option",
                      blocks["tp_bad_metrics"])


if __name__ == "__main__":
    unittest.main()
