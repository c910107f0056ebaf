#!/usr/bin/env bash
# Host benchmark: overhead per isolated check against a bare fork, and
# peak RSS (bench_host.c). Usage: bench/host/run.sh [build-dir]
# [bench_host args...], e.g. -n 5000 -r 3 -w 1,2 -b
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shift || true
cmake --build "$build" --target bench_host nbaq-host nbaq-forkserver tp_trivial >/dev/null
"$build/bench/host/bench_host" "$@"
