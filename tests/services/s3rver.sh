#!/usr/bin/env bash
# Start or stop a throw-away s3rver (an S3-compatible server) on 127.0.0.1.
#   s3rver.sh start DIR   serve DIR/data on a free port, write DIR/env
#   s3rver.sh stop DIR    stop the server and remove DIR
# Needs `npm ci` in tests/services (scripts/test.sh runs it). Node runs
# with --openssl-legacy-provider: s3rver's continuation tokens use DES,
# without which every truncated ListObjectsV2 page answers 500.
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/node_modules/s3rver/bin/s3rver.js

case "$action" in
start)
    if [ -f "$dir/env" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        exit 0
    fi
    [ -f "$bin" ] || { echo "s3rver.sh: $bin missing: run 'npm ci' in $here" >&2; exit 1; }
    command -v node >/dev/null || { echo "s3rver.sh: node is not installed" >&2; exit 1; }
    rm -rf "$dir"
    mkdir -p "$dir/data"
    port=$(python3 "$here/free_port.py")
    # setsid: the server outlives this script, in its own process group.
    setsid node --openssl-legacy-provider "$bin" -d "$dir/data" -a 127.0.0.1 \
        -p "$port" --silent >"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    # Ready when the port accepts connections; bounded wait.
    if ! python3 - "$port" <<'PY'
import socket, sys, time
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
PY
    then
        cat "$dir/server.log" >&2
        kill "$(cat "$dir/pid")" 2>/dev/null || true
        exit 1
    fi
    {
        echo "NBAQ_TEST_S3_ENDPOINT=http://127.0.0.1:$port"
        echo "NBAQ_TEST_S3_PORT=$port"
        echo "NBAQ_TEST_S3_ACCESS_KEY=S3RVER"
        echo "NBAQ_TEST_S3_SECRET_KEY=S3RVER"
        echo "NBAQ_TEST_S3_REGION=us-east-1"
    } >"$dir/env.tmp"
    mv "$dir/env.tmp" "$dir/env"
    echo "s3rver started on 127.0.0.1:$port"
    ;;
stop)
    if [ -f "$dir/pid" ]; then
        pid=$(cat "$dir/pid")
        kill "$pid" 2>/dev/null || true
        # Wait (bounded) for it to go, so that DIR can be removed.
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*) echo "usage: s3rver.sh start|stop DIR" >&2; exit 64 ;;
esac
