#!/usr/bin/env bash
# A whole host run that judges N metrics with `anomaly: true`, on SQLite,
# after H earlier hourly runs have filled the history (issue 11's cost
# target: 10,000 judged metrics in < 1 s). The metrics come from exec
# checks of 1,000 perfdata values each (a check sets at most 1,000), which
# vary a little from run to run.
#   bench/detect/host_run.sh [BUILD_DIR [N [H [REPEATS]]]]   (build 10000 60 5)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
n=${2:-10000}
h=${3:-60}
repeats=${4:-5}
cmake --build "$build" --target nbaq-host exec >/dev/null
dir=$(mktemp -d "${TMPDIR:-/tmp}/nbaq-detect-run.XXXXXX")
trap 'rm -rf "$dir"' EXIT

. "$here/host_setup.sh"
detect_write_emit "$dir" "$n"
detect_config "$n" "python3, emit.py" >"$dir/monitor.yaml"
start=1767225600000
for i in $(seq 1 "$h"); do
    echo "$i" >"$dir/run"
    NBAQ_NOW=$((start + i * 3600000)) "$build/nbaq-host" -c "$dir/monitor.yaml" -q >/dev/null || true
done
echo "history: $h runs x $n metrics in $dir/history.db ($(du -h "$dir/history.db" | cut -f1))"
for r in $(seq 1 "$repeats"); do
    i=$((h + r))
    echo "$i" >"$dir/run"
    /usr/bin/time -f "run $r: %e s wall, %U s user, %S s sys, %M KB max RSS" \
        env NBAQ_NOW=$((start + i * 3600000)) "$build/nbaq-host" \
        -c "$dir/monitor.yaml" -q >/dev/null 2>"$dir/time" || true
    tail -1 "$dir/time"
done
# What the checks themselves cost (python printing the values), alone:
/usr/bin/time -f "the $((n / 1000)) emit.py alone: %e s wall, %U s user, %S s sys" \
    sh -c "for f in \$(seq 0 1000 $((n - 1))); do python3 '$dir/emit.py' \$f; done" >/dev/null
