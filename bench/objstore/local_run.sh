#!/usr/bin/env bash
# Local-directory listing against `du -sb`, run by hand (figures in
# docs/performance.md):
#   bench/objstore/local_run.sh [BUILD_DIR [COUNT [ROUNDS]]]  (build, 100000, 7)
# Writes COUNT small files (make_objects.py: 20 sources x 30 dates) into a
# temporary directory, then runs, alternately, ROUNDS times each:
#   du         du -sb DIR (reads every directory, stats every file)
#   list       objstore_bench DIR: the walk alone, no listing cache
#   first      objstore_bench --cache-dir EMPTY DIR: the first check of a
#              run, which lists and writes the shared listing cache
#   replay     objstore_bench --cache-dir FULL DIR: a later check of the
#              run, which replays the cache
# all pinned to one core, with a warm page cache. Prints the median and
# range of each in ms and the median of the per-round ratios against du.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
count=${2:-100000}
rounds=${3:-7}
bench=$build/bench/objstore/objstore_bench
cmake --build "$build" --target objstore_bench >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/nbaq-bench-local.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$here/make_objects.py" "$work/tree" "$count"
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)

ms() { # command...: wall ms of one run
    local start end
    start=$(date +%s%N)
    "${pin[@]}" "$@" >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000000))
}

du -sb "$work/tree" >/dev/null # warm the page cache
mkdir -p "$work/full"
"$bench" --cache-dir "$work/full" "$work/tree" >/dev/null
for name in du list first replay; do : >"$work/$name"; done
for _ in $(seq "$rounds"); do
    ms du -sb "$work/tree" >>"$work/du"
    ms "$bench" "$work/tree" >>"$work/list"
    rm -rf "$work/empty" && mkdir "$work/empty"
    ms "$bench" --cache-dir "$work/empty" "$work/tree" >>"$work/first"
    ms "$bench" --cache-dir "$work/full" "$work/tree" >>"$work/replay"
done
summary() { sort -n "$1" | awk '{v[NR]=$1} END {printf "%s ms (%s-%s)", v[int((NR+1)/2)], v[1], v[NR]}'; }
ratio() { paste "$work/$1" "$work/du" | awk '{print $1 / $2}' | sort -g |
    awk '{v[NR]=$1} END {printf "%.2f (%.2f-%.2f)", v[int((NR+1)/2)], v[1], v[NR]}'; }
echo "$count files, $rounds rounds, median (range)"
printf '%-8s %-24s %s\n' du "$(summary "$work/du")" "1.00"
for name in list first replay; do
    printf '%-8s %-24s x du: %s\n' "$name" "$(summary "$work/$name")" "$(ratio "$name")"
done
