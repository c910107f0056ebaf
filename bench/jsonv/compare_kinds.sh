#!/usr/bin/env bash
# jsonv against simdjson (DOM parser) per kind of file, in the same run:
# the corpus is split by kind (events, pretty, deep, series, articles,
# jsonl) and the two tools are run alternately ROUNDS times on each kind,
# so that the load of a shared machine hits both alike. Prints, per kind,
# the median and range of MB/s of each tool and the median of the
# per-round ratios jsonv / simdjson.
#   bench/jsonv/compare_kinds.sh [BUILD_DIR [MB [ROUNDS]]]  (build, 100, 5)
# JSONV_BENCH_ARGS adds options to jsonv_bench, e.g. "--ws avx2" to run
# the AVX2 kernel where the CPU would choose AVX-512; pair it with
# SIMDJSON_FORCE_IMPLEMENTATION=haswell (westmere for sse42, fallback for
# sse2), simdjson's choice on such a CPU.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
mb=${2:-100}
rounds=${3:-5}
bin=$build/bench/jsonv

cmake --build "$build" --target jsonv_bench >/dev/null
cmake --build "$build" --target simdjson_bench >/dev/null 2>&1 || true
if [ ! -x "$bin/simdjson_bench" ]; then
    echo "simdjson_bench not built: apt-get install libsimdjson-dev, then reconfigure" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/nbaq-jsonv-kinds.XXXXXX")
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_corpus.py" "$work/all" --mb "$mb"
for f in "$work"/all/*; do
    name=$(basename "$f")
    case $name in
    *.jsonl) kind=jsonl ;;
    *) kind=${name%%-*} ;;
    esac
    mkdir -p "$work/$kind"
    ln -s "$f" "$work/$kind/$name"
done

pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
mbps() { sed -n 's/.* \([0-9.]*\) MB\/s.*/\1/p'; }

printf '%-9s %-22s %-22s %s\n' kind "jsonv MB/s med (range)" \
    "simdjson MB/s med (range)" "ratio med (range)"
for kind in events pretty deep series articles jsonl; do
    [ -d "$work/$kind" ] || continue
    : >"$work/j" && : >"$work/s" && : >"$work/r"
    for _ in $(seq "$rounds"); do
        # shellcheck disable=SC2086 # JSONV_BENCH_ARGS is a list of options
        j=$("${pin[@]}" "$bin/jsonv_bench" ${JSONV_BENCH_ARGS:-} --repeat 3 \
            "$work/$kind" | mbps)
        s=$("${pin[@]}" "$bin/simdjson_bench" --repeat 3 "$work/$kind" | mbps)
        echo "$j" >>"$work/j"
        echo "$s" >>"$work/s"
        echo "$j $s" | awk '{printf "%.3f\n", $1 / $2}' >>"$work/r"
    done
    stat() { sort -g "$1" | awk '{v[NR]=$1} END {printf "%s (%s-%s)", v[int((NR+1)/2)], v[1], v[NR]}'; }
    printf '%-9s %-22s %-22s %s\n' "$kind" "$(stat "$work/j")" \
        "$(stat "$work/s")" "$(stat "$work/r")"
done
