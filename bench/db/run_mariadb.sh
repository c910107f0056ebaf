#!/usr/bin/env bash
# Runs the MariaDB part of the db_quality benchmark on a throw-away MariaDB
# (tests/services/mariadb.sh, 127.0.0.1, stopped at the end):
#   bench/db/run_mariadb.sh [BUILD_DIR] [bench_db_mariadb options...]
# BUILD_DIR defaults to ./build; build the target bench_db_mariadb first.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
shift || true
bench="$build/bench/db/bench_db_mariadb"
[ -x "$bench" ] || { echo "run_mariadb.sh: $bench missing: cmake --build $build --target bench_db_mariadb" >&2; exit 1; }
dir=$(mktemp -d /tmp/nbaq-bench-mariadb.XXXXXX)
trap 'bash "$here/../../tests/services/mariadb.sh" stop "$dir/mariadb"; rm -rf "$dir"' EXIT
# The table (about 600 MB in InnoDB) fits in the buffer pool, as the
# PostgreSQL benchmark's fits in the page cache.
NBAQ_MARIADB_BUFFER_POOL=1G bash "$here/../../tests/services/mariadb.sh" start "$dir/mariadb" >/dev/null
url=$(sed -n 's/^NBAQ_TEST_MARIADB_URL=//p' "$dir/mariadb/env")
"$bench" "$url" --setup "$@"
