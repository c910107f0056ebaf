#!/usr/bin/env bash
# Runs the db_quality benchmark on a throw-away PostgreSQL (started on
# 127.0.0.1 in a temporary directory, stopped at the end):
#   1. bench_db: count(*), count(c10), db_quality's scan (with and without
#      28 validity rules), the check as the plugin runs it, one query per
#      column and one per rule, in interleaved rounds;
#   2. the whole `nbaq-host -c` run of one db_quality check on the same
#      table (fork, plugin load, the check, the json reporter), 5 times.
#   bench/db/run.sh [BUILD_DIR] [bench_db options...]
# BUILD_DIR defaults to ./build; build the targets bench_db, nbaq-host,
# db_quality and json there first.
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

[ -x "$build/nbaq-host" ] || exit 0
cat >"$dir/monitor.yaml" <<YAML
monitor: bench_db
checks:
  - name: wide
    plugin: db_quality
    options:
      dsn: "\${NBAQ_BENCH_DSN}"
      tables:
        - name: bench_dbq.wide
          critical_columns: [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10]
reporters:
  - plugin: json
YAML
echo "nbaq-host -c monitor.yaml (one db_quality check, json reporter):"
for i in 1 2 3 4 5; do
    start=$(date +%s%N)
    rc=0
    NBAQ_BENCH_DSN="$url" "$build/nbaq-host" -c "$dir/monitor.yaml" >/dev/null || rc=$?
    echo "  run $i: $(( ($(date +%s%N) - start) / 1000000 )) ms (exit $rc)"
done
