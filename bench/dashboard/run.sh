#!/usr/bin/env bash
# The dashboard at scale. Usage:
#   bench/dashboard/run.sh [build-dir] [checks] [metrics] [loads]
# Defaults: 500 checks of 20 metrics, 5 page loads. measure.py does the
# work (a daemon on 127.0.0.1, the page in headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target bench_dashboard >/dev/null
exec python3 bench/dashboard/measure.py "$(realpath "$build/nbaq-host")" \
    "${2:-500}" "${3:-20}" "${4:-5}"
