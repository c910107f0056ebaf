#!/usr/bin/env bash
# validate() and declared metrics at config load (issue 14): --check-config
# on a config of N exec checks (default 1,000), each in mode number with a
# metric and a threshold on it, so that every check goes through exec's
# validate() and its threshold through the metric declarations. Runs the
# build under test and a reference build alternately, 7 times each, and
# prints the median wall and CPU (user + sys, the host and its children)
# time of each.
# Usage: bench/host/validate_scale.sh build reference-build [checks]
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/host/alternate.sh
build=$1
reference=$2
checks=${3:-1000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$checks" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/exec.yaml", "w") as f:
    f.write("monitor: scale\nchecks:\n")
    for i in range(n):
        f.write(f"  - name: check_{i}\n    plugin: exec\n    options:\n"
                f"      command: [/bin/true]\n      mode: number\n"
                f"      metric: rows\n    thresholds:\n"
                f"      rows: {{warn_above: {i}}}\n")
PY
alternate_host_runs "$work" "$checks exec checks, --check-config" "$build" "$reference" -- \
    --check-config -c "$work/exec.yaml"
