#!/usr/bin/env bash
# Time and peak memory of the cloudwatch reporter on a synthetic run of
# CHECKS checks (default 10,000) with 3 metrics each, in both formats:
#   emf: nbaq-plugin-test, output to stdout, which is /dev/null;
#   api: nbaq-plugin-test against a receiver on 127.0.0.1
#        that reads each request and answers 200 (it checks nothing:
#        speed only);
#   base: the same refused at its options, after loading the run: the
#        memory of the run itself, to subtract.
# (report() runs in the harness's child process: /usr/bin/time's peak is
# that of the largest process, the child.)
#   cmake --build build --target cloudwatch nbaq-plugin-test
#   bench/cloudwatch/run.sh [BUILD_DIR] [CHECKS]
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
checks=${2:-10000}
here=$(cd "$(dirname "$0")" && pwd)
plugin=$build/plugins/cloudwatch.so
tmp=$(mktemp -d)
pid=
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

PYTHONPATH=$here/../../tests/reports python3 - "$tmp/run.json" "$checks" <<'PY'
import json, sys
import report_test_support as s
with open(sys.argv[1], "w") as f:
    json.dump(s.big_run(int(sys.argv[2]), metrics_per_check=3,
                        history_points=1), f)
PY

python3 - "$tmp/port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *a):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), H)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
server.serve_forever()
PY
pid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
port=$(cat "$tmp/port")
creds=(--set region=eu-west-1 --set access_key_id=AKIDBENCH
       --set secret_access_key=benchsecret
       --set "endpoint=http://127.0.0.1:$port/")
measure() {
    local label=$1
    shift
    /usr/bin/time -f "$label checks=$checks wall_s=%e peak_rss_kb=%M" "$@" \
        2>&1 >/dev/null | grep -E "^$label |info: "
}
harness=$build/nbaq-plugin-test
measure base "$harness" --set namespace=AWS/refused \
    "$plugin" "$tmp/run.json" || true
measure emf "$harness" --set format=emf "$plugin" "$tmp/run.json"
measure api "$harness" "${creds[@]}" "$plugin" "$tmp/run.json"
