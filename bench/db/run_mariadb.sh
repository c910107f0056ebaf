#!/usr/bin/env bash
# Runs the MariaDB part of the db_quality benchmark on a throw-away MariaDB
# (tests/services/mariadb.sh, 127.0.0.1, stopped at the end):
#   bench/db/run_mariadb.sh [BUILD_DIR] [bench_db_mariadb options...]
# BUILD_DIR defaults to ./build; build the target bench_db_mariadb first.
set -euo pipefail
services=$(cd "$(dirname "$0")/../../tests/services" && pwd)
bench=${1:-build}/bench/db/bench_db_mariadb
shift || true
if [ ! -x "$bench" ]; then
    echo "run_mariadb.sh: build $bench first (target bench_db_mariadb)" >&2
    exit 1
fi
work=$(mktemp -d /tmp/nbaq-bench-mariadb.XXXXXX)
trap 'bash "$services/mariadb.sh" stop "$work/mariadb"; rm -rf "$work"' EXIT
# The table (about 600 MB in InnoDB) fits in the buffer pool, as the
# PostgreSQL benchmark's fits in the page cache.
NBAQ_MARIADB_BUFFER_POOL=1G bash "$services/mariadb.sh" start "$work/mariadb" >/dev/null
"$bench" "$(sed -n 's/^NBAQ_TEST_MARIADB_URL=//p' "$work/mariadb/env")" --setup "$@"
