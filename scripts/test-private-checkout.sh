#!/usr/bin/env bash
# The tests work wherever the checkout is: clones this repository into a
# directory only root can enter (mode 0700 under /root, like /root/nbaq on
# a fresh machine) and runs from there the PostgreSQL fixture (the server
# runs as the postgres user) with a test that uses it, and a test that runs
# nbaq-host as nobody. Root only; scripts/test.sh runs it when CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$(pwd)
[ "$(id -u)" = 0 ] || { echo "test-private-checkout.sh: run as root" >&2; exit 1; }

base=$(mktemp -d /root/nbaq-private.XXXXXX)
trap 'rm -rf "$base"' EXIT
chmod 0700 "$base"
clone=$base/nbaq
git clone -q --local "$source_dir" "$clone"
# npm packages are not in git: the s3rver fixture takes this checkout's.
if [ -d tests/services/node_modules ]; then
    ln -s "$source_dir/tests/services/node_modules" \
        "$clone/tests/services/node_modules"
fi

cmake -S "$clone" -B "$clone/build" -DNBAQ_WERROR=ON \
    -DNBAQ_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$clone/build" -j "$(nproc)" \
    --target nbaq-host object_count json test_pgconn_pg >/dev/null
ctest --test-dir "$clone/build" --output-on-failure \
    -R '^(test_pgconn_pg|object_count_integration)$'
