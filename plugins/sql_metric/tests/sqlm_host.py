"""One sql_metric check through the real nbaq-host and its JSON report,
shared by the Python tests of sql_metric (ctest sets NBAQ_SOURCE_DIR and
NBAQ_HOST)."""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.environ.get("NBAQ_SOURCE_DIR", ""),
                                "lib", "pgconn", "tests"))
from pgfixture import nbaq_test  # noqa: E402


def run_sql_metric(test, query, dsn, thresholds="", extra="", env=None):
    """Runs check `events` (metric late_events, unit events) with query on
    dsn; returns (process, check, metrics by name)."""
    d = nbaq_test.temp_dir(test)
    path = nbaq_test.write_file(d, "monitor.yaml", f"""monitor: sqlm
checks:
  - name: events
    plugin: sql_metric
    options:
      dsn: "${{NBAQ_SQLM_DSN}}"
      query: {json.dumps(query)}
      metric: late_events
      unit: events
{extra}{thresholds}
reporters:
  - plugin: json
    options:
      output: report.json
""")
    proc = nbaq_test.run_host("-c", path,
                              env=dict(env or {}, NBAQ_SQLM_DSN=dsn))
    report_path = os.path.join(d, "report.json")
    if not os.path.exists(report_path):
        test.fail(f"no report; exit {proc.returncode}\n{proc.stderr}")
    with open(report_path) as f:
        check = json.load(f)["checks"][0]
    return proc, check, {m["name"]: m for m in check["metrics"]}
