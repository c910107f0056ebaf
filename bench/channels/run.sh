#!/usr/bin/env bash
# Time and peak memory of the four notification channels sending one
# notification of 100, 1,000, 10,000 and 50,000 alerts to local sinks
# (HTTP and SMTP on 127.0.0.1, bench/channels/sink.py).
#   bench/channels/run.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
bench=$build/bench/channels/nbaq-bench-channels
plugins=$build/plugins

coproc SINK { /usr/bin/python3 "$here/sink.py"; }
read -r http_port smtp_port <&"${SINK[0]}"
trap 'exec {SINK[1]}>&-; wait' EXIT
http=http://127.0.0.1:$http_port
for alerts in 100 1000 10000 50000; do
    "$bench" "$plugins/webhook.so" "$alerts" --set "url=$http/hook" \
        --set hmac_secret=bench-key
    "$bench" "$plugins/slack.so" "$alerts" --set "webhook_url=$http/slack"
    "$bench" "$plugins/email.so" "$alerts" --set "url=smtp://127.0.0.1:$smtp_port" \
        --set from=nbaq@example.com --set to=oncall@example.com
    "$bench" "$plugins/alertmanager.so" "$alerts" --set "url=$http"
done
