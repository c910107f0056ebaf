#!/usr/bin/env bash
# A build with -DNBAQ_WITH_POSTGRESQL=OFF -DBUILD_TESTING=OFF: it links no
# libpq and has no PostgreSQL plugins, and a config that asks for
# PostgreSQL (history.url, plugin sql_metric or db_quality) is refused at
# --check-config with the reason and file:line:column (exit 78).
# Usage: scripts/test-without-postgresql.sh [BUILD_DIR] (default build-nopg)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-nopg}
fail() { echo "test-without-postgresql: FAIL: $*" >&2; exit 1; }

cmake -S . -B "$build" -DNBAQ_WITH_POSTGRESQL=OFF -DBUILD_TESTING=OFF \
    -DNBAQ_BUILD_BENCHMARKS=OFF -DNBAQ_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
host=$build/nbaq-host
grep -q '^PQ_' "$build/CMakeCache.txt" && fail "libpq was looked for"
ldd "$host" | grep -q libpq && fail "nbaq-host links libpq"
for p in db_quality sql_metric; do
    [ -e "$build/plugins/$p.so" ] && fail "$p.so was built"
done
[ -e "$build/plugins/exec.so" ] || fail "exec.so was not built"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reason="this nbaq was built without PostgreSQL support (NBAQ_WITH_POSTGRESQL=OFF)"
expect_refused() { # config-file expected-location
    local rc=0 out
    out=$("$host" -c "$1" --check-config 2>&1) || rc=$?
    [ "$rc" = 78 ] || fail "$1: exit $rc, not 78: $out"
    case "$out" in
    *"$1:$2: "*"$reason"*) ;;
    *) fail "$1: expected '$1:$2: ... $reason', got: $out" ;;
    esac
}
cat >"$work/history.yaml" <<'YAML'
monitor: t
history:
  url: postgresql://nbaq@127.0.0.1/nbaq
checks:
  - name: ok
    plugin: exec
    options: {command: [/bin/true]}
YAML
expect_refused "$work/history.yaml" 3:8
sed 's|postgresql://nbaq@127.0.0.1/nbaq|"host=127.0.0.1 dbname=nbaq"|' \
    "$work/history.yaml" >"$work/dsn.yaml"
expect_refused "$work/dsn.yaml" 3:8
cat >"$work/plugin.yaml" <<'YAML'
monitor: t
checks:
  - name: rows
    plugin: sql_metric
    options: {url: "postgresql://nbaq@127.0.0.1/nbaq", query: "select 1"}
YAML
expect_refused "$work/plugin.yaml" 4:13
# SQLite history and the other plugins work as ever.
sed -i 's|postgresql://nbaq@127.0.0.1/nbaq|history.db|' "$work/history.yaml"
"$host" -c "$work/history.yaml" -q >/dev/null || fail "the SQLite run failed"
[ -f "$work/history.db" ] || fail "no SQLite history written"
echo "test-without-postgresql: no libpq; PostgreSQL refused by name"
