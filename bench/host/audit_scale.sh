#!/usr/bin/env bash
# The run-time audit of declared metrics (core/metric_audit.c): a run of
# N tp_declared checks (default 20), each declaring per item of `tables`
# the names "<t>.rows" and "<t>.*.nulls" for 1,000 tables (2,003
# patterns), and emitting 1,000 metrics "<t>.id.nulls" (the most a check
# may set), which nbaq-host matches against those patterns after the
# check. Runs the build under test and a reference build alternately, 7
# times each, on the same test plugin (this build's), and prints the
# median wall and CPU (user + sys, the host and its children) time.
# Usage: bench/host/audit_scale.sh build reference-build [checks]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/host/alternate.sh
build=$1
reference=$2
checks=${3:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$checks" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
tables = ", ".join(f"t{i}" for i in range(1000))
emit = ", ".join(f"t{i}.id.nulls" for i in range(1000))
with open(f"{work}/audit.yaml", "w") as f:
    f.write("monitor: audit\nworkers: 1\nchecks:\n")
    for i in range(n):
        f.write(f"  - name: check_{i}\n    plugin: tp_declared\n"
                f"    options:\n      tables: [{tables}]\n"
                f"      emit: [{emit}]\n")
PY
alternate_host_runs "$work" "$checks checks of 1,000 metrics," "$build" "$reference" -- \
    -c "$work/audit.yaml" --plugin-dir "$build/test-plugins"
