#!/usr/bin/env bash
# Host benchmark: overhead per isolated check and peak RSS with 1,000
# trivial checks. Usage: bench/host/run.sh [build-dir] [bench_host args...]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
shift || true
cmake --build "$build" --target bench_host nbaq-host tp_trivial >/dev/null
"$build/bench/host/bench_host" "$@"
