#!/usr/bin/env bash
# Runs the db_quality benchmark on a throw-away PostgreSQL (started on
# 127.0.0.1 in a temporary directory, stopped at the end).
#   bench/db/run.sh [BUILD_DIR] [bench_db options...]
# BUILD_DIR defaults to ./build; it must hold bench/db/bench_db.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
bench="$build/bench/db/bench_db"
[ -x "$bench" ] || { echo "run.sh: $bench missing: cmake --build $build --target bench_db" >&2; exit 1; }
dir=$(mktemp -d /tmp/nbaq-bench-db.XXXXXX)
chmod 755 "$dir" # the server may run as user postgres
trap 'bash "$here/../../tests/services/postgres.sh" stop "$dir/pg"; rm -rf "$dir"' EXIT
bash "$here/../../tests/services/postgres.sh" start "$dir/pg" >/dev/null
url=$(sed -n 's/^NBAQ_TEST_PG_URL=//p' "$dir/pg/env")
"$bench" "$url" --setup "$@"
