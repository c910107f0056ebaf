#!/usr/bin/env bash
# S3 Inventory reading benchmark, run by hand (figures in
# docs/performance.md and docs/scaling.md):
#   bench/objstore/inventory.sh [BUILD_DIR] [ROWS] [RUNS]
# Writes an inventory of ROWS (2,000,000) objects in AWS's CSV format
# (make_inventory.py: gzip'd CSV files of 1,000,000 rows and their
# manifest.json), puts it on s3rver on 127.0.0.1, and reads it RUNS (3)
# times with objstore_bench --inventory: wall and CPU time, max RSS.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
rows=${2:-2000000}
runs=${3:-3}
work=$(mktemp -d /tmp/nbaq-bench-inventory.XXXXXX)
. "$here/s3rver_env.sh"
cleanup() { s3rver_stop; rm -rf "$work"; }
trap cleanup EXIT
s3rver_start
echo "writing an inventory of $rows objects..." >&2
python3 "$here/make_inventory.py" "$work/files" "$rows" bench
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 mb s3://inventory >/dev/null
aws --endpoint-url "$NBAQ_TEST_S3_ENDPOINT" s3 sync "$work/files" \
    s3://inventory/ --only-show-errors
du -b "$work"/files/inv/data/*.csv.gz | awk '{s += $1} END {printf "gzip data: %d bytes\n", s}'
for run in $(seq "$runs"); do
    printf 'run %s %s\n' "$run" "$("$build/bench/objstore/objstore_bench" \
        --endpoint "$NBAQ_TEST_S3_ENDPOINT" \
        --inventory s3://inventory/inv/manifest.json s3://bench/data/)"
done
