#!/usr/bin/env bash
# JSON validation throughput on one core: nbaq's validator (lib/jsonv)
# against cJSON, simdjson and Python's json, on a generated corpus of
# realistic files (10 KB to 5 MB) in a temporary directory, removed after.
#   bench/jsonv/run.sh [BUILD_DIR [MB]]     (defaults: build, 200)
# simdjson_bench is built only when libsimdjson-dev is installed (Debian 12
# has it) and a C++ compiler is found; without it that line is skipped.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
mb=${2:-200}

cmake --build "$build" --target jsonv_bench >/dev/null
cmake --build "$build" --target simdjson_bench >/dev/null 2>&1 || true

corpus=$(mktemp -d "${TMPDIR:-/tmp}/nbaq-jsonv-corpus.XXXXXX")
trap 'rm -rf "$corpus"' EXIT
python3 "$here/gen_corpus.py" "$corpus" --mb "$mb"

# One core: pinned when taskset is there.
pin=()
command -v taskset >/dev/null && pin=(taskset -c 0)
bin=$build/bench/jsonv

"${pin[@]}" "$bin/jsonv_bench" --repeat 5 "$corpus"
"${pin[@]}" "$bin/jsonv_bench" --stream "$corpus"
"${pin[@]}" "$bin/jsonv_bench" --tool cjson --repeat 3 "$corpus"
if [ -x "$bin/simdjson_bench" ]; then
    "${pin[@]}" "$bin/simdjson_bench" --repeat 5 "$corpus"
else
    echo "simdjson: skipped (apt-get install libsimdjson-dev, then reconfigure)"
fi
"${pin[@]}" python3 "$here/python_json_bench.py" --repeat 1 "$corpus"
