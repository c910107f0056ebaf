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
for _ in 1 2 3 4 5 6 7; do
    for b in "$build" "$reference"; do
        /usr/bin/time -f "$b %e %U %S" -a -o "$work/times" \
            "$b/nbaq-host" --check-config -c "$work/exec.yaml" >/dev/null
    done
done
python3 - "$work/times" "$checks" "$build" "$reference" <<'PY'
import statistics, sys
path, n, builds = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
rows = [line.split() for line in open(path)]
for b in builds:
    mine = [r for r in rows if r[0] == b]
    wall = statistics.median(float(r[1]) for r in mine)
    cpu = statistics.median(float(r[2]) + float(r[3]) for r in mine)
    print(f"{b}: {n} exec checks, --check-config median wall {wall:.3f} s, "
          f"CPU {cpu:.3f} s ({len(mine)} runs)")
PY
