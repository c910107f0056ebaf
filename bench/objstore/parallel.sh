#!/usr/bin/env bash
# Prefix-parallel listing benchmark, run by hand (figures in
# docs/performance.md and docs/scaling.md):
#   bench/objstore/parallel.sh [BUILD_DIR] [COUNT] [DELAY_MS] [RUNS]
# Starts s3rver on 127.0.0.1 with COUNT (20000) objects in 20 first-level
# prefixes (make_objects.py flat), puts latency_proxy.py (DELAY_MS, 50,
# per request) in front of it, then lists the bucket RUNS (3) times with
# objstore_bench: sequential (connections 1) and parallel (8), through
# the proxy and directly; then the max RSS for 1, 4, 8 and 16
# connections, for the memory a connection costs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
count=${2:-20000}
delay=${3:-50}
runs=${4:-3}
work=$(mktemp -d /tmp/nbaq-bench-parallel.XXXXXX)
svc=$work/s3rver
proxy_pid=
cleanup() {
    [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
    bash "$root/tests/services/s3rver.sh" stop "$svc" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

bash "$root/tests/services/s3rver.sh" start "$svc" >/dev/null
. "$svc/env"
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
echo "creating $count objects in 20 prefixes..." >&2
python3 "$here/make_objects.py" "$work/objects" "$count" flat
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 mb s3://bench >/dev/null
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 sync "$work/objects" \
    s3://bench/data/ --only-show-errors

proxy_port=$(python3 "$root/tests/services/free_port.py")
python3 "$here/latency_proxy.py" "$proxy_port" "$NBAQ_TEST_S3_PORT" "$delay" &
proxy_pid=$!
python3 - "$proxy_port" <<'PY'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("latency proxy did not start")
PY
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
echo "== max RSS by connections (through the proxy)"
for c in 1 4 8 16; do
    printf 'connections=%-2s %s\n' "$c" \
        "$("$bench" --endpoint "$proxy" --connections "$c" s3://bench/data/)"
done
