#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang in build-fuzz and runs
# each for SECONDS (default 10) on a copy of its committed seed corpus,
# with its dictionary, as many at a time as there are cores. Fails after
# the batch with a finding; the input that found it is left in
# build-fuzz/findings/. docs/security.md: longer runs.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_config fuzz_perfdata fuzz_s3_xml
    fuzz_jsonv fuzz_records fuzz_daemon_request)

cmake -S . -B build-fuzz -DNBAQ_FUZZ=ON -DCMAKE_C_COMPILER=clang \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz --target fuzz_all -j "$(nproc)" >/dev/null

mkdir -p build-fuzz/findings build-fuzz/corpus

# One target: SECONDS of fuzzing on one core, its log in build-fuzz/.
fuzz_one() {
    local t=$1 work=build-fuzz/corpus/$1 dict=()
    mkdir -p "$work"
    [ -f "fuzz/$t.dict" ] && dict=(-dict="fuzz/$t.dict")
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "build-fuzz/fuzz/$t" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
        -artifact_prefix="build-fuzz/findings/$t-" \
        "$work" "fuzz/corpus/$t" >"build-fuzz/$t.log" 2>&1
}

# As many targets at a time as there are cores: each still gets its
# SECONDS of one core, and the whole takes a fraction of the time.
cores=$(nproc)
for ((i = 0; i < ${#targets[@]}; i += cores)); do
    batch=("${targets[@]:i:cores}")
    pids=()
    for t in "${batch[@]}"; do
        echo "fuzz: $t for ${seconds}s"
        fuzz_one "$t" &
        pids+=($!)
    done
    failed=()
    for k in "${!batch[@]}"; do
        t=${batch[k]}
        if wait "${pids[k]}"; then
            grep -E '^stat::number_of_executed_units' "build-fuzz/$t.log" |
                sed "s/^/$t: /" || true
        else
            failed+=("$t")
        fi
    done
    for t in "${failed[@]}"; do
        tail -n 60 "build-fuzz/$t.log" >&2
        echo "fuzz: $t found a problem; the input is in build-fuzz/findings/" >&2
    done
    [ ${#failed[@]} -eq 0 ] || exit 1
done
