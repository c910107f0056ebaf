#!/usr/bin/env bash
# Start or stop a throw-away Prometheus Alertmanager on 127.0.0.1.
#   alertmanager.sh start DIR   config and storage in DIR, a free port,
#                               no cluster; write DIR/env once it is ready
#   alertmanager.sh stop DIR    stop it and remove DIR
set -euo pipefail
action=${1:?start|stop}
dir=${2:?directory}
here=$(cd "$(dirname "$0")" && pwd)
binary=/usr/bin/prometheus-alertmanager
[ -x "$binary" ] || { echo "alertmanager.sh: $binary missing (apt-get install prometheus-alertmanager)" >&2; exit 1; }

running() { [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; }

case "$action" in
start)
    if [ -f "$dir/env" ] && running; then
        exit 0
    fi
    if running; then kill "$(cat "$dir/pid")" 2>/dev/null || true; fi
    rm -rf "$dir"
    mkdir -p "$dir/data"
    # Alerts go nowhere: the tests read them back through the API.
    cat >"$dir/alertmanager.yml" <<'YAML'
route:
  receiver: discard
receivers:
  - name: discard
YAML
    port=$(python3 "$here/free_port.py")
    setsid "$binary" --config.file="$dir/alertmanager.yml" \
        --storage.path="$dir/data" \
        --web.listen-address="127.0.0.1:$port" \
        --cluster.listen-address= >"$dir/alertmanager.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 1 300); do
        if curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
            {
                echo "NBAQ_TEST_ALERTMANAGER_PORT=$port"
                echo "NBAQ_TEST_ALERTMANAGER_URL=http://127.0.0.1:$port"
            } >"$dir/env.tmp"
            mv "$dir/env.tmp" "$dir/env"
            echo "alertmanager started on 127.0.0.1:$port"
            exit 0
        fi
        running || break
        sleep 0.2
    done
    echo "alertmanager.sh: not ready on 127.0.0.1:$port" >&2
    cat "$dir/alertmanager.log" >&2
    if running; then kill "$(cat "$dir/pid")"; fi
    exit 1
    ;;
stop)
    if running; then
        pid=$(cat "$dir/pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    ;;
*) echo "usage: alertmanager.sh start|stop DIR" >&2; exit 64 ;;
esac
