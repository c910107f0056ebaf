#!/usr/bin/env bash
# The alert lifecycle with many alerts changing at once, on SQLite and on
# a throw-away PostgreSQL (127.0.0.1, temporary directory):
#   bench/alerts/run.sh [BUILD_DIR] [checks] [metrics]
# BUILD_DIR defaults to ./build; build the target bench_alerts there first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
checks=${2:-1000}
metrics=${3:-10}
bench="$build/bench/alerts/bench_alerts"
[ -x "$bench" ] || { echo "run.sh: $bench missing: cmake --build $build --target bench_alerts" >&2; exit 1; }
dir=$(mktemp -d /tmp/nbaq-bench-alerts.XXXXXX)
chmod 755 "$dir"
trap 'bash "$here/../../tests/services/postgres.sh" stop "$dir/pg"; rm -rf "$dir"' EXIT
"$bench" "$dir/alerts.db" "$dir" "$checks" "$metrics"
bash "$here/../../tests/services/postgres.sh" start "$dir/pg" >/dev/null
url=$(sed -n 's/^NBAQ_TEST_PG_URL=//p' "$dir/pg/env")
"$bench" "$url" "$dir" "$checks" "$metrics"
