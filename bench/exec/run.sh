#!/usr/bin/env bash
# What the exec checker and the text and json reporters cost.
#   bench/exec/run.sh [BUILD_DIR]   (default: build)
# 1. nbaq-bench-exec: perfdata parsing, spawning a command, a command
#    writing 100 MB.
# 2. The text and json reporters on synthetic runs of 1,000 and 10,000
#    checks (5 metrics of 30 history points each), with the reporter
#    benchmark of bench/reports.
# 3. nbaq-host on a config of 20 exec checks running /bin/true.
set -euo pipefail
build=${1:-build}
"$build/bench/exec/nbaq-bench-exec"
for checks in 1000 10000; do
    for reporter in text json; do
        "$build/bench/reports/nbaq-bench-reports" \
            "$build/plugins/$reporter.so" "$checks" 5 30
    done
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
{
    echo "monitor: bench"
    echo "checks:"
    for i in $(seq 1 20); do
        echo "  - {name: c$i, plugin: exec, options: {command: [/bin/true]}}"
    done
    echo "reporters:"
    echo "  - {plugin: json, options: {output: report.json}}"
} >"$dir/monitor.yaml"
start=$(date +%s%N)
"$build/nbaq-host" -c "$dir/monitor.yaml" || true
end=$(date +%s%N)
echo "nbaq-host: 20 exec checks of /bin/true and the json reporter:" \
    "$(((end - start) / 1000000)) ms wall"
