#!/usr/bin/env bash
# Time and peak memory of the markdown, html, junit and prometheus
# reporters on synthetic runs of 1,000, 10,000 and 50,000 checks.
#   bench/reports/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
bench=$build/bench/reports/nbaq-bench-reports
for checks in 1000 10000 50000; do
    for reporter in markdown html junit prometheus; do
        "$bench" "$build/plugins/$reporter.so" "$checks" 5 30
    done
done
