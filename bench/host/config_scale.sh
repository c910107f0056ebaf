#!/usr/bin/env bash
# Config scale (issue 17): load and validate (--check-config: parse, plugin
# binding, option validation) a config of N checks (default 50,000), each
# with a name, a plugin, a timeout and a threshold. Prints the median wall
# wall and CPU (user + sys) time of 5 runs and the peak RSS above that of an
# empty config, per check. Fails when the median CPU time is 1 s or more
# (wall time depends on what else the machine runs) or the memory is above
# 2 KiB per check.
# Usage: bench/host/config_scale.sh [build-dir] [checks]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
checks=${2:-50000}
cmake --build "$build" --target nbaq-host tp_trivial >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work" "$checks" <<'PY'
import sys
work, n = sys.argv[1], int(sys.argv[2])
with open(f"{work}/big.yaml", "w") as f:
    f.write("monitor: scale\nchecks:\n")
    for i in range(n):
        f.write(f"  - name: check_{i}\n    plugin: tp_trivial\n"
                f"    timeout: 5s\n    thresholds:\n"
                f"      value: {{warn_above: {i + 10}}}\n")
with open(f"{work}/empty.yaml", "w") as f:
    f.write("monitor: scale\nchecks: []\n")
PY
measure() { # config -> "seconds max_rss_kib" per run
    for _ in 1 2 3 4 5; do
        /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$build/nbaq-host" \
            --check-config -c "$1" --plugin-dir "$build/test-plugins" \
            >/dev/null
        cat "$work/time"
    done
}
measure "$work/big.yaml" >"$work/big"
measure "$work/empty.yaml" >"$work/empty"
python3 - "$work" "$checks" <<'PY'
import statistics, sys
work, n = sys.argv[1], int(sys.argv[2])
def read(name):
    rows = [line.split() for line in open(f"{work}/{name}")]
    return ([float(r[0]) for r in rows], [int(r[1]) for r in rows],
            [float(r[2]) + float(r[3]) for r in rows])
big_s, big_kib, big_cpu = read("big")
_, empty_kib, _ = read("empty")
wall = statistics.median(big_s)
cpu = statistics.median(big_cpu)
per_check = (max(big_kib) - max(empty_kib)) * 1024 / n
print(f"{n} checks: --check-config median {wall:.2f} s "
      f"(runs {', '.join(f'{s:.2f}' for s in big_s)}; CPU {cpu:.2f} s), "
      f"peak RSS "
      f"{max(big_kib)} KiB vs {max(empty_kib)} KiB empty: "
      f"{per_check:.0f} bytes per check")
ok = cpu < 1.0 and per_check <= 2048
print("within target (< 1 s CPU, <= 2 KiB per check)" if ok else "OVER TARGET")
sys.exit(0 if ok else 1)
PY
