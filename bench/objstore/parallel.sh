#!/usr/bin/env bash
# Prefix-parallel listing benchmark, run by hand (figures in
# docs/performance.md and docs/scaling.md):
#   bench/objstore/parallel.sh [BUILD_DIR] [COUNT] [DELAY_MS] [RUNS]
# Starts s3rver on 127.0.0.1 with COUNT (20000) objects in 20 first-level
# prefixes (make_objects.py flat), puts latency_proxy (latency_proxy.c:
# DELAY_MS, 50, per request) in front of it, then lists the bucket RUNS
# (3) times with objstore_bench: sequential (connections 1) and parallel
# (8), through the proxy and directly; then the same through the proxy replaying
# s3rver's recorded pages (no server time, as on S3), and the max RSS for
# 1 to 20 connections there, for the memory a connection costs.
# With REFERENCE=path/to/another/objstore_bench (say, built from main),
# the replayed runs alternate between it and this build's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
count=${2:-20000}
delay=${3:-50}
runs=${4:-3}
work=$(mktemp -d /tmp/nbaq-bench-parallel.XXXXXX)
. "$here/s3rver_env.sh"
proxy_pid= replay_pid=
cleanup() {
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
    [ -n "$replay_pid" ] && kill "$replay_pid" 2>/dev/null || true
    s3rver_stop
    rm -rf "$work"
}
trap cleanup EXIT
s3rver_start
echo "creating $count objects in 20 prefixes..." >&2
python3 "$here/make_objects.py" "$work/objects" "$count" flat
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 mb s3://bench >/dev/null
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 sync "$work/objects" \
    s3://bench/data/ --only-show-errors

wait_port() { # port: returns when it accepts connections (bounded)
    python3 - "$1" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("latency proxy did not start")
PY
}
proxy_port=$(python3 "$root/tests/services/free_port.py")
proxy_bin=$build/bench/objstore/latency_proxy
"$proxy_bin" "$proxy_port" "$NBAQ_TEST_S3_PORT" "$delay" &
proxy_pid=$!
wait_port "$proxy_port"
proxy=http://127.0.0.1:$proxy_port
bench=$build/bench/objstore/objstore_bench

echo "== listing $count objects in 20 prefixes, $delay ms per request through the proxy"
for run in $(seq "$runs"); do
    for c in 1 8; do
        printf 'run %s proxy  connections=%-2s %s\n' "$run" "$c" \
            "$("$bench" --endpoint "$proxy" --connections "$c" s3://bench/data/)"
        printf 'run %s direct connections=%-2s %s\n' "$run" "$c" \
            "$("$bench" --endpoint "$NBAQ_TEST_S3_ENDPOINT" --connections "$c" s3://bench/data/)"
    done
done

# The same through a replaying proxy: s3rver's own pages, recorded by a
# warm-up listing, served again after the delay without asking s3rver,
# so that only the round trip and the client's work remain, as on S3.
replay_port=$(python3 "$root/tests/services/free_port.py")
"$proxy_bin" "$replay_port" "$NBAQ_TEST_S3_PORT" "$delay" replay &
replay_pid=$!
wait_port "$replay_port"
replay=http://127.0.0.1:$replay_port
for c in 1 8; do "$bench" --endpoint "$replay" --connections "$c" s3://bench/data/ >/dev/null; done
echo "== the same, replayed: $delay ms per request, no server time"
for run in $(seq "$runs"); do
    for which in ${REFERENCE:+reference} this; do
        binary=$bench
        [ "$which" = reference ] && binary=$REFERENCE
        for c in 1 8; do
            printf 'run %s replay %-9s connections=%-2s %s\n' "$run" \
                "$which" "$c" "$("$binary" --endpoint "$replay" \
                --connections "$c" s3://bench/data/)"
        done
    done
done
echo "== max RSS by connections (replayed, so that the pages arrive together)"
for c in 1 2 4 8 16 20; do
    "$bench" --endpoint "$replay" --connections "$c" s3://bench/data/ >/dev/null
    printf 'connections=%-2s %s\n' "$c" \
        "$("$bench" --endpoint "$replay" --connections "$c" s3://bench/data/)"
done
