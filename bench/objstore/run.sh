#!/usr/bin/env bash
# Object-store benchmark, run by hand (figures in docs/performance.md):
#   bench/objstore/run.sh [BUILD_DIR] [COUNT]
# Starts s3rver on 127.0.0.1, uploads COUNT (20000) objects with
# `aws s3 sync`, then, in one run:
#   1. lists them with nbaq's client, `aws s3 ls --recursive --summarize`,
#      a boto3 paginator and a plain curl loop over the same pages
#      (wall time of each, max RSS of nbaq's lister);
#   2. runs nbaq-host with object_count, freshness and json_validity (when
#      built) over the prefix: wall time and the max RSS of the host and
#      of its largest child (a check).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
count=${2:-20000}
work=$(mktemp -d /tmp/nbaq-bench-objstore.XXXXXX)
svc=$work/s3rver
cleanup() { bash "$root/tests/services/s3rver.sh" stop "$svc" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

bash "$root/tests/services/s3rver.sh" start "$svc" >/dev/null
. "$svc/env"
endpoint=$NBAQ_TEST_S3_ENDPOINT
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_DEFAULT_REGION=us-east-1
aws=/usr/bin/aws

echo "creating $count objects..." >&2
python3 "$here/make_objects.py" "$work/objects" "$count"
$aws --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null
$aws --endpoint-url "$endpoint" s3 sync "$work/objects" s3://bench/data/ \
    --only-show-errors

timed() { # label command...: prints "label: wall s" and the command's output
    local label=$1 start end out
    shift
    start=$(date +%s.%N)
    out=$("$@" 2>&1 | tail -n 3 | tr '\n' ' ')
    end=$(date +%s.%N)
    printf '%-28s %6.2f s   %s\n' "$label" "$(echo "$end - $start" | bc)" "$out"
}

echo "== listing $count objects (s3rver, 1000 per page)"
timed "nbaq objstore_bench" "$build/bench/objstore/objstore_bench" \
    --endpoint "$endpoint" s3://bench/data/
timed "curl loop" bash "$here/curl_loop.sh" "$endpoint" bench data/
timed "boto3 paginator" /usr/bin/python3 "$here/boto3_list.py" "$endpoint" bench data/
timed "aws s3 ls --summarize" $aws --endpoint-url "$endpoint" s3 ls \
    --recursive --summarize s3://bench/data/

echo "== one run of the object checks over the prefix"
checks=""
add_check() { # name plugin extra-options
    [ -f "$build/plugins/$2.so" ] || return 0
    checks+="  - name: $1
    plugin: $2
    options:
      url: s3://bench/data/
      endpoint: $endpoint
$3"
}
add_check count object_count "      by_prefix: true
"
add_check fresh freshness "      partition_by: prefix
      max_age: 1d
"
add_check json json_validity "      sample_size: 50
"
cat >"$work/monitor.yaml" <<YAML
monitor: bench
checks:
$checks
reporters:
  - plugin: json
    options: {output: $work/report.json}
YAML
for run in 1 2 3; do
    /usr/bin/time -f "wall %e s, max RSS %M KB (host or its largest check)" \
        "$build/nbaq-host" -q -c "$work/monitor.yaml" >/dev/null 2>"$work/time.txt" || true
    echo "run $run: $(tail -n 1 "$work/time.txt")"
    python3 -c 'import json,sys
for c in json.load(open(sys.argv[1]))["checks"]:
    print("   ", c["name"], c["status"], str(c["duration_ms"]) + " ms", c["message"][:110])' "$work/report.json"
done
