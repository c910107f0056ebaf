#!/usr/bin/env bash
# The run of host_run.sh (N judged metrics, exec checks of 1,000 perfdata
# values, `anomaly: true`, SQLite) timed on the same history for two
# builds, alternating: run H + 1 on a copy of an H-run history, each time.
#   bench/detect/host_compare.sh REF_BUILD NEW_BUILD [N [H [REPEATS]]]
# Per repeat and build, two lines:
#   python: the whole run, the checks' python included (issue 11's figure);
#   cat:    the same run with each check's output replayed by `cat`, so
#           that user + sys is the host's own cost.
# The history is written by REF_BUILD; NEW_BUILD's copy is opened once
# before timing, so that a schema migration is not part of its runs.
set -euo pipefail
ref=$(cd "$1" && pwd)
new=$(cd "$2" && pwd)
n=${3:-10000}
h=${4:-60}
repeats=${5:-3}
for b in "$ref" "$new"; do
    cmake --build "$b" --target nbaq-host exec >/dev/null
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/nbaq-detect-compare.XXXXXX")
trap 'rm -rf "$dir"' EXIT

. "$(cd "$(dirname "$0")" && pwd)/host_setup.sh"
detect_write_emit "$dir" "$n"
detect_config "$n" "python3, emit.py" >"$dir/python.yaml"
detect_config "$n" "sh, replay.sh" >"$dir/cat.yaml"
echo 'exec cat "out$1.txt"' >"$dir/replay.sh"

start=1767225600000
for i in $(seq 1 "$h"); do
    echo "$i" >"$dir/run"
    NBAQ_NOW=$((start + i * 3600000)) "$ref/nbaq-host" -c "$dir/python.yaml" \
        -q >/dev/null || true
done
echo "history: $h runs x $n metrics ($(du -h "$dir/history.db" | cut -f1))"
cp "$dir/history.db" "$dir/ref.db"
cp "$dir/history.db" "$dir/new.db"
(cd "$dir" && cp new.db history.db &&
    "$new/nbaq-host" -c python.yaml history trends --window 1h >/dev/null &&
    cp history.db new.db)
i=$((h + 1))
echo "$i" >"$dir/run"
for first in $(seq 0 1000 $((n - 1))); do
    python3 "$dir/emit.py" "$first" >"$dir/out$first.txt"
done

# one BUILD DB KIND: run H + 1 on a copy of DB
one() {
    rm -f "$dir/history.db-wal" "$dir/history.db-shm"
    cp "$dir/$2.db" "$dir/history.db"
    (cd "$dir" && /usr/bin/time -f "%e s wall, %U s user, %S s sys" \
        env NBAQ_NOW=$((start + i * 3600000)) "$1/nbaq-host" -c "$3.yaml" \
        -q >/dev/null 2>time.txt || true)
    echo "$2 $3: $(tail -1 "$dir/time.txt")"
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$repeats"); do
    for kind in python cat; do
        one "$ref" ref "$kind"
        one "$new" new "$kind"
    done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
