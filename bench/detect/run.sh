#!/usr/bin/env bash
# The anomaly rule's benchmark: recall, delay and false alarms per family
# of the labelled corpus, for nbaq and four baselines, then the CPU cost
# of one judgement.
#   bash bench/detect/run.sh [BUILD_DIR] [SERIES]   (default: build, 10)
# Figures: docs/performance.md and docs/detection.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
series=${2:-10}
cmake --build "$build" --target bench_detect >/dev/null
bench=$build/bench/detect/bench_detect
"$bench" table "$series"
echo
"$bench" speed
