#!/usr/bin/env bash
# Load benchmark of nbaq-host --daemon. Usage:
#   bench/daemon/run.sh [build-dir] [checks] [requests] [concurrency] [rounds]
# Starts the daemon on 127.0.0.1 with CHECKS exec checks (5 metrics each,
# every 1 s, history in SQLite), then, while they run, sends REQUESTS
# requests with ab (apache2-utils) to /metrics and to /api/status, ROUNDS
# (default 3) times each (ab -l: answers differ in length as the figures
# change), and prints ab's figures with the daemon's RSS (VmRSS) before and
# after every round. Fails when a request failed.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
checks=${2:-20}
requests=${3:-10000}
concurrency=${4:-8}
rounds=${5:-3}
command -v ab >/dev/null || { echo "ab missing: apt-get install apache2-utils" >&2; exit 1; }
cmake --build "$build" --target bench_daemon >/dev/null
host=$(realpath "$build/nbaq-host")

dir=$(mktemp -d /tmp/nbaq-bench-daemon-XXXXXX)
pid=
cleanup() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        wait "$pid" || true
    fi
    rm -rf "$dir"
}
trap cleanup EXIT

{
    printf 'monitor: bench\nworkers: 4\nhistory:\n  url: history.db\n'
    printf 'daemon:\n  listen: 127.0.0.1:0\n  jitter: 0.5\nchecks:\n'
    for i in $(seq 1 "$checks"); do
        printf '  - name: check_%d\n    plugin: exec\n    interval: 1s\n' "$i"
        printf '    options:\n      command: [sh, -c, "echo ok|a=%d b=2 c=3 d=4 e=5"]\n' "$i"
    done
} >"$dir/monitor.yaml"

"$host" -c "$dir/monitor.yaml" --daemon -v >/dev/null 2>"$dir/daemon.log" &
pid=$!
for _ in $(seq 1 100); do
    port=$(sed -n 's|.*listening on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$dir/daemon.log")
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat "$dir/daemon.log" >&2; exit 1; }
# Let every check run once, so that the answers have their full size.
for _ in $(seq 1 100); do
    curl -s "http://127.0.0.1:$port/api/status" | grep -q '"status":null' || break
    sleep 0.1
done

rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

echo "nbaq-host --daemon, $checks checks every 1 s (5 metrics each), ab -n $requests -c $concurrency"
printf '%-12s %5s %10s %9s %9s %9s %8s %11s %11s\n' path round req/s "mean ms" "p50 ms" \
    "p99 ms" failed "RSS before" "RSS after"
for path in /metrics /api/status; do
    for round in $(seq 1 "$rounds"); do
        before=$(rss)
        out=$(ab -q -l -n "$requests" -c "$concurrency" "http://127.0.0.1:$port$path")
        after=$(rss)
        rps=$(awk '/^Requests per second/ {print $4}' <<<"$out")
        mean=$(awk '/^Time per request:.*\(mean\)$/ {print $4}' <<<"$out")
        p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
        p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
        failed=$(awk '/^Failed requests/ {print $3}' <<<"$out")
        non2xx=$(awk '/^Non-2xx responses/ {print $3}' <<<"$out")
        printf '%-12s %5s %10s %9s %9s %9s %8s %8s KiB %8s KiB\n' "$path" "$round" "$rps" \
            "$mean" "$p50" "$p99" "$failed" "$before" "$after"
        if [ "$failed" != 0 ] || [ -n "$non2xx" ]; then
            echo "requests failed: $failed, non-2xx: ${non2xx:-0}" >&2
            exit 1
        fi
    done
    echo "  ($path: $(curl -s "http://127.0.0.1:$port$path" | wc -c) bytes per answer)"
done
rounds=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^nbaq_daemon_rounds_total/ {print $2}')
echo "rounds of checks finished meanwhile: $rounds"
