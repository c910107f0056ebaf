#!/usr/bin/env bash
# Benchmark of the history store on SQLite and on PostgreSQL.
#   bash bench/history/run.sh [BUILD_DIR]     (default: build)
# Builds bench_history, then for each store: writes 100,000 metric values
# (as 1 run of 100,000 metrics, and as 1,000 runs of 100), fills a store
# with 1,000,000 values (100 metrics, one run every 5 minutes) and times
# the per-metric history query and `history trends` over all metrics.
# PostgreSQL is a throw-away server started with tests/services/postgres.sh
# on 127.0.0.1 and stopped at the end. Figures: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cmake --build "$build" --target bench_history >/dev/null
bench=$build/bench/history/bench_history
work=$(mktemp -d /tmp/nbaq-bench-history.XXXXXX)
chmod 755 "$work" # the server runs as user postgres when we are root
pgdir=$work/pg
cleanup() {
    bash tests/services/postgres.sh stop "$pgdir" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

new_pg_db() {
    "$pg_bindir/createdb" -h 127.0.0.1 -p "$pg_port" -U nbaq "$1"
    echo "postgresql://nbaq@127.0.0.1:$pg_port/$1"
}

echo "== SQLite ($work)"
"$bench" write "$work/w1.db" 100000 100000
"$bench" write "$work/w1.db" 100000 100000
"$bench" write "$work/w2.db" 100000 100
"$bench" fill "$work/q.db" 1000000 100
"$bench" query "$work/q.db" 1000

echo "== PostgreSQL"
bash tests/services/postgres.sh start "$pgdir" >/dev/null
# shellcheck disable=SC1091
. "$pgdir/env"
pg_port=$NBAQ_TEST_PG_PORT
pg_bindir=$NBAQ_TEST_PG_BINDIR
url=$(new_pg_db bench_w1)
"$bench" write "$url" 100000 100000
"$bench" write "$url" 100000 100000
"$bench" write "$(new_pg_db bench_w2)" 100000 100
url=$(new_pg_db bench_q)
"$bench" fill "$url" 1000000 100
"$pg_bindir/psql" -q "$url" -c "VACUUM ANALYZE"
"$bench" query "$url" 1000
